"""Which imported reports attach to a file: exactly one file the importing organisation
follows with the same person (name or birth name, first name, birth date). A row naming a
person of files it does not follow is transmitted to them; nothing gives it access.
Everything else waits in the reporting organisation's queue. Both ways of writing agree."""

import datetime

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.eviction.factories import HouseholdFactory, HouseholdMemberFactory, PreventionFileFactory
from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, import_file, upload
from toit.eviction import access
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import Event, FileParticipant, Report, ReportTransmission
from toit.imports import jobs
from toit.imports.enums import Decision

D = datetime.date
CAF = "impayes_caf_msa"


def follow(world):
    """The CAF follows Mme Durand's file (shared with it by the council)."""
    access.grant(world.durand_file, world.caf, ParticipantReason.SHARING)


def run(world, *rows):
    return import_file(world.users["CAF72"], world.caf, CAF, csv_bytes([CAF_HEADER, *rows]))


def snapshot():
    """What an import wrote, comparable between the two ways of writing."""
    reports = sorted(
        Report.objects.values_list(
            "source", "reporting_organisation", "reported_on", "debt_amount", "months_unpaid", "last_name",
            "first_name", "birth_name", "birth_date", "street", "commune", "sector", "social_landlord",
            "private_landlord_name", "file", "opened_file", "matched_by", "recorded_by",
        )
    )  # fmt: skip
    events = sorted(
        Event.objects.filter(kind=EventKind.UNPAID_REPORTED).values_list(
            "file", "date", "amount", "organisation", "recorded_by", "report__last_name"
        )
    )
    participants = sorted(FileParticipant.objects.values_list("file", "organisation", "reason", "added_by"))
    transmissions = sorted(ReportTransmission.objects.values_list("report__last_name", "file", "status"))
    return reports, events, participants, transmissions, created_history()


def created_history():
    """Per model, the creation records (django-simple-history) naming the importing user, when
    the model keeps a history."""
    from toit.imports.history import historical_model

    found = {}
    for model in (Report, Event, FileParticipant, ReportTransmission):
        history = historical_model(model)
        if history is not None:
            rows = history.objects.filter(history_type="+", history_user__isnull=False)
            found[model.__name__] = sorted(rows.values_list("id", "history_user"))
    return found


def test_exact_person_attaches(world, import_path):
    follow(world)
    job = run(world, caf_row("A1", last="MARTIN"))  # her birth name
    report = Report.objects.get()
    assert report.file == world.durand_file and report.matched_at is not None
    assert job.matched_rows == 1
    event = Event.objects.get(report=report)
    assert (event.file, event.date, event.amount, event.organisation) == (
        world.durand_file, D(2010, 3, 3), report.debt_amount, world.caf,
    )  # fmt: skip
    assert not FileParticipant.objects.filter(
        file=world.durand_file, organisation=world.caf, reason=ParticipantReason.REPORT
    ).exists()


def test_two_files_with_the_person_leave_it_unmatched(world, import_path):
    household = HouseholdFactory()
    HouseholdMemberFactory(household=household, last_name="Durand", first_name="SYLVIE", birth_date=D(1975, 4, 12))
    PreventionFileFactory(household=household, participants=[world.caf])  # both followed by the CAF
    job = run(world, caf_row("A1"))
    assert (job.matched_rows, job.unmatched_rows) == (0, 1)
    assert Report.objects.get().file is None and not Event.objects.exists()


def test_no_birth_date_or_another_birth_date_leaves_it_unmatched(world, import_path):
    job = run(world, caf_row("A1", born=""), caf_row("A2", born="13/04/1975"))
    assert (job.matched_rows, job.unmatched_rows) == (0, 2)


def test_an_address_only_candidate_does_not_stop_the_person(world, import_path):
    """Another household at the same address (a former tenant) is not the person."""
    household = HouseholdFactory(street="12 bis rue de la Gare", commune=world.communes["72181"])
    HouseholdMemberFactory(household=household, last_name="AUTRE", first_name="Jean", birth_date=D(1950, 1, 1))
    PreventionFileFactory(household=household)
    follow(world)
    job = run(world, caf_row("A1"))
    assert job.matched_rows == 1 and Report.objects.get().file == world.durand_file


def test_a_participant_already_there_stays_once(world, import_path):
    follow(world)
    run(world, caf_row("A1"), caf_row("A2", reported="04/03/2010"))
    assert FileParticipant.objects.filter(file=world.durand_file, organisation=world.caf).count() == 1
    assert Event.objects.filter(file=world.durand_file, kind=EventKind.UNPAID_REPORTED).count() == 2


class _Undo(Exception):
    pass


def test_both_ways_write_the_same(world, settings):
    """PostgreSQL: the set-based SQL and the intake's functions, on the same rows, leave the
    same reports, events and participants."""
    household = HouseholdFactory()
    HouseholdMemberFactory(household=household, last_name="PETIT", first_name="Karim", birth_date=D(1979, 7, 30))
    PreventionFileFactory(household=household)
    PreventionFileFactory(household=household)  # two files the CAF does not follow: transmitted to both
    follow(world)
    rows = [
        caf_row("A1"),
        caf_row("A2", last="MARTIN", reported="05/05/2010", debt="12,5"),
        caf_row("A3", last="PETIT", first="Karim", born="30/07/1979"),
        caf_row("A4", last="LEGRAND", first="Zoé", born="", commune="Allonnes"),
        caf_row("A5", last="DURAND née MARTIN", first="sylvie", debt="0"),
    ]
    results = {}
    for set_based in (False, True):
        settings.TOIT_IMPORT_SET_BASED = set_based
        try:
            with transaction.atomic():
                run(world, *rows)
                results[set_based] = snapshot()
                raise _Undo
        except _Undo:
            pass
    assert results[False][:4] == results[True][:4]
    reports, events, _, transmissions, history = results[True]
    assert len(reports) == 5 and len(events) == 3 and len(transmissions) == 2
    # Ids differ from one run to the other: compare who, and how many.
    for created in (results[False][4], history):
        assert {model: len(rows) for model, rows in created.items()} == {
            model: count
            for model, count in (("Report", 5), ("Event", 3), ("FileParticipant", 0), ("ReportTransmission", 2))
            if model in created
        }
        assert {user for rows in created.values() for _, user in rows} <= {world.users["CAF72"].pk}


def test_set_based_statements_do_not_grow_with_the_rows(world, settings):
    """Set-based, on either database, the import of 40 rows runs the statements the import
    of 2 runs: nothing is asked of the database row by row (issue 19)."""
    settings.TOIT_IMPORT_SET_BASED = True
    follow(world)
    user = world.users["CAF72"]
    # A first report moves Mme Durand's file from « ouvert » to « impayé signalé » (its procedure
    # state is refreshed then, once): measured from the second import on, both find it there.
    jobs.decide(upload(user, world.caf, CAF, csv_bytes([CAF_HEADER, caf_row("W0")])), user, Decision.VALID_ONLY)
    counted = []
    for size, prefix in ((2, "A"), (40, "B")):
        # Strangers waiting for an agent, and Mme Durand, attached to the file the CAF follows.
        rows = [caf_row(f"{prefix}{n}", last=f"INCONNU{prefix}{n}") for n in range(size - 1)]
        job = upload(user, world.caf, CAF, csv_bytes([CAF_HEADER, *rows, caf_row(f"{prefix}D")]))
        with CaptureQueriesContext(connection) as queries:
            job = jobs.decide(job, user, Decision.VALID_ONLY)
        assert (job.imported_rows, job.matched_rows, job.unmatched_rows) == (size, 1, size - 1), job.failure
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_ids_are_never_handed_out_twice(world, import_path):
    """Set-based on SQLite, ids are counted from the highest ever given (AUTOINCREMENT's
    sqlite_sequence), not from the highest left: a deleted report's id is not reused, and a
    report written after the import takes the next one (PostgreSQL: its sequence)."""
    run(world, caf_row("A1", last="MARTIN"), caf_row("A2", last="PETIT"))
    highest = Report.objects.order_by("-pk").first()
    gone = highest.pk
    highest.delete()
    run(world, caf_row("B1", last="LEROY"), caf_row("B2", last="SIMON"))
    new = list(Report.objects.filter(last_name__in=["LEROY", "SIMON"]).values_list("pk", flat=True))
    assert len(new) == 2
    assert min(new) > gone
    run(world, caf_row("C1", last="ROUX"))
    assert Report.objects.get(last_name="ROUX").pk > max(new)


def test_a_report_attached_to_a_file_is_its_last_recorded_event(world, import_path):
    """Both ways of writing keep the file's last recorded event (the landing page's recently
    active files), for an open file that nothing else about the report changes."""
    from django.core.management import call_command

    from tests.eviction.factories import EventFactory
    from toit.eviction.models import Event, PreventionFile

    follow(world)
    EventFactory(file=world.durand_file, kind=EventKind.ORDER_TO_PAY, date=D(2009, 12, 1))
    before = PreventionFile.objects.get(pk=world.durand_file.pk)
    run(world, caf_row("A1", last="MARTIN"))
    added = Event.objects.get(report=Report.objects.get(file=world.durand_file))
    after = PreventionFile.objects.get(pk=world.durand_file.pk)
    assert after.last_event_at == added.created_at >= before.last_event_at
    assert after.stage == before.stage
    call_command("toit_procedure_state", "check")


def test_a_report_reopening_a_closed_file_refreshes_its_procedure_state(world, import_path):
    """Both ways of writing keep the stored state the queues read: a report after the debt
    was cleared reopens the file, as add_event would."""
    from django.core.management import call_command

    from tests.eviction.factories import EventFactory
    from toit.eviction.models import PreventionFile

    follow(world)
    EventFactory(file=world.durand_file, kind=EventKind.DEBT_CLEARED, date=D(2009, 12, 1))
    assert PreventionFile.objects.get(pk=world.durand_file.pk).closed_on == D(2009, 12, 1)
    run(world, caf_row("A1", last="MARTIN"))
    assert Report.objects.get().file == world.durand_file
    assert PreventionFile.objects.get(pk=world.durand_file.pk).closed_on is None
    call_command("toit_procedure_state", "check")
