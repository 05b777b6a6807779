"""Cross-matching runs, the review queue and the household view: a match never grants
access (toit.linkage.access)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.organisations.factories import OrganisationFactory, member_of
from tests.priority_access.factories import (
    AbnormalDelayFactory,
    DaloAppealFactory,
    HousingDemandFactory,
    SlidingLeaseFactory,
)
from tests.territory.factories import DepartmentFactory
from toit.linkage import channels, results, review
from toit.linkage.enums import LinkStatus, Verdict
from toit.linkage.models import LinkDecision, RecordLink
from toit.linkage.runs import run_cross_matching
from toit.organisations.enums import Role

D = datetime.date
TODAY = D(2010, 12, 31)
SOURCES = ["dalo", "demande", "bail_glissant"]


@pytest.fixture
def files():
    department = DepartmentFactory()
    dde = OrganisationFactory(code="DDE72")
    register = OrganisationFactory(code="AFIDEM")
    association = OrganisationFactory(code="ASSO-HABITAT")
    AbnormalDelayFactory(department=department, months=18)
    noel_dalo = DaloAppealFactory(
        department=department,
        holder=dde,
        last_name="NOËL",
        first_name="Éric",
        birth_date=D(1975, 3, 12),
        priority=True,
    )
    noel_demand = HousingDemandFactory(
        department=department,
        holder=register,
        last_name="Noel",
        first_name="eric",
        birth_date=D(1975, 12, 3),
        commune=noel_dalo.commune,
        filed_on=D(2008, 6, 1),
    )
    # Same name, no birth date, same commune: the review band.
    guerin_dalo = DaloAppealFactory(
        department=department, holder=dde, last_name="GUERIN", first_name="Nadia", birth_date=D(1980, 1, 1)
    )
    guerin_demand = HousingDemandFactory(
        department=department,
        holder=register,
        last_name="Guérin",
        first_name="Nadia",
        birth_date=None,
        commune=guerin_dalo.commune,
    )
    lease = SlidingLeaseFactory(
        department=department, holder=association, last_name="NOEL", first_name="Eric", birth_date=D(1975, 3, 12)
    )
    # Another département's namesake is never read.
    DaloAppealFactory(
        last_name="NOEL", first_name="Eric", birth_date=D(1975, 3, 12), department=DepartmentFactory(code="53")
    )
    return {
        "department": department,
        "dde": dde,
        "register": register,
        "association": association,
        "noel_dalo": noel_dalo,
        "noel_demand": noel_demand,
        "guerin_dalo": guerin_dalo,
        "guerin_demand": guerin_demand,
        "lease": lease,
    }


@pytest.fixture
def run(files):
    return run_cross_matching(files["department"], source_codes=SOURCES, now=None)


def _link(run, a, b):
    return RecordLink.objects.get(
        run=run,
        left_source__in=[a[0], b[0]],
        left_pk__in=[a[1], b[1]],
        right_source__in=[a[0], b[0]],
        right_pk__in=[a[1], b[1]],
    )


def test_run_links_the_same_people_and_keeps_the_thresholds_decision(files, run):
    noel = _link(run, ("dalo", files["noel_dalo"].pk), ("demande", files["noel_demand"].pk))
    assert noel.status == LinkStatus.ACCEPTED
    guerin = _link(run, ("dalo", files["guerin_dalo"].pk), ("demande", files["guerin_demand"].pk))
    assert guerin.status == LinkStatus.REVIEW
    assert run.record_count == 5  # the other département is not read
    decision = LinkDecision.objects.get(link=guerin)
    assert decision.decided_by is None and decision.status == LinkStatus.REVIEW


def test_only_managers_launch_a_run(files):
    with pytest.raises(PermissionDenied):
        run_cross_matching(files["department"], user=member_of(files["dde"]), source_codes=SOURCES)


def test_review_queue_shows_links_whose_both_records_the_user_sees(files, run):
    both = member_of(files["dde"])
    both.memberships.create(organisation=files["register"], role=Role.AGENT)
    one_side = member_of(files["dde"])
    observatory = member_of(files["register"], role=Role.OBSERVATORY)
    (queued,) = review.review_queue(both)
    assert {queued.left_source, queued.right_source} == {"dalo", "demande"}
    assert not review.review_queue(one_side).exists()
    assert not review.review_queue(observatory).exists()


def test_a_decision_records_who_and_for_whom(files, run):
    both = member_of(files["dde"])
    both.memberships.create(organisation=files["register"], role=Role.AGENT)
    link = review.review_queue(both).get()
    decision = review.decide(link, both, files["dde"], Verdict.CONFIRMED, "même adresse dans les deux fichiers")
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED
    assert (decision.decided_by, decision.acting_for) == (both, files["dde"])
    assert LinkDecision.objects.filter(link=link).count() == 2  # the threshold's, then the person's


def test_deciding_on_a_link_one_cannot_see_fails_like_a_missing_link(files, run):
    one_side = member_of(files["dde"])
    link = RecordLink.objects.filter(run=run, status=LinkStatus.REVIEW).get()
    with pytest.raises(RecordLink.DoesNotExist):
        review.decide(link, one_side, files["dde"], Verdict.REJECTED, "pas la même personne")
    with pytest.raises(PermissionDenied):
        review.decide(link, one_side, files["register"], Verdict.REJECTED, "pas la même personne")
    assert LinkDecision.objects.filter(link=link).count() == 1


def test_overturning_an_accepted_link_needs_a_reason(files, run):
    both = member_of(files["dde"])
    both.memberships.create(organisation=files["register"], role=Role.AGENT)
    link = _link(run, ("dalo", files["noel_dalo"].pk), ("demande", files["noel_demand"].pk))
    with pytest.raises(ValidationError, match="caractères"):
        review.decide(link, both, files["dde"], Verdict.REJECTED, "non")
    review.decide(link, both, files["dde"], Verdict.REJECTED, "homonymes, adresses différentes")
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED


def test_household_channels_show_only_what_the_user_could_already_see(files, run):
    # Attack: the association follows M. Noël in a sliding lease; the links to his DALO appeal
    # and his demand must not reveal them, nor that they exist.
    association_agent = member_of(files["association"])
    grouped = channels.household_channels(run, association_agent, "bail_glissant", files["lease"].pk)
    assert list(grouped) == ["Bail glissant"]
    # The DDE agent sees the DALO appeal only; its linked demand and lease stay hidden.
    dde_agent = member_of(files["dde"])
    grouped = channels.household_channels(run, dde_agent, "dalo", files["noel_dalo"].pk)
    assert list(grouped) == ["Recours DALO"]
    # Someone who sees both files sees the household's two channels.
    both = member_of(files["dde"])
    both.memberships.create(organisation=files["register"], role=Role.AGENT)
    grouped = channels.household_channels(run, both, "dalo", files["noel_dalo"].pk)
    assert set(grouped) == {"Recours DALO", "Demande de logement social"}
    # A record the user cannot see gives nothing at all.
    assert channels.household_channels(run, association_agent, "dalo", files["noel_dalo"].pk) is None


def test_run_result_counts_for_all_names_for_the_entitled(files, run):
    observatory = member_of(files["dde"], role=Role.OBSERVATORY)
    result = results.run_result(run, observatory, TODAY)
    # Noël: DALO + demand + lease, one household; Guérin's review link does not join: two.
    assert result.total == 3
    assert result.in_several_files == 1
    questions = dict(result.questions)
    assert questions["Prioritaires DALO non relogés dans le délai"] == 1
    assert questions["… dont connus d'un autre dispositif (demande, FSL, expulsion, suivi)"] == 1
    assert result.named == []
    entitled = member_of(files["dde"])
    for organisation in (files["register"], files["association"]):
        entitled.memberships.create(organisation=organisation, role=Role.AGENT)
    (named,) = results.run_result(run, entitled, TODAY).named
    assert sorted(view.name for view in named[1]) == ["NOEL Eric", "NOEL eric", "NOËL Éric"]
    # Seeing two of the three records is not enough to see the household's names.
    partial = member_of(files["dde"])
    partial.memberships.create(organisation=files["register"], role=Role.AGENT)
    assert results.run_result(run, partial, TODAY).named == []
