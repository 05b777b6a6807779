"""One small world for the security walks: a plan with three partner organisations, a file
of the first (CAF72) shared with the second (DDE72) and unknown to the third (CCAS72), a
report, an import job, steering records and a published report; and the five kinds of
visitor of the access matrix. A marker is planted in the household's name: it must never
appear where the visitor may not read the file."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.api.factories import ImportIssueFactory, ImportJobFactory
from tests.eviction.factories import EventFactory, HouseholdFactory, HouseholdMemberFactory, ReportFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.sample import SAMPLE_PLAN
from tests.steering.factories import AgendaItemFactory, DecisionFactory, MeetingFactory, StudyOrderFactory
from tests.territory.factories import CommuneFactory
from toit.eviction import access, intake
from toit.eviction.enums import EventKind, ParticipantReason, ReportSource
from toit.eviction.models import ReportTransmission
from toit.imports.mappings import SOURCE_KINDS
from toit.metrics.periods import Period
from toit.observatory.enums import ReportKind
from toit.observatory.models import PublishedReport
from toit.organisations.enums import Role
from toit.organisations.models import Organisation
from toit.plans.loader import load, parse
from toit.steering.attachments import attach
from toit.www.eviction.followup import ACTIONS

MARKER = "Zqxmarqueur"  # the household's name: unique in the whole site
ROLES = ("owner", "partner", "unrelated", "observatory", "anonymous")

# A third partner of the plan, so that every logged-in visitor may see the plan's
# aggregate pages: only the file separates them.
PLAN = SAMPLE_PLAN.replace(
    """  - code: DDE72
    name: DDE de la Sarthe
    kind: etat
""",
    """  - code: DDE72
    name: DDE de la Sarthe
    kind: etat
  - code: CCAS72
    name: CCAS du Mans
    kind: collectivite
""",
).replace("        responsible: [DDE72]\n", "        responsible: [DDE72]\n        partners: [CCAS72]\n")


@dataclass
class World:
    plan: object
    file: object
    report: object
    job: object
    publication: object
    meeting: object
    decision: object
    order: object
    attachment: object
    users: dict
    dwellings: object = None
    structure: object = None  # accommodation (sheets 2D-2G): a structure managed by the owner
    stay: object = None
    application: object = None
    project: object = None
    priority: dict = None  # issue 13: a record of each priority-access file, held by the owner
    agenda_item: object = None


def _publication(plan):
    pdf, xlsx = b"%PDF-1.7 rapport", b"PK\x03\x04 classeur"
    period = Period.parse("2010T3")
    return PublishedReport.objects.create(
        plan=plan,
        kind=ReportKind.QUARTERLY,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        version=1,
        data_version="abc",
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        xlsx=xlsx,
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
    )


def build_world():
    plan = load(parse(PLAN)).plan
    owner, partner, unrelated = (Organisation.objects.get(code=c) for c in ("CAF72", "DDE72", "CCAS72"))
    users = {
        "owner": member_of(owner, first_name="Olga", last_name="Owner"),
        "partner": member_of(partner, first_name="Paul", last_name="Partner"),
        "unrelated": member_of(unrelated, first_name="Ugo", last_name="Unrelated"),
        "observatory": member_of(owner, role=Role.OBSERVATORY, first_name="Odile", last_name="Observatoire"),
        "anonymous": None,
        # Not a role of the matrix: the responsable who may ask for an exceptional access.
        "manager": member_of(unrelated, role=Role.MANAGER, first_name="Manon", last_name="Manager"),
    }
    household = HouseholdFactory(commune=CommuneFactory(name="Le Mans"), street=f"1 rue {MARKER}")
    HouseholdMemberFactory(household=household, last_name=MARKER, first_name="Sylvie")
    file = intake.open_file(household, [], users["owner"], owner, opened_on=datetime.date(2010, 1, 4))
    access.share_file(file, partner, users["owner"], owner)
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1), amount=Decimal("900"))
    # An assignation with no contact since: the file is in a work queue.
    EventFactory(
        file=file, kind=EventKind.SUMMONS, date=datetime.date(2010, 5, 3), hearing_date=datetime.date(2010, 9, 14)
    )
    report = ReportFactory(reporting_organisation=owner, last_name=MARKER, reported_on=datetime.date(2010, 1, 2))
    intake.attach_report(report, file, users["owner"])
    # A report still to match: in the list of reports and in the work queue.
    ReportFactory(
        reporting_organisation=owner, last_name=MARKER, first_name="Autre", reported_on=datetime.date(2011, 3, 1)
    )
    # A report of a fourth organisation naming the household's person: transmitted to the
    # file's participants (issue 10), its author sees nothing of the file.
    bailiff = OrganisationFactory(code="HUISSIERS72", name="Étude d'huissiers")
    reporter = member_of(bailiff)
    intake.record_report(
        reporter,
        bailiff,
        source=ReportSource.LANDLORD,
        reported_on=datetime.date(2011, 4, 1),
        debt_amount=Decimal("700"),
        last_name=MARKER,
        first_name="Sylvie",
        birth_date=datetime.date(1975, 4, 12),
        today=datetime.date(2012, 1, 1),
    )
    job = ImportJobFactory(organisation=owner, original_name=f"impayes-{MARKER}.csv", user=users["owner"])
    ImportIssueFactory(job=job, column="Nom", value=MARKER)
    priority = _priority_access_world(file, owner)
    meeting = MeetingFactory(plan=plan)
    order = StudyOrderFactory(plan=plan, requested_by=owner)
    upload = SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4 compte rendu", content_type="application/pdf")
    dwellings = _dwellings_world(household.commune, owner, partner)
    users["dwellings_manager"] = member_of(owner, role=Role.MANAGER, first_name="Pia", last_name="Pôle")
    world = World(
        dwellings=dwellings,
        plan=plan,
        file=file,
        report=report,
        job=job,
        publication=_publication(plan),
        meeting=meeting,
        decision=DecisionFactory(meeting=meeting),
        agenda_item=AgendaItemFactory(meeting=meeting),
        order=order,
        attachment=attach(user=users["owner"], upload=upload, meeting=meeting),
        users=users,
        priority=priority,
    )
    _accommodation(world, owner)
    return world


def _accommodation(world, owner):
    """A structure managed by the owner, with a resident carrying the marker, and an
    application of the same name to a commission whose secretariat is the owner."""
    from tests.accommodation.factories import (
        ApplicationFactory,
        CapacityPeriodFactory,
        CommissionFactory,
        FundingFactory,
        PartnershipFactory,
        ProjectFactory,
        StayFactory,
        StructureFactory,
    )

    commune = world.file.household.commune
    world.structure = StructureFactory(manager=owner, commune=commune, department=commune.department)
    CapacityPeriodFactory(structure=world.structure, places=12)
    world.stay = StayFactory(structure=world.structure, resident__last_name=MARKER, entry_on=datetime.date(2010, 2, 1))
    commission = CommissionFactory(department=commune.department, secretariat=owner)
    world.application = ApplicationFactory(
        commission=commission, last_name=MARKER, applied_on=datetime.date(2010, 1, 5)
    )
    world.project = ProjectFactory(department=commune.department, commune=commune, name="Maison relais du Parc")
    PartnershipFactory(structure=world.structure)
    FundingFactory(structure=world.structure)


@dataclass
class DwellingsWorld:
    dwelling: object
    owner: object
    decision: object
    proposal: object
    case: object = None
    act: object = None
    work: object = None


def _dwellings_world(commune, *members):
    """The register (sheets 2A-2C): the pôle of the Sarthe counts the owner's and the
    partner's organisations, not the unrelated one; the owner's name carries the marker."""
    from tests.dwellings.factories import (
        CaseFactory,
        DwellingFactory,
        EnergyDiagnosisFactory,
        HousingPoleFactory,
        OwnerFactory,
        PoleMemberFactory,
        PrescribedWorkFactory,
        PstDwellingFactory,
    )
    from toit.dwellings import merging
    from toit.dwellings.models import IndelicacyDecision

    pole = HousingPoleFactory(department=commune.department)
    for organisation in members:
        PoleMemberFactory(pole=pole, organisation=organisation)
    owner = OwnerFactory(department=commune.department, name=f"SCI {MARKER}")
    dwelling = DwellingFactory(commune=commune, owner=owner, street_number="3", street="rue Zqx")
    DwellingFactory(commune=commune, owner=owner, street_number="3", street="r. Zqx")  # a duplicate
    case = CaseFactory(dwelling=dwelling)
    work = PrescribedWorkFactory(act__case=case, deadline=datetime.date(2010, 9, 1))
    PstDwellingFactory(dwelling=dwelling)
    EnergyDiagnosisFactory(dwelling=dwelling)
    decision = IndelicacyDecision.objects.create(
        pole=pole,
        owner=owner,
        decided_on=datetime.date(2010, 3, 1),
        grounds="Arrêtés d'insalubrité non exécutés",
        review_due_on=datetime.date(2099, 3, 1),
    )
    (proposal,) = merging.propose_merges(commune.department)
    return DwellingsWorld(
        dwelling=dwelling, owner=owner, decision=decision, proposal=proposal, case=case, act=work.act, work=work
    )


def _priority_access_world(file, owner):
    """Issue 13: a DALO appeal and a demand of the owner's, for the marked household, joined
    by an accepted link; a link to review between the appeal and the eviction file; and a
    record of the owner's in each other file, for the API's record endpoints."""
    from tests.priority_access.factories import (
        ContingentProposalFactory,
        DaloAppealFactory,
        HousingDemandFactory,
        MousFollowupFactory,
        ProjectFollowupFactory,
        SlidingLeaseFactory,
    )
    from toit.linkage.enums import LinkStatus
    from toit.linkage.models import LinkRun, RecordLink

    department = file.household.commune.department
    common = {"department": department, "holder": owner, "last_name": MARKER, "first_name": "Sylvie"}
    appeal = DaloAppealFactory(priority=True, **common)
    demand = HousingDemandFactory(**common)
    run = LinkRun.objects.create(
        department=department,
        sources=["dalo", "demande", "expulsion"],
        started_at=datetime.datetime(2011, 1, 3, tzinfo=datetime.UTC),
        lower_threshold=0.3,
        upper_threshold=0.999,
    )
    RecordLink.objects.create(
        run=run,
        left_source="dalo",
        left_pk=appeal.pk,
        right_source="demande",
        right_pk=demand.pk,
        probability=0.9999,
        status=LinkStatus.ACCEPTED,
    )
    review = RecordLink.objects.create(
        run=run,
        left_source="dalo",
        left_pk=appeal.pk,
        right_source="expulsion",
        right_pk=file.pk,
        probability=0.9,
        status=LinkStatus.REVIEW,
    )
    return {
        "demand": demand,
        "dalo_appeal": appeal,
        "contingent_proposal": ContingentProposalFactory(**common),
        "project_followup": ProjectFollowupFactory(**common),
        "sliding_lease": SlidingLeaseFactory(**common),
        "mous_followup": MousFollowupFactory(**common),
        "review_link": review,
    }


def _pk(view_name, world):
    """`pk` names a different record in each view."""
    by_view = {
        "eviction:report": world.report,
        "eviction:report_attach": world.report,
        "eviction:report_open_file": world.report,
        "eviction:transmission_decide": world.report,
        "eviction:report_join": world.report,
        "api:report": world.report,
        "api:report_attach": world.report,
        "api:report_open_file": world.report,
        "imports:detail": world.job,
        "imports:progress": world.job,
        "imports:decide": world.job,
        "imports:rerun": world.job,
        "imports:errors": world.job,
        "api:import": world.job,
        "api:import_errors": world.job,
        "api:import_errors_csv": world.job,
        "api:publication": world.publication,
        "api:publication_pdf": world.publication,
        "api:publication_xlsx": world.publication,
        "observatory:download": world.publication,
        "steering:meeting": world.meeting,
        "steering:meeting_edit": world.meeting,
        "steering:agenda_add": world.meeting,
        "steering:decision_add": world.meeting,
        "steering:minutes_upload": world.meeting,
        "steering:decision_follow_up": world.decision,
        "steering:decision_correct": world.decision,
        "steering:agenda_correct": world.agenda_item,
        "steering:order": world.order,
        "steering:order_edit": world.order,
        "steering:deliverable_upload": world.order,
        "steering:order_step": world.order,
        "steering:attachment": world.attachment,
        "dwellings:dwelling": world.dwellings.dwelling,
        "api:dwelling": world.dwellings.dwelling,
        "dwellings:correct": world.dwellings.dwelling,
        "dwellings:indelicacy_new": world.dwellings.owner,
        "dwellings:indelicacy_review": world.dwellings.decision,
        "dwellings:merge_decide": world.dwellings.proposal,
        "dwellings:case_new": world.dwellings.dwelling,
        "dwellings:dpe_new": world.dwellings.dwelling,
        "dwellings:report_new": world.dwellings.case,
        "dwellings:visit_new": world.dwellings.case,
        "dwellings:qualification_new": world.dwellings.case,
        "dwellings:act_new": world.dwellings.case,
        "dwellings:rehousing_new": world.dwellings.case,
        "dwellings:case_exit": world.dwellings.case,
        "dwellings:works_new": world.dwellings.act,
        "dwellings:works_done": world.dwellings.work,
        "accommodation:structure": world.structure,
        "api:accommodation_structure_stays": world.structure,
        "api:accommodation_structure_occupancy": world.structure,
        "accommodation:stay_correct": world.stay,
        "accommodation:stay_entry": world.structure,
        "accommodation:stay_exit": world.stay,
        "accommodation:resident_correct": world.stay.resident,
        "accommodation:application_correct": world.application,
        "accommodation:capacity": world.structure,
        "accommodation:partnership_new": world.structure,
        "accommodation:partnership": world.structure,
        "accommodation:funding_new": world.structure,
        "accommodation:funding": world.structure,
        "accommodation:project_advance": world.project,
        "accommodation:project_correct": world.project,
        "accommodation:application": world.application,
        "priority_access:household": world.file,
    }
    if view_name in ("observatory:publication", "observatory:publication_progress"):
        from toit.observatory.enums import RunStatus
        from toit.observatory.models import PublicationRun

        run = PublicationRun.objects.filter(plan=world.plan).first() or PublicationRun.objects.create(
            plan=world.plan,
            kind=ReportKind.QUARTERLY,
            period_code=world.publication.period_code,
            status=RunStatus.DONE,
            report=world.publication,
            new_version=True,
        )
        return [run.pk]
    if view_name == "eviction:correct":
        return [world.file.events.order_by("pk").first().pk]
    if view_name == "plans:correct":
        from toit.plans.models import Indicator, Measurement

        indicator = Indicator.objects.get(plan=world.plan, code="1A-1")
        measurement = Measurement.objects.filter(indicator=indicator).first() or Measurement.objects.create(
            indicator=indicator,
            period_start=datetime.date(2010, 1, 1),
            period_end=datetime.date(2010, 12, 31),
            periodicity="year",
            value=Decimal("12"),
            source="CAF",
        )
        return [measurement.pk]
    by_view |= {f"api:priority_access_{name}": record for name, record in world.priority.items()}
    by_view["api:linkage_link_decision"] = world.priority["review_link"]
    if view_name not in by_view:
        raise AssertionError(
            f"Paramètre « pk » de la vue « {view_name} » : dites quel enregistrement il désigne dans _pk "
            "(tests/security/conftest.py)."
        )
    return [by_view[view_name].pk]


# Parameter name → (view name, world) → the values to try.
PARAMETERS = {
    "reference": lambda view, world: [world.file.reference],
    "action": lambda view, world: sorted(ACTIONS),
    "pk": _pk,
    "transmission_pk": lambda view, world: list(ReportTransmission.objects.values_list("pk", flat=True)[:1]),
    "partnership_pk": lambda view, world: list(world.structure.partnerships.values_list("pk", flat=True)[:1]),
    "funding_pk": lambda view, world: list(world.structure.fundings.values_list("pk", flat=True)[:1]),
    "plan_code": lambda view, world: [world.plan.code],
    "uidb64": lambda view, world: ["MQ"],
    "token": lambda view, world: ["lien-invalide"],
    "action_code": lambda view, world: ["1A"],
    "indicator_code": lambda view, world: ["1A-1"],
    "code": lambda view, world: ["CAF72"],
    "fmt": lambda view, world: ["pdf", "xlsx"],
    # « kind » names a register of dwellings (dwellings:…) or a correctable record (eviction:…).
    "kind": lambda view, world: ["logement"] if view.startswith("dwellings") else ["evenement"],
    "department": lambda view, world: ["72"],
    "module": lambda view, world: ["prevention"],
    "source": lambda view, world: ["expulsion"],
    "department_code": lambda view, world: [world.file.household.commune.department.code],
    "source_kind": lambda view, world: [next(code for code, source in SOURCE_KINDS.items() if source.sample)],
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module, outside the tests' transactions (what a test writes, such
    as access-log entries, is rolled back); removed at the end of the module."""
    from django.conf import settings

    old_root = settings.TOIT_PRIVATE_MEDIA_ROOT
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("prive")
    with django_db_blocker.unblock():
        built = build_world()
        assert access.is_visible(built.file, built.users["partner"])
        assert built.file.participants.filter(reason=ParticipantReason.SHARING).exists()
        yield built
        call_command("flush", "--noinput", verbosity=0)
    settings.TOIT_PRIVATE_MEDIA_ROOT = old_root
