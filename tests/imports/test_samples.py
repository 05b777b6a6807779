"""Each documented sample file imports from the page and from the command line, with the
result the documentation describes."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.imports.world import SAMPLES
from toit.eviction.enums import EventKind, FslAidForm, FslResult, HousingSector, ParticipantReason, ReportSource
from toit.eviction.models import Event, FileParticipant, FslDecision, PreventionFile, Report
from toit.imports.enums import JobStatus
from toit.imports.models import ImportJob

D = datetime.date
SAMPLE_RUNS = {
    # source kind: (organisation attribute, organisation code, sample)
    "impayes_caf_msa": ("caf", "CAF72", "impayes-caf-msa.csv"),
    "impayes_bailleur": ("landlord", "SARTHE-HABITAT", "impayes-bailleur.xlsx"),
    "assignations": ("prefecture", "PREF72", "assignations.csv"),
    "decisions_fsl": ("fsl", "FSL72", "decisions-fsl.csv"),
    "evenements": ("council", "CG72", "evenements.csv"),
    "demandes_logement_social": ("council", "CG72", "demandes-logement-social.csv"),
}


def through_page(client, world, source_kind):
    attribute, code, sample = SAMPLE_RUNS[source_kind]
    client.force_login(world.users[code])
    with (SAMPLES / sample).open("rb") as handle:
        response = client.post(
            reverse("imports:new"),
            {"organisation": getattr(world, attribute).pk, "source_kind": source_kind, "file": handle},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[job.pk])
    assert job.status == JobStatus.VALIDATED and job.error_count == 0, list(job.issues.values_list("message"))
    client.post(reverse("imports:decide", args=[job.pk]), {"decision": "tout_ou_rien"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.failure
    return job


def through_command(world, source_kind):
    _, code, sample = SAMPLE_RUNS[source_kind]
    out = StringIO()
    call_command(
        "toit_import",
        source_kind,
        str(SAMPLES / sample),
        organisation=code,
        user=world.users[code].username,
        stdout=out,
    )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE, out.getvalue()
    assert "Importé" in out.getvalue()
    return job


@pytest.fixture(params=["page", "commande"])
def run(request, client, world):
    def run(source_kind):
        if request.param == "page":
            return through_page(client, world, source_kind)
        return through_command(world, source_kind)

    return run


def test_unpaid_rent_from_the_caf(run, world):
    job = run("impayes_caf_msa")
    assert (job.encoding, job.separator, job.imported_rows, job.matched_rows, job.unmatched_rows) == (
        "Windows-1252", ";", 5, 1, 4,
    )  # fmt: skip
    durand = Report.objects.get(last_name="DURAND née MARTIN")
    assert durand.file == world.durand_file and durand.matched_by == world.users["CAF72"]
    assert durand.debt_amount == Decimal("1234.56") and durand.birth_date == D(1975, 4, 12)
    assert durand.source == ReportSource.CAF_MSA and durand.private_landlord_name == "SCI Les Tilleuls"
    assert Event.objects.get(report=durand).kind == EventKind.UNPAID_REPORTED
    # Attached to a file the CAF already follows: no participation added (issue 10).
    assert not world.durand_file.participants.filter(organisation=world.caf, reason=ParticipantReason.REPORT).exists()
    lefevre = Report.objects.get(last_name="LEFÈBVRE")
    assert lefevre.file is None and lefevre.birth_date == D(1968, 6, 5) and lefevre.debt_amount == Decimal("2310.00")
    assert lefevre.social_landlord == world.landlord and lefevre.sector == HousingSector.SOCIAL
    assert Report.objects.get(last_name="N'DIAYE").street == "27 avenue Jean Jaurès"
    assert Report.objects.get(last_name="MOREAU").street == "8 rue du Cœur Volant"
    assert set(Report.objects.awaiting_match(world.users["CAF72"])) == set(Report.objects.filter(file=None))


def test_unpaid_rent_from_a_social_landlord_in_xlsx(run, world):
    job = run("impayes_bailleur")
    assert (job.file_format, job.imported_rows, job.unmatched_rows) == ("xlsx", 3, 3)
    moreau = Report.objects.get(last_name="MOREAU")
    assert (moreau.source, moreau.social_landlord, moreau.sector) == (
        ReportSource.LANDLORD, world.landlord, HousingSector.SOCIAL,
    )  # fmt: skip
    assert (moreau.reported_on, moreau.debt_amount, moreau.months_unpaid) == (D(2010, 4, 14), Decimal("3980.40"), 7)
    assert Report.objects.get(last_name="BOULAY").commune == world.communes["72154"]


def test_assignations_from_the_prefecture(run, world):
    job = run("assignations")
    assert (job.imported_rows, job.matched_rows, job.opened_files) == (2, 1, 1)
    summons = Event.objects.get(file=world.durand_file, kind=EventKind.SUMMONS)
    assert (summons.date, summons.hearing_date, summons.prefect_notified_on, summons.amount) == (
        D(2010, 9, 6), D(2010, 11, 15), D(2010, 9, 8), Decimal("2480.12"),
    )  # fmt: skip
    assert world.durand_file.participants.filter(organisation=world.prefecture).exists()
    opened = PreventionFile.objects.get(opened_by=world.prefecture)
    household = opened.household
    assert (household.sector, household.social_landlord, household.commune) == (
        HousingSector.SOCIAL, world.landlord, world.communes["72181"],
    )  # fmt: skip
    assert str(household.members.get()) == "PETIT Karim"
    assert opened.events.get().amount == Decimal("1900.00")
    assert FileParticipant.objects.filter(file=opened, organisation=world.landlord).exists()


def test_decisions_of_the_fsl(run, world):
    job = run("decisions_fsl")
    assert (job.encoding, job.separator, job.imported_rows) == ("ISO-8859-1", "\t", 3)
    granted = FslDecision.objects.get(file=world.benali_file)
    assert (granted.result, granted.aid_form, granted.amount, granted.decided_on) == (
        FslResult.GRANTED, FslAidForm.GRANT, Decimal("800.00"), D(2010, 5, 12),
    )  # fmt: skip
    loan = FslDecision.objects.get(file=world.durand_file)  # found by the identity
    assert (loan.aid_form, loan.under_guarantee) == (FslAidForm.LOAN, True)
    assert FslDecision.objects.get(file=world.lemoine_file).result == FslResult.REFUSED


def test_household_events(run, world):
    job = run("evenements")
    assert job.imported_rows == 5
    kinds = list(world.benali_file.events.order_by("date").values_list("kind", flat=True))
    assert kinds == [EventKind.ORDER_TO_PAY, EventKind.CCAPEX, EventKind.SUMMONS, EventKind.JUDGMENT]
    judgment = world.benali_file.events.get(kind=EventKind.JUDGMENT)
    assert judgment.judgment_outcome == "delais_paiement" and judgment.note == "Plan sur 24 mois"
    assert world.benali_file.participants.filter(organisation=world.prefecture).exists()  # from the assignation on
    assert world.lemoine_file.events.get().kind == EventKind.PROTOCOL


def test_social_housing_demands(run, world):
    """Issue 13: the demand register's extract, held by the importing organisation."""
    from toit.priority_access.enums import AllocationChannel
    from toit.priority_access.models import HousingDemand

    job = run("demandes_logement_social")
    assert job.imported_rows == 2
    noel = HousingDemand.objects.get(number="0720800001")
    assert (noel.holder, noel.department.code, noel.birth_date) == (world.council, "72", D(1975, 3, 12))
    assert noel.priority_grounds == ["sans_logement"] and noel.allocated_on is None
    dupont = HousingDemand.objects.get(number="0720800002")
    assert dupont.priority_grounds == ["handicap", "delai"]
    assert (dupont.allocated_landlord, dupont.allocation_channel, dupont.plai_dwelling) == (
        world.landlord, AllocationChannel.ACD, True,
    )  # fmt: skip
    assert set(HousingDemand.objects.visible_to(world.users["CG72"])) == {noel, dupont}
    assert not HousingDemand.objects.visible_to(world.users["CAF72"]).exists()
