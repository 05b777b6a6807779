"""The dwelling register through the API (sheets 2A-2C): for members of the pôle of the
dwelling's département only, as the pages (toit.dwellings.access)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from toit.api.enums import Scope
from toit.api.schema import problems
from toit.api.serializers.dwellings import DwellingDetailSerializer, DwellingQuerySerializer, DwellingSummarySerializer
from toit.api.views.base import ApiView
from toit.dwellings import access
from toit.dwellings.models import Act, Case, Dwelling, PrescribedWork
from toit.www.dwellings.register import search_dwellings

NOT_MEMBER = (
    "Le registre des logements est réservé aux membres du pôle départemental de lutte contre l'habitat indigne : "
    "votre organisation n'en est pas membre."
)


def require_member(user):
    if not access.may_read_register(user):
        raise PermissionDenied(NOT_MEMBER)


class DwellingList(ApiView):
    scopes = {"GET": Scope.DWELLINGS_READ}
    query_serializer = DwellingQuerySerializer
    serializer_class = DwellingSummarySerializer

    def get_queryset(self):
        return Dwelling.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="dwellings_list",
        summary="Logements du registre",
        description="Les logements du registre que l'organisation lit comme membre du pôle, filtrés par commune, "
        "qualification ou étape d'un dossier. Chaque lecture est inscrite au journal des accès.",
        parameters=[DwellingQuerySerializer],
        responses={200: DwellingSummarySerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Logements"],
    )
    def get(self, request):
        filters = self.query()
        require_member(request.user)
        ids = search_dwellings(
            request.user,
            commune=filters.get("commune"),
            qualification=filters.get("qualification", ""),
            stage=filters.get("stage", ""),
        ).values_list("pk", flat=True)
        page_ids = list(self.paginate_queryset(ids))
        found = Dwelling.objects.filter(pk__in=page_ids).select_related("commune", "owner").in_bulk()
        rows = [found[pk] for pk in page_ids]
        self.log_reads(rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class DwellingDetail(ApiView):
    scopes = {"GET": Scope.DWELLINGS_READ}
    serializer_class = DwellingDetailSerializer
    pagination_class = None

    def get_queryset(self):
        return Dwelling.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="dwellings_retrieve",
        summary="Un logement, ses dossiers, arrêtés et travaux",
        responses={200: DwellingDetailSerializer, **problems(401, 403, 404, 429)},
        tags=["Logements"],
    )
    def get(self, request, pk):
        self.query()
        require_member(request.user)
        try:
            dwelling = self.get_queryset().select_related("commune", "owner").get(pk=pk)
        except Dwelling.DoesNotExist:
            raise Http404("Aucun logement du registre que vous lisez ne porte ce numéro.") from None
        acts = Act.objects.prefetch_related(
            Prefetch("works", queryset=PrescribedWork.objects.order_by("deadline", "pk"))
        )
        dwelling.case_rows = list(
            Case.objects.filter(dwelling=dwelling)
            .with_stage()
            .prefetch_related("qualifications", Prefetch("acts", queryset=acts.order_by("signed_on", "pk")))
            .order_by("opened_on", "pk")
        )
        self.log_reads(dwelling)
        return Response(self.get_serializer(dwelling).data)
