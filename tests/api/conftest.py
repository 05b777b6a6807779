import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api.factories import ALL_SCOPES, make_key
from tests.eviction.factories import HouseholdFactory, HouseholdMemberFactory, PreventionFileFactory
from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory
from toit.organisations.enums import OrganisationKind

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Request counts are rows of the test's database (toit.api.throttling), rolled back
    with it; the default cache is cleared too."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org():
    return OrganisationFactory(code="ADIL72", name="ADIL de la Sarthe", kind=OrganisationKind.ASSOCIATION)


@pytest.fixture
def other_org():
    return OrganisationFactory(code="CCAS-ALLONNES", name="CCAS d'Allonnes")


@pytest.fixture
def le_mans():
    return CommuneFactory(insee_code="72181", name="Le Mans")


def client_for(token=None):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def key(org):
    return make_key(org, scopes=ALL_SCOPES)


@pytest.fixture
def api(key):
    """A client authenticated with the organisation's key (every scope)."""
    return client_for(key.token)


@pytest.fixture
def other_api(other_org):
    return client_for(make_key(other_org, scopes=ALL_SCOPES).token)


def make_file(organisation, *, last_name="Dupont", first_name="Sylvie", commune=None, opened_on=None):
    household = HouseholdFactory(commune=commune or CommuneFactory())
    HouseholdMemberFactory(household=household, last_name=last_name, first_name=first_name, birth_date=D(1975, 4, 12))
    return PreventionFileFactory(household=household, opened_by=organisation, opened_on=opened_on or D(2010, 1, 4))


@pytest.fixture
def file(org, le_mans):
    return make_file(org, commune=le_mans)
