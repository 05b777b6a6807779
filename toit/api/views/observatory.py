"""Aggregates: indicator values (the figures of the open data, with the same disclosure
control) and the reports the observatory published. Nothing nominative here."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from toit.api.enums import Scope
from toit.api.indicators import cached_figures
from toit.api.problems import InvalidParameters
from toit.api.schema import problems
from toit.api.serializers.observatory import (
    IndicatorQuerySerializer,
    IndicatorValueSerializer,
    PublicationQuerySerializer,
    PublishedReportSerializer,
)
from toit.api.views.base import ApiView
from toit.observatory.access import access_for
from toit.observatory.models import PublishedReport
from toit.plans.models import Plan

NOT_FOUND = "Aucun rapport publié visible par votre organisation ne porte ce numéro."


def plan_from(query, user):
    """The plan named by `plan=`; without it, the key's organisation's current plan (never the
    most recent plan of the instance, issue 14). Only plans the key may see are named."""
    from toit.plans.selection import current_plan, plans_for

    code = query.get("plan")
    plans = plans_for(user).order_by("-first_year", "code")
    if not code:
        return current_plan(user)  # None: no plan open to the key, an empty list
    plan = plans.filter(code=code).first()
    if plan is None:
        known = ", ".join(plans.values_list("code", flat=True)[:20]) or "aucun plan"
        raise InvalidParameters({"plan": f"Plan inconnu : « {code[:40]} ». Plans disponibles : {known}."})
    return plan


def _latest(rows):
    best = {}
    for row in rows:
        group = (row["indicator"]["code"], row["territory"]["kind"], row["territory"]["code"], row["period"]["kind"])
        if group not in best or row["period"]["start"] > best[group]["period"]["start"]:
            best[group] = row
    chosen = {id(r) for r in best.values()}
    return [r for r in rows if id(r) in chosen]


class IndicatorList(ApiView):
    scopes = {"GET": Scope.INDICATORS_READ}
    query_serializer = IndicatorQuerySerializer
    serializer_class = IndicatorValueSerializer

    def get_queryset(self):
        return Plan.objects.none()  # aggregates come from the open-data rows, not a queryset

    @extend_schema(
        operation_id="indicators_list",
        summary="Valeurs des indicateurs du plan",
        description="Les dernières valeurs calculées (instantanés de l'observatoire) ou saisies (mesures) des "
        "indicateurs du plan, par période et par territoire : département, territoires du plan, EPCI, communes. "
        "Agrégats seulement, avec le secret statistique des données ouvertes : un effectif de 1 à "
        "seuil − 1 sous le département, et toute valeur qui permettrait de le retrouver par différence, est "
        "remplacé par null avec le statut « secret ». Sous le département, chaque indicateur n'est donné qu'à "
        "sa périodicité.",
        parameters=[IndicatorQuerySerializer],
        responses={200: IndicatorValueSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Observatoire"],
    )
    def get(self, request):
        query = self.query()
        plan = plan_from(query, request.user)
        rows = list(cached_figures(plan)) if plan is not None else []
        if codes := query.get("indicator"):
            rows = [r for r in rows if r["indicator"]["code"] in set(codes)]
        if period := query.get("period"):
            rows = [r for r in rows if r["period"]["code"] == period.code]
        if periodicity := query.get("periodicity"):
            rows = [r for r in rows if r["period"]["kind"] == periodicity]
        if level := query.get("level"):
            rows = [r for r in rows if r["territory"]["level"] == level]
        if territory := query.get("territory"):
            rows = [r for r in rows if r["territory"]["code"] == territory]
        if query.get("latest"):
            rows = _latest(rows)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def viewable_plans(user):
    """Plans whose observatory the user may see: the rule of the observatory pages
    (toit.observatory.access.access_for), asked for each plan (there are a handful)."""
    return [plan for plan in Plan.objects.order_by("-first_year", "code") if access_for(user, plan).view]


def publications_of(user):
    return (
        PublishedReport.objects.filter(plan__in=viewable_plans(user))
        .defer("pdf", "xlsx")
        .select_related("plan")
        .order_by("-period_start", "kind", "-version")
    )


class PublicationList(ApiView):
    scopes = {"GET": Scope.PUBLICATIONS_READ}
    query_serializer = PublicationQuerySerializer
    serializer_class = PublishedReportSerializer

    def get_queryset(self):
        query = self.query()
        reports = publications_of(self.request.user)
        if code := query.get("plan"):
            reports = reports.filter(plan__code=code)
        if kind := query.get("kind"):
            reports = reports.filter(kind=kind)
        if query.get("latest"):
            reports = reports.latest_versions()
        return reports

    @extend_schema(
        operation_id="publications_list",
        summary="Rapports publiés par l'observatoire",
        description="Les rapports de suivi (trimestriels, annuels) tels que publiés au comité responsable du plan, "
        "figés à chaque version, pour les plans dont votre organisation est partenaire. Les fichiers se "
        "téléchargent par les adresses de « downloads ».",
        parameters=[PublicationQuerySerializer],
        responses={200: PublishedReportSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Observatoire"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


PUBLICATION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Identifiant du rapport publié.")


class PublicationDetail(ApiView):
    scopes = {"GET": Scope.PUBLICATIONS_READ}
    serializer_class = PublishedReportSerializer
    pagination_class = None

    def get_queryset(self):
        return publications_of(self.request.user)

    @extend_schema(
        operation_id="publications_retrieve",
        summary="Un rapport publié",
        parameters=[PUBLICATION_ID],
        responses={200: PublishedReportSerializer, **problems(401, 403, 404, 429)},
        tags=["Observatoire"],
    )
    def get(self, request, pk):
        self.query()
        report = self.get_queryset().filter(pk=pk).first()
        if report is None:
            raise Http404(NOT_FOUND)
        return Response(self.get_serializer(report).data)


class FileRenderer(BaseRenderer):
    """Lets content negotiation accept the file's own type; the view returns the bytes."""

    format = None
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def file_renderer(media_type, fmt):
    return type(f"{fmt.capitalize()}Renderer", (FileRenderer,), {"media_type": media_type, "format": fmt})


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PublicationDownload(ApiView):
    scopes = {"GET": Scope.PUBLICATIONS_READ}
    pagination_class = None
    fmt = "pdf"

    def get_renderers(self):
        return [file_renderer(CONTENT_TYPES[self.fmt], self.fmt)()]

    def get_queryset(self):
        return publications_of(self.request.user)

    def get(self, request, pk):
        self.query()
        report = (
            PublishedReport.objects.filter(pk=pk, plan__in=viewable_plans(request.user))
            .only("pk", "kind", "period_code", "version", self.fmt)
            .first()
        )
        if report is None:
            raise Http404(NOT_FOUND)
        response = HttpResponse(bytes(getattr(report, self.fmt)), content_type=CONTENT_TYPES[self.fmt])
        response["Content-Disposition"] = f'attachment; filename="{report.filename(self.fmt)}"'
        response["Cache-Control"] = "private, no-store"
        return response


def _download_schema(fmt):
    return extend_schema(
        operation_id=f"publications_{fmt}",
        summary=f"Télécharger le rapport publié ({fmt.upper()})",
        description="Les octets tels que publiés (leur SHA-256 est donné par le rapport).",
        parameters=[PUBLICATION_ID],
        responses={
            (200, CONTENT_TYPES[fmt]): OpenApiResponse(OpenApiTypes.BINARY, description=f"Le fichier {fmt.upper()}."),
            **problems(401, 403, 404, 429),
        },
        tags=["Observatoire"],
    )


class PublicationPdf(PublicationDownload):
    fmt = "pdf"

    @_download_schema("pdf")
    def get(self, request, pk):
        return super().get(request, pk)


class PublicationXlsx(PublicationDownload):
    fmt = "xlsx"

    @_download_schema("xlsx")
    def get(self, request, pk):
        return super().get(request, pk)
