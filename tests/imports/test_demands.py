"""The social housing demand register's extract (issue 17: a few million rows nationally).
The check says what record_demand would refuse, with its words, without applying any row;
the import writes set-based (or row by row, TOIT_IMPORT_SET_BASED off) the same demands and
history; a demand entered between the check and the import stops it, nothing written."""

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.imports.helpers import csv_bytes, import_file, issues, upload
from tests.priority_access.factories import HousingDemandFactory
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus
from toit.imports.history import historical_model
from toit.imports.sinks import SINKS
from toit.priority_access.intake import record_demand
from toit.priority_access.models import HousingDemand

D = datetime.date
KIND = "demandes_logement_social"
HEADER = [
    "Numéro unique", "Nom", "Prénom", "Date de naissance", "Commune de résidence", "Taille du ménage",
    "Ressources mensuelles", "Date de dépôt", "Motifs de priorité", "Date d'attribution", "Bailleur attributaire",
    "Filière d'attribution", "Logement PLA-I",
]  # fmt: skip


def row(number, last="NOËL", first="Éric", born="12/03/1975", commune="72181", size="3", resources="1 150,00",
        filed="15/01/2008", grounds="", allocated="", landlord="", channel="", plai="non"):  # fmt: skip
    return [number, last, first, born, commune, size, resources, filed, grounds, allocated, landlord, channel, plai]


def run(world, *rows, decision=Decision.VALID_ONLY):
    return import_file(world.users["CG72"], world.council, KIND, csv_bytes([HEADER, *rows]), decision=decision)


GOOD = [
    row("0720800001", grounds="Sans logement"),
    row("0720800002", last="DUPONT née MARTIN", first="Sophie", born="", commune="Allonnes", size="", resources="",
        grounds="Handicap, Délai anormalement long", allocated="12/10/2009", landlord="Sarthe Habitat",
        channel="Accord collectif départemental", plai="oui"),
    row("0720800003", resources="980", allocated="02/02/2009", landlord="SARTHE-HABITAT"),
]  # fmt: skip


def snapshot():
    """The demands and their creation records, without ids and clocks."""
    fields = [f.name for f in HousingDemand._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    demands = sorted(HousingDemand.objects.values_list(*fields), key=repr)
    history = historical_model(HousingDemand).objects.filter(history_type="+")
    created = sorted(history.values_list("history_user", "number", "holder", "recorded_by", "priority_grounds"))
    return demands, created


class _Undo(Exception):
    pass


def test_both_ways_write_the_same(world, settings):
    """Set-based SQL and record_demand, on the same rows: the same demands (département from
    the commune, holder, author, priority grounds as a list) and the same creation records."""
    results = {}
    for set_based in (False, True):
        settings.TOIT_IMPORT_SET_BASED = set_based
        try:
            with transaction.atomic():
                job = run(world, *GOOD)
                assert job.status == JobStatus.DONE and job.imported_rows == 3, (job.failure, issues(job))
                results[set_based] = snapshot()
                raise _Undo
        except _Undo:
            pass
    assert results[False] == results[True]
    demands, created = results[True]
    assert len(demands) == 3 and len(created) == 3
    user = world.users["CG72"].pk
    assert {(u, holder, author) for u, _, holder, author, _ in created} == {(user, world.council.pk, user)}
    by_number = {c[1]: c[4] for c in created}
    assert by_number == {"0720800001": ["sans_logement"], "0720800002": ["handicap", "delai"], "0720800003": []}


def test_the_set_based_import_writes_what_record_demand_writes(world, import_path):
    job = run(world, *GOOD)
    assert job.imported_rows == 3
    dupont = HousingDemand.objects.get(number="0720800002")
    assert (dupont.department.code, dupont.holder, dupont.recorded_by) == (
        "72", world.council, world.users["CG72"],
    )  # fmt: skip
    assert (dupont.priority_grounds, dupont.allocated_landlord, dupont.allocation_channel, dupont.plai_dwelling) == (
        ["handicap", "delai"], world.landlord, "acd", True,
    )  # fmt: skip
    assert HousingDemand.objects.get(number="0720800003").monthly_resources == Decimal("980.00")
    assert dupont.history.get().history_type == "+"


def _record_demand_says(world, **fields):
    """What record_demand refuses for these values (the dry run's message), rolled back."""
    sink = SINKS["demandes"]
    try:
        with transaction.atomic():
            record_demand(world.users["CG72"], world.council, commune=world.communes["72181"], **fields)
            raise _Undo
    except _Undo:
        return None
    except Exception as exc:  # the refusal is what is compared
        return " ".join(r.message for r in sink.refusal(exc).refusals)  # each of its errors, in order


def test_each_rule_is_caught_at_check_time_with_record_demands_words(world, import_path):
    """Nothing is applied at check time (no rolled-back dry run); each refusal says what
    record_demand says, on its line."""
    assert not SINKS["demandes"].dry_run
    HousingDemandFactory(number="0720800099", holder=world.caf, department=world.communes["72181"].department)
    rows = [
        row("0720800010", allocated="01/01/2008", landlord="SARTHE-HABITAT"),  # line 2: before filing
        row("0720800011", channel="Contingent préfectoral"),  # line 3: a channel without allocation
        row("0720800012", allocated="01/01/2009"),  # line 4: an allocation without landlord
        row("0" * 31),  # line 5: the model's 30 characters
        row("0720800013", resources="12 345 678,00"),  # line 6: 9 digits at most
        row("0720800099"),  # line 7: the CAF's demand's number, in the same département
        row("0720800014", allocated="01/01/2008", channel="acd"),  # line 8: two rules at once
        *GOOD,
    ]
    base = {"last_name": "NOËL", "first_name": "Éric", "filed_on": D(2008, 1, 15)}
    expected = {
        2: _record_demand_says(
            world, number="A", allocated_on=D(2008, 1, 1), allocated_landlord=world.landlord, **base
        ),
        3: _record_demand_says(world, number="B", allocation_channel="contingent", **base),
        4: _record_demand_says(world, number="C", allocated_on=D(2009, 1, 1), **base),
        5: _record_demand_says(world, number="0" * 31, **base),
        6: _record_demand_says(world, number="D", monthly_resources=Decimal("12345678.00"), **base),
        7: _record_demand_says(world, number="0720800099", **base),
        8: _record_demand_says(world, number="E", allocated_on=D(2008, 1, 1), allocation_channel="acd", **base),
    }
    assert expected[7] == "Une demande porte déjà ce numéro unique dans ce département."
    assert expected[8] == (
        "L'attribution précède le dépôt de la demande : corrigez l'une des deux dates. Une attribution indique sa "
        "date et son bailleur ; sans attribution, pas de filière."
    )
    job = upload(world.users["CG72"], world.council, KIND, csv_bytes([HEADER, *rows]))
    assert HousingDemand.objects.count() == 1  # nothing applied
    found = {}
    for line, column, _, message in issues(job):  # a row's errors one by one, in record_demand's order
        columns, messages = found.get(line, ((), ()))
        found[line] = (*columns, column), (*messages, message)
    columns = {
        2: ("Date d'attribution",), 3: ("",), 4: ("",), 5: ("Numéro unique",), 6: ("Ressources mensuelles",),
        7: ("Numéro unique",), 8: ("Date d'attribution", ""),
    }  # fmt: skip
    assert {line: (c, " ".join(m)) for line, (c, m) in found.items()} == {
        line: (columns[line], message) for line, message in expected.items()
    }, found
    assert (job.valid_rows, job.rejected_rows) == (3, 7)
    assert "CAF" not in expected[7]  # nothing of the other demand's holder
    job = jobs.decide(job, world.users["CG72"], Decision.VALID_ONLY)
    assert job.imported_rows == 3 and HousingDemand.objects.filter(holder=world.council).count() == 3


def test_duplicates_in_the_file_and_numbers_of_others(world, import_path):
    """A number twice in the file: the second is refused. A number a demand entered by hand
    (no import) already has in the département: refused, whoever holds it; the same number in
    another département is another demand."""
    from tests.territory.factories import CommuneFactory, DepartmentFactory

    elsewhere = CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne"), insee_code="53130")
    HousingDemandFactory(number="0720800077", holder=world.landlord, department=world.communes["72181"].department)
    HousingDemandFactory(number="0720800088", holder=world.landlord, department=elsewhere.department)
    job = run(
        world,
        row("0720800001"),
        row("0720800001", first="Autre"),
        row("0720800077"),
        row("0720800088"),
    )
    assert [(line, message[:20]) for line, _, _, message in issues(job)] == [
        (3, "Même « Numéro unique"),
        (4, "Une demande porte dé"),
    ]
    assert job.imported_rows == 2
    assert HousingDemand.objects.filter(number="0720800088").count() == 2
    assert HousingDemand.objects.get(number="0720800077").holder == world.landlord


def test_a_second_import_of_the_same_file_writes_nothing(world, import_path):
    run(world, *GOOD)
    before = snapshot()
    job = run(world, *GOOD)
    assert (job.valid_rows, job.already_imported_rows, job.error_count) == (0, 3, 0)
    assert snapshot() == before


def test_set_based_statements_do_not_grow_with_the_rows(world, settings):
    """Check and import of 40 rows run the statements those of 2 run."""
    settings.TOIT_IMPORT_SET_BASED = True
    user = world.users["CG72"]
    counted = []
    for size, prefix in ((2, "A"), (40, "B")):
        rows = [
            row(f"072{prefix}{n:05d}", grounds="Handicap" if n % 2 else "", allocated="01/02/2009" if n % 3 else "",
                landlord="SARTHE-HABITAT" if n % 3 else "")
            for n in range(size - 1)
        ] + [row(f"072{prefix}99999", allocated="01/01/2008", landlord="SARTHE-HABITAT")]  # fmt: skip
        with CaptureQueriesContext(connection) as checking:
            job = upload(user, world.council, KIND, csv_bytes([HEADER, *rows]))
        with CaptureQueriesContext(connection) as importing:
            job = jobs.decide(job, user, Decision.VALID_ONLY)
        assert (job.imported_rows, job.rejected_rows) == (size - 1, 1), job.failure
        counted.append((len(checking), len(importing)))
    assert counted[0] == counted[1]


def test_a_demand_entered_since_the_check_stops_the_import(world, import_path):
    """Between the check and the import, someone records a demand with a number of the file
    in the département: the set-based import stops, in French, and writes nothing."""
    user = world.users["CG72"]
    job = upload(user, world.council, KIND, csv_bytes([HEADER, *GOOD]))
    assert job.valid_rows == 3
    HousingDemandFactory(number="0720800002", holder=world.caf, department=world.communes["72181"].department)
    job = jobs.decide(job, user, Decision.VALID_ONLY)
    if import_path == "ensembliste":
        assert job.status == JobStatus.FAILED
        assert job.failure == (
            "Ligne 3 refusée : une demande portant ce numéro unique a été enregistrée dans ce département depuis la "
            "vérification du fichier. Rien n'a été importé ; relancez la vérification du fichier."
        )
        assert not HousingDemand.objects.filter(holder=world.council).exists()
    else:  # record_demand's full_clean refuses the row
        assert job.status == JobStatus.DONE and (job.imported_rows, job.rejected_rows) == (2, 1)
        assert issues(job)[0][0] == 3


def test_a_unique_violation_at_insert_says_it_in_french(world, settings, monkeypatch):
    """Past the import's own check (a demand committed by another transaction in between),
    the database's unique constraint stops the INSERT: the failure is still in French."""
    from toit.imports.sinks import demands_sql

    settings.TOIT_IMPORT_SET_BASED = True
    user = world.users["CG72"]
    job = upload(user, world.council, KIND, csv_bytes([HEADER, *GOOD]))
    real = demands_sql._taken

    def blind(fields, alias, join_row):  # the import's check sees nothing: the INSERT meets it
        return real(fields, alias, join_row) + " AND 1 = 0"

    HousingDemandFactory(number="0720800001", holder=world.caf, department=world.communes["72181"].department)
    monkeypatch.setattr(demands_sql, "_taken", blind)
    job = jobs.decide(job, user, Decision.VALID_ONLY)
    assert job.status == JobStatus.FAILED
    assert job.failure.startswith("Import refusé : une demande portant ce numéro unique a été enregistrée")
    assert not HousingDemand.objects.filter(holder=world.council).exists()


def test_a_user_who_may_no_longer_record_is_refused_at_check_time(world):
    """Their role changed between the deposit and the check: each row is refused with
    access.require_may_record_for's words, as the dry run did, in one query."""
    from django.core.files.base import ContentFile

    from toit.imports.runner import run_validation
    from toit.organisations.enums import Role
    from toit.organisations.models import Membership

    user = world.users["CG72"]
    job = jobs.create_job(user, world.council, KIND, ContentFile(csv_bytes([HEADER, *GOOD]), name="f.csv"))
    Membership.objects.filter(user=user, organisation=world.council).update(role=Role.OBSERVATORY)
    job = run_validation(job.pk)
    assert (job.valid_rows, job.rejected_rows) == (0, 3)
    messages = {message for _, _, _, message in issues(job)}
    assert messages == {
        f"Vous ne pouvez pas enregistrer ou corriger une fiche au nom de « {world.council} » : seuls ses agents, "
        "responsables et administrateurs le peuvent."
    }
    assert [line for line, *_ in issues(job)] == [2, 3, 4]
    # How to fix it, in the words of the demand register: no eviction file to take part in.
    assert set(job.issues.values_list("expected", flat=True)) == {
        "un compte d'agent, de responsable ou d'administrateur de l'organisation au nom de laquelle le fichier est "
        "déposé : déposez-le au nom d'une organisation où vous avez ce rôle, ou demandez-le à son administrateur"
    }


def test_a_row_lists_all_its_errors_at_once(world, client, import_path):
    """A row breaking a rule of its own and the number rule (the number taken in the
    département, or too long) lists every error, once each, with its column, its value and
    how to fix it: the partner fixes the row in one go, not one error per re-import. The
    page and both CSV reports (web and API) say the same."""
    from django.urls import reverse

    from toit.api.views.imports import csv_lines as api_csv_lines
    from toit.imports import report

    HousingDemandFactory(number="0720800099", holder=world.caf, department=world.communes["72181"].department)
    rows = [
        row("0720800099", allocated="01/01/2008", landlord="SARTHE-HABITAT"),  # line 2: taken, allocated too early
        row("0" * 31, allocated="01/01/2008", channel="acd"),  # line 3: too long, two allocation rules
        *GOOD,
    ]
    job = upload(world.users["CG72"], world.council, KIND, csv_bytes([HEADER, *rows]))
    before = "L'attribution précède le dépôt de la demande : corrigez l'une des deux dates."
    complete = "Une attribution indique sa date et son bailleur ; sans attribution, pas de filière."
    taken = "Une demande porte déjà ce numéro unique dans ce département."
    found = list(job.issues.order_by("line_number", "pk").values_list("line_number", "column", "value", "message"))
    assert found == [
        (2, "Date d'attribution", "01/01/2008", before),
        (2, "Numéro unique", "0720800099", taken),
        (
            3,
            "Numéro unique",
            "0" * 31,
            "Assurez-vous que cette valeur comporte au plus 30 caractères (actuellement 31).",
        ),
        (3, "Date d'attribution", "01/01/2008", before),
        (3, "", "", complete),
    ], found
    assert all(job.issues.filter(line_number=2, column="Numéro unique").values_list("expected", flat=True))
    assert job.issues.get(line_number=3, column="Numéro unique").expected == "au plus 30 caractères"
    assert (job.valid_rows, job.rejected_rows, job.error_count) == (3, 2, 5)

    client.force_login(world.users["CG72"])
    page = client.get(reverse("imports:detail", args=[job.pk])).text
    assert page.count(before.replace("'", "&#x27;")) == 2 and taken in page
    for lines in (list(report.csv_lines(job)), list(api_csv_lines(job))):
        assert len(lines) == 6  # the header and the five errors
        assert sum(taken in line for line in lines) == 1
