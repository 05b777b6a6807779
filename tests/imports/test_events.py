"""Assignations, FSL decisions and generic events: the domain's own refusals (procedure,
participation) come back in the check's error report, before anything is written."""

import datetime

from tests.eviction.factories import HouseholdFactory, HouseholdMemberFactory, PreventionFileFactory
from tests.imports.helpers import csv_bytes, domain_counts, import_file, issues, upload
from toit.eviction.enums import EventKind
from toit.eviction.models import Event, PreventionFile

D = datetime.date
EVENTS = ["Référence du dossier", "Événement", "Date", "Date d'audience", "Décision du jugement", "Montant"]
SUMMONS = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "Adresse",
    "Commune",
    "Bailleur",
    "Date de l'assignation",
    "Date d'audience",
]


def test_procedure_errors_are_reported_by_the_check(world):
    user, council = world.users["CG72"], world.council
    before = domain_counts()
    job = upload(user, council, "evenements", csv_bytes([
        EVENTS,
        ["PX-3K7M-Q9TD", "Jugement", "15/11/2010", "", "résiliation", ""],
        ["PX-3K7M-Q9TD", "Assignation", "06/09/2010", "", "", ""],
        ["PX-ZZZZ-ZZZZ", "Protocole", "03/06/2011", "", "", ""],
        ["PX-3K7M-Q9TD", "Indemnisation du bailleur", "03/06/2011", "", "", ""],
    ]))  # fmt: skip
    assert domain_counts() == before and (job.valid_rows, job.rejected_rows) == (0, 4)
    found = {line: (column, message) for line, column, _, message in issues(job)}
    assert found[2][1].startswith(
        "Le jugement du 15/11/2010 ne peut pas être enregistré : un jugement suppose une assignation"
    )
    assert found[3] == ("Date d'audience", "Assignation : renseignez le champ « date d'audience ».")
    assert found[4] == (
        "Référence du dossier",
        "Aucun dossier suivi par votre organisation ne porte la référence PX-ZZZZ-ZZZZ",
    )
    assert found[5][1].startswith("Indemnisation du bailleur : renseignez le champ")


def test_rows_of_one_file_see_each_other_in_order(world):
    """An assignation then its judgment, in the same file: the check applies them in order."""
    job = import_file(world.users["CG72"], world.council, "evenements", csv_bytes([
        EVENTS,
        ["PX-3K7M-Q9TD", "Assignation", "06/09/2010", "15/11/2010", "", "1 800"],
        ["PX-3K7M-Q9TD", "Jugement", "15/11/2010", "", "Résiliation du bail et expulsion", ""],
    ]))  # fmt: skip
    assert job.imported_rows == 2 and job.error_count == 0


def test_an_organisation_not_in_the_file_is_refused(world):
    job = upload(world.users["CAF72"], world.caf, "evenements", csv_bytes([
        EVENTS, ["PX-3K7M-Q9TD", "Protocole", "03/06/2011", "", "", ""],
    ]))  # fmt: skip
    [(_line, _column, _value, message)] = issues(job)
    # The message of a reference that does not exist: the CAF learns nothing (issue 10).
    assert message == "Aucun dossier suivi par votre organisation ne porte la référence PX-3K7M-Q9TD"


def test_an_uncertain_assignation_names_the_candidates(world):
    """Two files with the person: no guess, the references to choose from."""
    household = HouseholdFactory()
    HouseholdMemberFactory(household=household, last_name="DURAND", first_name="Sylvie", birth_date=D(1975, 4, 12))
    other = PreventionFileFactory(household=household)
    job = upload(world.users["PREF72"], world.prefecture, "assignations", csv_bytes([
        SUMMONS, ["DURAND", "Sylvie", "12/04/1975", "1 rue X", "72181", "", "06/09/2010", "15/11/2010"],
    ]))  # fmt: skip
    [(_line, column, _value, message)] = issues(job)
    assert column == "Référence du dossier" and "plusieurs dossiers correspondent" in message
    assert world.durand_file.reference in message and other.reference in message


def test_an_address_without_the_person_is_not_opened_blindly(world):
    """Nobody of that name, but a file at that address with that landlord: maybe the same
    household, written differently; the user decides."""
    row = ["DURANT", "Silvie", "", "12 bis rue de la Gare", "72181", "SCI Les Tilleuls", "06/09/2010", "15/11/2010"]
    job = upload(world.users["PREF72"], world.prefecture, "assignations", csv_bytes([SUMMONS, row]))
    [(_, _, _, message)] = issues(job)
    assert "un dossier existe peut-être déjà" in message and world.durand_file.reference in message


def test_an_unknown_household_opens_a_file_only_when_the_landlord_is_known(world):
    job = upload(world.users["PREF72"], world.prefecture, "assignations", csv_bytes([
        SUMMONS, ["NOUVEAU", "Jean", "", "3 rue Y", "72181", "", "06/09/2010", "15/11/2010"],
    ]))  # fmt: skip
    [(_, column, _, message)] = issues(job)
    assert column == "Bailleur" and "parc social ou privé" in message
    files = PreventionFile.objects.count()
    job = import_file(world.users["PREF72"], world.prefecture, "assignations", csv_bytes([
        SUMMONS, ["NOUVEAU", "Jean", "", "3 rue Y", "72181", "M. Propriétaire", "06/09/2010", "15/11/2010"],
    ]))  # fmt: skip
    assert job.opened_files == 1 and PreventionFile.objects.count() == files + 1
    opened = Event.objects.get(kind=EventKind.SUMMONS).file
    assert opened.household.private_landlord.name == "M. Propriétaire" and opened.opened_on == D(2010, 9, 6)


def test_fsl_needs_to_take_part_in_the_file(world):
    world.lemoine_file.participants.filter(organisation=world.fsl).delete()
    job = upload(world.users["FSL72"], world.fsl, "decisions_fsl", csv_bytes([
        ["Numéro de décision", "Référence du dossier", "Objet", "Décision", "Date de la décision"],
        ["D1", "PX-8H2N-R4WX", "accès", "refus", "26/05/2010"],
        ["D2", "PX-3K7M-Q9TD", "maintien", "accordé", "26/05/2010"],
    ]))  # fmt: skip
    found = {line: (column, message) for line, column, _, message in issues(job)}
    assert found[2][1] == "Aucun dossier suivi par votre organisation ne porte la référence PX-8H2N-R4WX"
    assert found[3][0] in ("Forme de l'aide", "Montant accordé")
    assert "accordée" in found[3][1]
