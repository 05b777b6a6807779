"""Cancelling a whole file opened by mistake (toit.eviction.corrections.cancel_file): kept
with its history, out of the queues, the search, the matching and every indicator, closed
to new records, and restored as it was by the organisation that opened it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.eviction.factories import EventFactory, plan_with_local_practices, prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from tests.www.eviction.conftest import fill_file, make_file
from toit.eviction import access, corrections
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import PreventionFile
from toit.eviction.procedure import add_event
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.organisations.enums import OrganisationKind, Role
from toit.territory.scopes import TerritoryScope
from toit.www.eviction.search import search_files

D = datetime.date
TODAY = D(2010, 12, 31)
REASON = "Doublon du dossier ouvert la veille par la CAF"
SARTHE = TerritoryScope.department_scope("72")
# Reports are received whatever becomes of the file they were attached to: they keep counting.
REPORT_METRICS = {"eviction.unpaid_reports", "eviction.average_debt_at_report"}


@pytest.fixture
def world():
    org = OrganisationFactory(code="ADIL72", kind=OrganisationKind.ASSOCIATION)
    partner = OrganisationFactory(code="CCAS72", kind=OrganisationKind.LOCAL_AUTHORITY)
    prefecture()
    agent = member_of(org)
    file = fill_file(make_file(org, last_name="Doublon", commune=CommuneFactory(name="Le Mans")), org)
    access.grant(file, partner, ParticipantReason.SHARING)
    return org, partner, agent, file


def eviction_values(period=None):
    period = period or Period.year(2010)
    return {
        metric.key: metric.compute(period, SARTHE)
        for metric in registry
        if metric.key.startswith("eviction.") and metric.key not in REPORT_METRICS
    }


def test_a_cancelled_file_keeps_its_history_and_is_restored_as_it_was(world):
    _org, _partner, agent, file = world
    corrections.cancel_file(file, agent, REASON)

    file.refresh_from_db()
    assert file.cancelled_at is not None and file.cancelled_by == agent and file.cancellation_reason == REASON
    latest = file.history.latest("history_id")
    assert latest.history_change_reason == REASON and latest.history_user == agent
    assert file.events.count() == 4  # nothing deleted
    with pytest.raises(ValidationError, match="déjà annulé"):
        corrections.cancel_file(file, agent, REASON)

    corrections.restore_file(file, agent, "Annulé par erreur : ce n'était pas un doublon")
    file.refresh_from_db()
    assert file.cancelled_at is None and file.cancellation_reason == ""
    assert file.history.count() >= 2
    assert file.history.latest("history_id").history_change_reason.startswith("Annulé par erreur")
    with pytest.raises(ValidationError, match="n'est pas annulé"):
        corrections.restore_file(file, agent, REASON)


def test_a_reason_is_required(world):
    _org, _partner, agent, file = world
    with pytest.raises(ValidationError, match="motif"):
        corrections.cancel_file(file, agent, "  ")
    file.refresh_from_db()
    assert file.cancelled_at is None


@pytest.mark.parametrize("who", ["partner", "outsider", "observatory"])
def test_only_the_opening_organisation_cancels_or_restores(world, who):
    org, partner, agent, file = world
    user = {
        "partner": lambda: member_of(partner, role=Role.MANAGER),  # reads and acts on the file, did not open it
        "outsider": lambda: member_of(OrganisationFactory(code="AUTRE")),
        "observatory": lambda: member_of(org, role=Role.OBSERVATORY),  # no nominative role
    }[who]()
    with pytest.raises(PermissionDenied, match="qui a ouvert le dossier"):
        corrections.cancel_file(file, user, REASON)
    corrections.cancel_file(file, agent, REASON)
    with pytest.raises(PermissionDenied, match="qui a ouvert le dossier"):
        corrections.restore_file(file, user, REASON)
    assert PreventionFile.objects.get(pk=file.pk).cancelled_at is not None


def test_a_cancelled_file_takes_no_new_record_nor_correction(world):
    org, _partner, agent, file = world
    event = file.events.get(kind=EventKind.ORDER_TO_PAY)
    corrections.cancel_file(file, agent, REASON)
    with pytest.raises(ValidationError, match="est annulé"):
        add_event(file, EventKind.STAYS, D(2010, 12, 1), agent, org, today=TODAY)
    with pytest.raises(ValidationError, match="est annulé"):
        corrections.correct_event(event, agent, REASON, date=D(2010, 2, 2), today=TODAY)
    corrections.restore_file(file, agent, REASON)
    corrections.correct_event(event, agent, REASON, date=D(2010, 2, 2), today=TODAY)


def test_a_cancelled_file_leaves_the_queues_and_the_search(world):
    org, _partner, agent, file = world
    plan_with_local_practices(contact_after_summons_days=15, diagnosis_before_hearing_days=42)
    waiting = make_file(org, last_name="Doublon", first_name="Autre")
    EventFactory(file=waiting, kind=EventKind.SUMMONS, date=D(2010, 11, 1), hearing_date=D(2011, 1, 20))
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 11, 2), hearing_date=D(2011, 1, 21))
    from toit.eviction.procedure import refresh_procedure_state

    refresh_procedure_state(file)
    refresh_procedure_state(waiting)

    def queue():
        return set(PreventionFile.objects.awaiting_contact(agent, today=TODAY))

    assert queue() == {file, waiting}
    assert set(search_files(agent, "Doublon")) == {file, waiting}
    corrections.cancel_file(file, agent, REASON)
    assert queue() == {waiting}
    assert set(search_files(agent, "Doublon")) == {waiting}
    assert set(search_files(agent, "")) == {waiting}
    # Its exact reference still finds it: how its organisation comes back to restore it.
    assert list(search_files(agent, file.reference)) == [file]
    corrections.restore_file(file, agent, REASON)
    assert queue() == {file, waiting}


def test_indicators_exclude_a_cancelled_file_and_count_it_again_once_restored(world):
    _org, _partner, agent, file = world
    before = eviction_values()
    counted = {key for key, v in before.items() if v}
    # The file has a bit of everything: the test would pass on nothing otherwise.
    assert {"eviction.assignations", "eviction.fsl_private_stay_households", "eviction.repayment_plans_started"} <= (
        counted
    )
    assignations = registry.get("eviction.assignations").func.by_commune(Period.year(2010), "72")
    assert sum(assignations.values()) == 1

    corrections.cancel_file(file, agent, REASON)
    after = eviction_values()
    assert {key: v for key, v in after.items() if v} == {}
    assert sum(registry.get("eviction.assignations").func.by_commune(Period.year(2010), "72").values()) == 0

    corrections.restore_file(file, agent, REASON)
    assert eviction_values() == before
