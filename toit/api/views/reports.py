"""Reports of unpaid rent (fiche 1A) sent by partners' systems: record one
(intake.record_report), see the files it may belong to (find_matches), then attach it to
one of them (intake.attach_report) or open a file from it (intake.open_file_from_report)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from toit.api.authentication import api_key
from toit.api.enums import Scope
from toit.api.problems import refused
from toit.api.schema import problems
from toit.api.serializers.reports import (
    AttachInputSerializer,
    OpenedFileSerializer,
    OpenFileInputSerializer,
    ReportInputSerializer,
    ReportQuerySerializer,
    ReportSerializer,
    ReportWithMatchesSerializer,
)
from toit.api.views.base import ApiView
from toit.eviction import access, intake
from toit.eviction.enums import TransmissionStatus
from toit.eviction.matching import find_matches
from toit.eviction.models import Report, ReportTransmission
from toit.eviction.references import clean_reference

NOT_FOUND = "Aucun signalement visible par votre organisation ne porte ce numéro."
REPORT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Identifiant du signalement.")
MATCH_REASON = "rapprochement d'un signalement"


def reporting_organisation(request, requested):
    """A key reports for its organisation; a person for the one they name, or their only one."""
    key = api_key(request)
    if key is not None:
        if requested is not None and requested.pk != key.organisation_id:
            raise PermissionDenied(
                f"Cette clé signale au nom de « {key.organisation} » ({key.organisation.code}) : omettez "
                "« organisation » ou indiquez ce code."
            )
        return key.organisation
    if requested is not None:
        return requested
    candidates = list(access.acting_organisations(request.user).order_by("code")[:5])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise PermissionDenied(
            "Seuls les agents, responsables et administrateurs d'une organisation partenaire peuvent signaler."
        )
    names = ", ".join(o.code for o in candidates)
    raise refused(
        f"Vous êtes membre de plusieurs organisations : précisez au nom de laquelle vous signalez ({names}).",
        "/organisation",
    )


def with_candidates(request, report, log):
    """Attach to `report` the files it may belong to among those the caller already reads,
    when the caller may handle it (a member of the reporting organisation) and it is
    neither matched nor transmitted; `log` records them in the access log."""
    report.candidates = []
    may_handle = access.nominative_memberships(request.user).filter(organisation=report.reporting_organisation_id)
    if report.file_id is None and not report.has_transmission and may_handle.exists():
        report.candidates = find_matches(report.identity, request.user)
        log([c.file for c in report.candidates], MATCH_REASON)
    return report


def reports_of(user):
    """Reports the user sees, with whether they read its file and whether it was
    transmitted (what « status » says: a report transmitted to a file its author does not
    read is « transmis », and nothing more)."""
    return (
        Report.objects.visible_to(user)
        .select_related("reporting_organisation", "commune", "social_landlord", "file")
        .annotate(
            file_readable=access.reads_file(user, OuterRef("file")),
            has_transmission=Exists(
                ReportTransmission.objects.filter(report=OuterRef("pk"), status=TransmissionStatus.PENDING)
            ),
        )
    )


def visible_report(request, pk):
    try:
        return reports_of(request.user).get(pk=pk)
    except Report.DoesNotExist:
        raise Http404(NOT_FOUND) from None


class ReportList(ApiView):
    scopes = {"GET": Scope.REPORTS_READ, "POST": Scope.REPORTS_WRITE}
    query_serializer = ReportQuerySerializer
    serializer_class = ReportSerializer

    def get_queryset(self):
        filters = self.query()
        reports = reports_of(self.request.user)
        if filters.get("matched") is not None:
            # « Matched » to a file the caller reads: a report attached by another file's
            # participants stays « transmis » to its author, matched or not.
            readable = access.reads_file(self.request.user, OuterRef("file"))
            reports = reports.filter(readable) if filters["matched"] else reports.exclude(readable)
        if start := filters.get("reported_from"):
            reports = reports.filter(reported_on__gte=start)
        if end := filters.get("reported_to"):
            reports = reports.filter(reported_on__lte=end)
        return reports.order_by("-reported_on", "-pk")

    @extend_schema(
        operation_id="reports_list",
        summary="Signalements visibles par l'organisation",
        description="Les signalements faits par l'organisation, et ceux rattachés à un dossier qu'elle voit. "
        "Chaque lecture est inscrite au journal des accès.",
        parameters=[ReportQuerySerializer],
        responses={200: ReportSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Signalements"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        self.log_reads(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="reports_create",
        summary="Déposer un signalement d'impayé",
        description="Enregistre un signalement d'impayé de loyer au nom de l'organisation de la clé, puis "
        "cherche, parmi les dossiers que l'organisation suit déjà, ceux qui peuvent être ceux du ménage (même "
        "nom, prénom et date de naissance, ou même adresse et même bailleur). La réponse les donne dans "
        "« matches » : rattachez le signalement à l'un d'eux (POST …/attach/) ou ouvrez un dossier "
        "(POST …/open-file/). Quand la personne est celle d'un dossier que l'organisation ne suit pas, le "
        "signalement est transmis à ses participants (« status » : « transmis ») et l'API n'en dit pas plus. "
        "Toit ne rattache jamais seul.",
        request=ReportInputSerializer,
        responses={201: ReportWithMatchesSerializer, **problems(400, 401, 403, 422, 429)},
        tags=["Signalements"],
    )
    def post(self, request):
        self.query()
        serializer = ReportInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        organisation = reporting_organisation(request, fields.pop("organisation", None))
        report = intake.record_report(request.user, organisation, **fields)
        report = visible_report(request, report.pk)
        with_candidates(request, report, self.log_reads)
        data = ReportWithMatchesSerializer(report, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


class ReportDetail(ApiView):
    scopes = {"GET": Scope.REPORTS_READ}
    serializer_class = ReportWithMatchesSerializer
    pagination_class = None

    def get_queryset(self):
        return reports_of(self.request.user)

    @extend_schema(
        operation_id="reports_retrieve",
        summary="Un signalement",
        description="Le signalement, et tant qu'il n'est pas rattaché, les dossiers qui peuvent être ceux du ménage. "
        "La lecture est inscrite au journal des accès.",
        parameters=[REPORT_ID],
        responses={200: ReportWithMatchesSerializer, **problems(401, 403, 404, 429)},
        tags=["Signalements"],
    )
    def get(self, request, pk):
        self.query()
        report = visible_report(request, pk)
        self.log_reads(report)
        with_candidates(request, report, self.log_reads)
        return Response(self.get_serializer(report).data)


class ReportAttach(ApiView):
    scopes = {"POST": Scope.REPORTS_WRITE}
    serializer_class = AttachInputSerializer
    pagination_class = None

    def get_queryset(self):
        return reports_of(self.request.user)

    @extend_schema(
        operation_id="reports_attach",
        summary="Rattacher un signalement à un dossier proposé",
        description="Rattache le signalement à l'un des dossiers que propose « matches » (des dossiers que "
        "l'organisation suit déjà) : un événement « impayé signalé » y est ajouté.",
        parameters=[REPORT_ID],
        request=AttachInputSerializer,
        responses={200: ReportSerializer, **problems(400, 401, 403, 404, 422, 429)},
        tags=["Signalements"],
    )
    def post(self, request, pk):
        self.query()
        report = visible_report(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access.require_may_handle_report(request.user, report)
        reference = clean_reference(serializer.validated_data["file"])
        # Only a file find_matches proposes: a reference typed by hand must not open another file.
        candidates = find_matches(report.identity, request.user)
        file = next((c.file for c in candidates if reference and c.file.reference == reference), None)
        if file is None:
            raise refused(
                "Ce dossier ne fait pas partie des rapprochements proposés pour ce signalement : choisissez une "
                "référence donnée dans « matches », ou ouvrez un dossier.",
                "/file",
            )
        intake.attach_report(report, file, request.user)
        report = visible_report(request, pk)
        return Response(ReportSerializer(report, context=self.get_serializer_context()).data)


class ReportOpenFile(ApiView):
    scopes = {"POST": Scope.REPORTS_WRITE}
    serializer_class = OpenFileInputSerializer
    pagination_class = None

    def get_queryset(self):
        return reports_of(self.request.user)

    @extend_schema(
        operation_id="reports_open_file",
        summary="Ouvrir un dossier à partir d'un signalement",
        description="Quand aucun dossier proposé n'est celui du ménage : ouvre un dossier au nom de l'organisation "
        "qui signale, avec le ménage et sa personne de référence tels que signalés (les champs du corps "
        "complètent ou remplacent l'adresse, la commune, le parc…), et y rattache le signalement.",
        parameters=[REPORT_ID],
        request=OpenFileInputSerializer,
        responses={201: OpenedFileSerializer, **problems(400, 401, 403, 404, 422, 429)},
        tags=["Signalements"],
    )
    def post(self, request, pk):
        self.query()
        report = visible_report(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        file = intake.open_file_from_report(report, request.user, **serializer.validated_data)
        data = OpenedFileSerializer(file, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})
