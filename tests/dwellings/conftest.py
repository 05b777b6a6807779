import datetime

import pytest

from tests.dwellings.factories import HousingPoleFactory, PoleMemberFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, EPCIFactory
from toit.dwellings.enums import PoleService
from toit.organisations.enums import OrganisationKind, Role


@pytest.fixture
def pole():
    return HousingPoleFactory()


@pytest.fixture
def dde(pole):
    organisation = OrganisationFactory(code="DDE72", name="DDE de la Sarthe", kind=OrganisationKind.STATE)
    PoleMemberFactory(
        pole=pole, organisation=organisation, service=PoleService.STATE_HOUSING, since=datetime.date(2008, 1, 1)
    )
    return organisation


@pytest.fixture
def agent(dde):
    return member_of(dde, first_name="Agathe", last_name="Agent")


@pytest.fixture
def manager(dde):
    return member_of(dde, role=Role.MANAGER, first_name="Rémi", last_name="Responsable")


@pytest.fixture
def outsider():
    """An agent of an organisation that is not a member of any pôle."""
    return member_of(OrganisationFactory(code="CCAS72", name="CCAS du Mans"))


# The import tests' world: the Sarthe's communes of the sample files and the pôle's DDE agent.
@pytest.fixture
def sarthe():
    lmm = EPCIFactory(siren="247200132", name="Le Mans Métropole")
    for code, name, epci in [
        ("72181", "Le Mans", lmm),
        ("72003", "Allonnes", lmm),
        ("72154", "La Flèche", None),
        ("72264", "Sablé-sur-Sarthe", None),
    ]:
        CommuneFactory(insee_code=code, name=name, epci=epci)
    pole = HousingPoleFactory()
    dde = OrganisationFactory(code="DDE72", name="DDE de la Sarthe", kind=OrganisationKind.STATE)
    PoleMemberFactory(pole=pole, organisation=dde)
    return member_of(dde, username="agent-dde")


@pytest.fixture
def private_root(settings, tmp_path):
    """Uploaded files go to a temporary private root (the import tests use it)."""
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path / "private"
