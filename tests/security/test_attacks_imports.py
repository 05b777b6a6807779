"""Attacks of issue 10 through file imports: an organisation's agent uploads the CAF's or a
landlord's file format with identities it wants to test, or an assignation list naming
files it wants to join. An import never grants access; the préfecture joins only the files
of its own département, logged; an import's error report says the same of a reference
that does not exist and of one the importer does not follow."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.eviction.factories import HouseholdFactory, HouseholdMemberFactory, PreventionFileFactory
from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts, import_file, issues, upload
from tests.imports.world import build_world
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog
from toit.eviction.enums import ParticipantReason, TransmissionStatus
from toit.eviction.models import Report, ReportTransmission
from toit.imports import jobs
from toit.imports.enums import Decision

D = datetime.date
SUMMONS = ["Nom", "Prénom", "Date de naissance", "Adresse", "Commune", "Bailleur", "Date de l'assignation"]
SUMMONS += ["Date d'audience"]
EVENTS = ["Référence du dossier", "Événement", "Date", "Date d'audience", "Décision du jugement", "Montant"]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture(params=["ligne à ligne", "ensembliste"])
def import_path(request, settings):
    settings.TOIT_IMPORT_SET_BASED = request.param == "ensembliste"
    return request.param


def unfollow(world):
    """The CAF stops following Mme Durand's file (the world's council shared it)."""
    world.durand_file.participants.filter(organisation=world.caf).delete()


def participant_codes(file):
    return set(file.participants.values_list("organisation__code", flat=True))


class TestReportImports:
    def test_a_matching_row_never_lets_the_importer_in(self, world, import_path):
        """The CAF does not take part in Mme Durand's file (opened by the council)."""
        unfollow(world)
        job = import_file(world.users["CAF72"], world.caf, "impayes_caf_msa", csv_bytes([CAF_HEADER, caf_row("1")]))
        assert job.imported_rows == 1 and (job.matched_rows, job.unmatched_rows) == (0, 1)
        assert "CAF72" not in participant_codes(world.durand_file)
        report = Report.objects.get()
        assert report.file is None
        (transmission,) = ReportTransmission.objects.all()
        assert (transmission.report, transmission.file, transmission.status) == (
            report,
            world.durand_file,
            TransmissionStatus.PENDING,
        )

    def test_a_row_of_a_file_the_importer_follows_is_attached_without_new_participation(self, world, import_path):
        assert world.durand_file.participants.filter(organisation=world.caf, reason=ParticipantReason.SHARING)
        before = set(world.durand_file.participants.values_list("organisation__code", "reason"))
        job = import_file(world.users["CAF72"], world.caf, "impayes_caf_msa", csv_bytes([CAF_HEADER, caf_row("1")]))
        assert (job.matched_rows, job.unmatched_rows) == (1, 0)
        assert Report.objects.get().file == world.durand_file
        assert set(world.durand_file.participants.values_list("organisation__code", "reason")) == before
        assert not ReportTransmission.objects.exists()

    def test_a_sweep_of_birth_dates_finds_nothing_and_alerts(self, world, import_path, settings, mailoutbox):
        """One name with every birth date of a month around the right one."""
        unfollow(world)
        settings.ADMINS = ["securite@example.org"]
        settings.TOIT_IMPORT_UNMATCHED_ALERT_MIN = 20
        rows = [caf_row(str(n), born=f"{day:02d}/04/1975") for n, day in enumerate(range(1, 31), start=1)]
        job = import_file(world.users["CAF72"], world.caf, "impayes_caf_msa", csv_bytes([CAF_HEADER, *rows]))
        assert job.imported_rows == 30 and job.matched_rows == 0
        assert "CAF72" not in participant_codes(world.durand_file)
        assert ReportTransmission.objects.count() == 1  # the right birth date, for the council to decide
        (alert,) = mailoutbox
        assert "30 signalements sur 30" in alert.body and "CAF72" in alert.body

    def test_a_file_past_the_organisation_volume_is_refused(self, world, settings):
        settings.TOIT_REPORT_IMPORT_MAX_ROWS = 2
        rows = [caf_row(str(n), last=f"NOM{n}") for n in range(1, 4)]
        job = upload(world.users["CAF72"], world.caf, "impayes_caf_msa", csv_bytes([CAF_HEADER, *rows]))
        before = domain_counts()
        with pytest.raises(ValidationError, match="au-delà de 2 lignes par import"):
            jobs.decide(job, world.users["CAF72"], Decision.VALID_ONLY)
        assert domain_counts() == before
        settings.TOIT_REPORT_IMPORT_MAX_ROWS_BY_ORGANISATION = {"CAF72": "5000"}
        job = jobs.decide(job, world.users["CAF72"], Decision.VALID_ONLY)
        job.refresh_from_db()
        assert job.imported_rows == 3


class TestEventImports:
    def test_unknown_and_not_yours_get_one_message(self, world):
        job = upload(world.users["CAF72"], world.caf, "evenements", csv_bytes([
            EVENTS,
            [world.benali_file.reference, "Protocole", "03/06/2011", "", "", ""],
            ["PX-ZZZZ-ZZZZ", "Protocole", "03/06/2011", "", "", ""],
        ]))  # fmt: skip
        (_, column_a, _, theirs), (_, column_b, _, unknown) = issues(job)
        assert column_a == column_b == "Référence du dossier"
        assert theirs.replace(world.benali_file.reference, "REF") == unknown.replace("PX-ZZZZ-ZZZZ", "REF")
        assert "CCAS" not in theirs and "ne participe pas" not in theirs

    def test_an_identity_of_a_file_one_does_not_follow_is_not_named(self, world):
        """The FSL lists Mme Lemoine, whose file it does not follow: the error report does not
        say that she has a file, nor which."""
        world.lemoine_file.participants.filter(organisation=world.fsl).delete()
        header = ["Numéro de décision", "Référence du dossier", "Objet", "Décision", "Date de la décision"]
        header += ["Nom", "Prénom", "Date de naissance"]
        job = upload(world.users["FSL72"], world.fsl, "decisions_fsl", csv_bytes([
            header, ["D1", "", "accès", "refus", "26/05/2010", "LEMOINE", "Claire", "21/06/1988"],
        ]))  # fmt: skip
        [(_, _, _, message)] = issues(job)
        assert world.lemoine_file.reference not in message and "ne participe pas" not in message

    def test_the_prefecture_joins_only_files_of_its_own_department(self, world):
        mayenne = CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne"), name="Laval")
        household = HouseholdFactory(commune=mayenne, street="1 rue de Laval")
        HouseholdMemberFactory(household=household, last_name="MARTIN", first_name="Léa", birth_date=D(1980, 1, 2))
        elsewhere = PreventionFileFactory(household=household)
        row = ["MARTIN", "Léa", "02/01/1980", "1 rue de Laval", "", "M. Propriétaire", "06/09/2010", "15/11/2010"]
        upload(world.users["PREF72"], world.prefecture, "assignations", csv_bytes([SUMMONS, row]))
        assert "PREF72" not in participant_codes(elsewhere)
        assert not elsewhere.events.exists()
        # A file of the Sarthe: the préfecture joins by law, and the join is logged.
        row = ["BENALI", "Samir", "09/01/1971", "40 rue de Bretagne", "72181", "", "06/09/2010", "15/11/2010"]
        job = import_file(world.users["PREF72"], world.prefecture, "assignations", csv_bytes([SUMMONS, row]))
        assert job.matched_rows == 1
        assert "PREF72" in participant_codes(world.benali_file)
        entry = AccessLog.objects.get(action=AccessAction.JOIN)
        assert (entry.object_ref, entry.organisation) == (world.benali_file.reference, world.prefecture)
