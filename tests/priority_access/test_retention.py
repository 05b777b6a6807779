"""Retention of priority-access records and of the links of the cross-matching (docs/rgpd.md).
Today is pinned (tests/clock.py: 6 December 2026); with 24 months, a case closed on
6 December 2024 is anonymised from 6 December 2026 on, not the day before."""

import datetime
import io

import pytest
from django.core.management import call_command

from tests.api.conftest import make_file
from tests.organisations.factories import OrganisationFactory
from tests.priority_access.factories import (
    ContingentProposalFactory,
    DaloAppealFactory,
    HousingDemandFactory,
    MousFollowupFactory,
    ProjectFollowupFactory,
    SlidingLeaseFactory,
    landlord,
)
from toit.linkage import sources
from toit.linkage.enums import LinkStatus
from toit.linkage.models import LinkDecision, LinkRun, RecordLink
from toit.priority_access import retention
from toit.priority_access.enums import (
    DaloDecision,
    DaloEndReason,
    LeaseOutcome,
    MousEndReason,
    ProjectOutcome,
    ProposalOutcome,
)

D = datetime.date
CLOSED = D(2024, 12, 6)  # 24 months before the pinned day
DAY_BEFORE = D(2026, 12, 5)
DAY_OF = D(2026, 12, 6)

CLOSED_RECORDS = {
    "allocated demand": lambda: HousingDemandFactory(allocated_on=CLOSED, allocated_landlord=landlord()),
    "radiated demand": lambda: HousingDemandFactory(cancelled_on=CLOSED),
    # Filed a year before CLOSED, never renewed: radiated for want of renewal on CLOSED.
    "lapsed demand": lambda: HousingDemandFactory(filed_on=D(2023, 12, 6)),
    "rehoused DALO": lambda: DaloAppealFactory(priority=True, rehoused_on=CLOSED),
    "rejected DALO": lambda: DaloAppealFactory(decision=DaloDecision.REJECTED, decided_on=CLOSED),
    "refused proposal": lambda: ContingentProposalFactory(outcome=ProposalOutcome.REFUSED, proposed_on=CLOSED),
    "rehoused project": lambda: ProjectFollowupFactory(outcome=ProjectOutcome.REHOUSED, ended_on=CLOSED),
    "glided lease": lambda: SlidingLeaseFactory(outcome=LeaseOutcome.GLIDED, glided_on=CLOSED),
    "ended lease": lambda: SlidingLeaseFactory(outcome=LeaseOutcome.ENDED, ended_on=CLOSED),
    "rehoused MOUS": lambda: MousFollowupFactory(rehoused_on=CLOSED),
    # The State's obligation ended without a rehousing (an adapted offer refused…).
    "ended DALO": lambda: DaloAppealFactory(priority=True, ended_on=CLOSED, end_reason=DaloEndReason.REFUSED_OFFER),
    # A mediation stopped without a rehousing in the private stock.
    "ended MOUS": lambda: MousFollowupFactory(ended_on=CLOSED, end_reason=MousEndReason.LOST_CONTACT),
}


def due_count(today, months=24):
    return sum(retention.plan(months, today).records.values())


@pytest.mark.django_db
@pytest.mark.parametrize("name", CLOSED_RECORDS)
def test_a_closed_record_is_due_on_the_day_of_the_cutoff_not_the_day_before(name):
    record = CLOSED_RECORDS[name]()
    assert due_count(DAY_BEFORE) == 0
    assert due_count(DAY_OF) == 1
    retention.anonymise(months=24, today=DAY_BEFORE)
    record.refresh_from_db()
    assert record.anonymised_at is None and record.last_name
    retention.anonymise(months=24, today=DAY_OF)
    record.refresh_from_db()
    assert record.anonymised_at is not None
    assert (record.last_name, record.first_name, record.birth_name, record.birth_date) == ("", "", "", None)
    assert not record.history.exists()


@pytest.mark.django_db
def test_open_cases_are_never_anonymised_however_old():
    DaloAppealFactory(priority=True, filed_on=D(2009, 2, 1))  # priority, not rehoused: the obligation runs
    DaloAppealFactory(filed_on=D(2009, 2, 1))  # awaiting the commission
    HousingDemandFactory(filed_on=D(2009, 1, 15), renewed_on=D(2026, 1, 15))  # renewed: still valid
    ProjectFollowupFactory(taken_in_on=D(2009, 3, 1))
    SlidingLeaseFactory(started_on=D(2009, 1, 1))
    MousFollowupFactory(mediated_on=D(2009, 5, 1))
    ContingentProposalFactory(proposed_on=D(2009, 6, 1))  # no answer yet
    # Even with the shortest duration: open cases are not closed ones.
    assert due_count(DAY_OF, months=1) == 0


@pytest.mark.django_db
def test_what_the_indicators_read_stays():
    demand = HousingDemandFactory(
        allocated_on=CLOSED,
        allocated_landlord=landlord(),
        priority_grounds=["sans_logement"],
        household_size=3,
        number="0721234567",
    )
    appeal = DaloAppealFactory(priority=True, rehoused_on=CLOSED, number="DALO-72-00042")
    proposal = ContingentProposalFactory(
        outcome=ProposalOutcome.ACCEPTED, allocated_on=CLOSED, proposed_on=D(2024, 11, 1), demand_number="0721234567"
    )
    retention.anonymise(months=24, today=DAY_OF)
    for row in (demand, appeal, proposal):
        row.refresh_from_db()
    assert demand.number == f"ANONYME-{demand.pk}" and appeal.number == f"ANONYME-{appeal.pk}"
    assert proposal.demand_number == ""
    assert (demand.filed_on, demand.allocated_on, demand.priority_grounds, demand.household_size) == (
        D(2009, 1, 15),
        CLOSED,
        ["sans_logement"],
        3,
    )
    assert demand.commune_id is not None and demand.department_id is not None
    assert (appeal.decision, appeal.decided_on, appeal.rehoused_on) == (DaloDecision.PRIORITY, D(2009, 4, 15), CLOSED)
    # Nothing names the person any more: not matched again.
    assert str(appeal.pk) not in {i.record_id for i in sources.get("dalo").identities(appeal.department)}


@pytest.mark.django_db
def test_an_end_without_rehousing_closes_on_its_date_and_stays_readable():
    appeal = DaloAppealFactory(priority=True, ended_on=CLOSED, end_reason=DaloEndReason.OWN_MEANS)
    mous = MousFollowupFactory(ended_on=CLOSED, end_reason=MousEndReason.OTHER_SOLUTION)
    # Ended a day later: not yet due on the day the others are.
    later = DaloAppealFactory(priority=True, ended_on=D(2024, 12, 7), end_reason=DaloEndReason.UNREACHABLE)
    MousFollowupFactory(ended_on=D(2024, 12, 7), end_reason=MousEndReason.GAVE_UP)
    report = retention.anonymise(months=24, today=DAY_OF)
    assert report.records["recours DALO"] == 1 and report.records["suivi(s) de la MOUS"] == 1
    for row in (appeal, mous, later):
        row.refresh_from_db()
    assert appeal.number == f"ANONYME-{appeal.pk}"
    assert (appeal.ended_on, appeal.end_reason) == (CLOSED, DaloEndReason.OWN_MEANS)
    assert (mous.ended_on, mous.end_reason, mous.last_name) == (CLOSED, MousEndReason.OTHER_SOLUTION, "")
    assert later.anonymised_at is None and later.last_name


def _link(run, left, right, status):
    (left_source, left_pk), (right_source, right_pk) = sorted([left, right])
    link = RecordLink.objects.create(
        run=run,
        left_source=left_source,
        left_pk=left_pk,
        right_source=right_source,
        right_pk=right_pk,
        probability=0.9,
        status=status,
    )
    LinkDecision.objects.create(link=link, status=status, decided_at=run.started_at)
    return link


@pytest.mark.django_db
def test_links_to_anonymised_or_deleted_records_go_and_their_counts_stay_on_the_run():
    closed = DaloAppealFactory(priority=True, rehoused_on=CLOSED)
    live = HousingDemandFactory(filed_on=D(2026, 1, 1))
    other_live = MousFollowupFactory()
    deleted = ProjectFollowupFactory()
    owner = OrganisationFactory()
    file = make_file(owner)
    run = LinkRun.objects.create(
        department=live.department,
        sources=["dalo", "demande", "mous", "demarche_projet", "expulsion"],
        started_at=datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
        lower_threshold=0.3,
        upper_threshold=0.99,
    )
    kept = _link(run, ("demande", live.pk), ("mous", other_live.pk), LinkStatus.ACCEPTED)
    _link(run, ("dalo", closed.pk), ("demande", live.pk), LinkStatus.ACCEPTED)
    _link(run, ("demarche_projet", deleted.pk), ("mous", other_live.pk), LinkStatus.REVIEW)
    to_file = _link(run, ("expulsion", file.pk), ("mous", other_live.pk), LinkStatus.REVIEW)
    deleted.delete()

    before = retention.plan(24, DAY_OF)
    assert (before.links, before.decisions) == (2, 2)  # the closed appeal's, the deleted follow-up's
    assert RecordLink.objects.count() == 4  # a dry run changes nothing

    report = retention.anonymise(months=24, today=DAY_OF)
    assert (report.links, report.decisions) == (2, 2)
    assert set(RecordLink.objects.values_list("pk", flat=True)) == {kept.pk, to_file.pk}
    assert LinkDecision.objects.count() == 2
    run.refresh_from_db()
    assert run.purged_links == {LinkStatus.ACCEPTED: 1, LinkStatus.REVIEW: 1}

    # The eviction file's household anonymised by its own retention: its link goes next night.
    household = file.household
    household.anonymised_at = datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC)
    household.save(update_fields=["anonymised_at"])
    assert retention.anonymise(months=24, today=DAY_OF).links == 1
    run.refresh_from_db()
    assert run.purged_links == {LinkStatus.ACCEPTED: 1, LinkStatus.REVIEW: 2}
    assert list(RecordLink.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_the_command_reports_before_it_acts():
    record = MousFollowupFactory(rehoused_on=D(2020, 1, 1))
    out = io.StringIO()
    call_command("toit_priority_access_retention", "anonymise", "--dry-run", stdout=out)
    assert "1 suivi(s) de la MOUS" in out.getvalue() and "seraient" in out.getvalue()
    record.refresh_from_db()
    assert record.anonymised_at is None
    out = io.StringIO()
    call_command("toit_priority_access_retention", "anonymise", stdout=out)
    assert "ont été anonymisées" in out.getvalue()
    record.refresh_from_db()
    assert record.anonymised_at is not None and record.last_name == ""


@pytest.mark.django_db
def test_the_command_refuses_a_duration_under_a_month():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="au moins un mois"):
        call_command("toit_priority_access_retention", "anonymise", "--months", "0")
