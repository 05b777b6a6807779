"""Who reads the register: members of the département's pôle, within their territory, while
their membership lasts. Each attack below is a way in that must stay closed."""

import datetime

import pytest
from django.urls import reverse

from tests.dwellings.factories import CaseFactory, DwellingFactory, OwnerFactory, PoleMemberFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.dwellings import access, corrections, landlords, merging
from toit.dwellings.models import Dwelling, MergeProposal
from toit.organisations.enums import Role

TODAY = datetime.date(2010, 6, 1)


def reads(user, today=TODAY):
    return set(access.visible_dwellings(Dwelling.objects.all(), user, today).values_list("pk", flat=True))


def test_a_member_reads_the_register_of_its_departement_only(agent):
    sarthe = DwellingFactory()
    mayenne = DwellingFactory(commune=CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne")))
    assert reads(agent) == {sarthe.pk}
    assert mayenne.pk not in reads(agent)


def test_an_organisation_outside_the_pole_reads_nothing(outsider):
    DwellingFactory()
    assert reads(outsider) == set()
    assert not access.may_read_register(outsider)


def test_the_observatory_role_of_a_member_reads_nothing(dde):
    DwellingFactory()
    assert reads(member_of(dde, role=Role.OBSERVATORY)) == set()


def test_a_membership_counts_only_between_its_dates(pole):
    organisation = OrganisationFactory(code="MSA72")
    PoleMemberFactory(
        pole=pole, organisation=organisation, since=datetime.date(2009, 1, 1), until=datetime.date(2010, 5, 31)
    )
    user = member_of(organisation)
    dwelling = DwellingFactory()
    assert reads(user, datetime.date(2010, 5, 31)) == {dwelling.pk}
    assert reads(user, TODAY) == set()
    assert reads(user, datetime.date(2008, 12, 31)) == set()


def test_an_epci_member_reads_its_own_territory_only(pole):
    epci = EPCIFactory()
    inside, outside = DwellingFactory(commune=CommuneFactory(epci=epci)), DwellingFactory()
    organisation = OrganisationFactory(code="EPCI-SABLE")
    PoleMemberFactory(pole=pole, organisation=organisation, service="epci", epci=epci)
    user = member_of(organisation)
    assert reads(user) == {inside.pk}
    assert outside.pk not in reads(user)
    # Owners: only those owning a dwelling it reads.
    inside.owner, outside.owner = OwnerFactory(), OwnerFactory()
    inside.save(), outside.save()
    assert list(access.visible_owners(inside.owner.__class__.objects.all(), user)) == [inside.owner]


def test_the_dwelling_page_of_another_departement_is_a_404(client, agent):
    mayenne = DwellingFactory(commune=CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne")))
    client.force_login(agent)
    assert client.get(reverse("dwellings:dwelling", args=[mayenne.pk])).status_code == 404


def test_a_non_member_is_refused_before_anything_is_looked_up(client, outsider):
    dwelling = DwellingFactory()
    client.force_login(outsider)
    existing = client.get(reverse("dwellings:dwelling", args=[dwelling.pk]))
    missing = client.get(reverse("dwellings:dwelling", args=[dwelling.pk + 1000]))
    assert existing.status_code == missing.status_code == 403  # no existence oracle
    assert "membres du pôle" in existing.text


def test_correcting_a_record_one_cannot_read_is_refused(agent):
    mayenne = DwellingFactory(commune=CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne")))
    with pytest.raises(Exception, match="registre que vous pouvez lire"):
        corrections.correct("logement", mayenne, {"street": "rue Neuve"}, user=agent, reason="Erreur de saisie")


def test_deciding_a_merge_of_dwellings_one_cannot_read_is_refused(agent):
    mayenne_dept = DepartmentFactory(code="53", name="Mayenne")
    commune = CommuneFactory(department=mayenne_dept)
    a, b = DwellingFactory(commune=commune, street_number="1"), DwellingFactory(commune=commune, street_number="1")
    (proposal,) = merging.propose_merges(mayenne_dept)
    with pytest.raises(Exception, match="ne lisez pas"):
        merging.decide(proposal, accept=True, user=agent, note="même logement")
    assert MergeProposal.objects.get().status == "a_decider"
    assert not Dwelling.objects.filter(merged_into__isnull=False).exists()
    assert {a.pk, b.pk} == {proposal.dwelling_id, proposal.duplicate_id}


def test_only_whole_departement_managers_decide_indelicacy(agent, manager, pole):
    owner = OwnerFactory()
    grounds = "Trois arrêtés d'insalubrité non exécutés depuis 2008"
    with pytest.raises(Exception, match="responsables et administrateurs"):
        landlords.record_decision(owner, decided_on=TODAY, grounds=grounds, user=agent)
    epci_manager = member_of(OrganisationFactory(code="EPCI-X"), role=Role.MANAGER)
    PoleMemberFactory(pole=pole, organisation=epci_manager.memberships.get().organisation, epci=EPCIFactory())
    with pytest.raises(Exception, match="responsables et administrateurs"):
        landlords.record_decision(owner, decided_on=TODAY, grounds=grounds, user=epci_manager)
    assert landlords.record_decision(owner, decided_on=TODAY, grounds=grounds, user=manager).pole == pole


def test_a_case_of_a_readable_dwelling_is_read_through_it(agent):
    case = CaseFactory()
    assert list(case.__class__.objects.visible_to(agent)) == [case]
