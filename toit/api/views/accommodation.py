"""Accommodation (sheets 2D-2G). Structures and their places on a date: aggregates, for
every partner. Stays (residents' entries and exits) and a structure's occupancy month by
month: for the structure's staff only (toit.accommodation.access, as the structure's page),
decided in SQL before anything is read; another organisation gets an empty list or a 404,
the observatory role a 403 (it reads occupancy through /api/indicators/, under statistical
disclosure control)."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from toit.accommodation import access
from toit.accommodation.models import Stay, Structure
from toit.accommodation.monthly import monthly_figures
from toit.api.enums import Scope
from toit.api.problems import InvalidParameters
from toit.api.schema import problems
from toit.api.serializers.accommodation import (
    OccupancyQuerySerializer,
    OccupancySerializer,
    StayListQuerySerializer,
    StayQuerySerializer,
    StaySerializer,
    StructureQuerySerializer,
    StructureSerializer,
)
from toit.api.views.base import ApiView
from toit.territory.models import Department
from toit.utils.collation import french

NOT_FOUND = "Aucune structure gérée par votre organisation ne porte ce numéro."
STRUCTURE = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Numéro de la structure (voir /api/accommodation/structures/)."
)


class StructureList(ApiView):
    scopes = {"GET": Scope.INDICATORS_READ}
    query_serializer = StructureQuerySerializer
    serializer_class = StructureSerializer

    def get_queryset(self):
        query = self.query()
        structures = Structure.objects.all()
        if code := query.get("department"):
            if not Department.objects.filter(code=code).exists():
                raise InvalidParameters({"department": [f"Département inconnu : « {code[:5]} »."]})
            structures = structures.filter(department__code=code)
        day = query.get("on") or timezone.localdate()
        in_force = Q(capacities__valid_from__lte=day) & (
            Q(capacities__valid_until__isnull=True) | Q(capacities__valid_until__gt=day)
        )
        return (
            structures.select_related("commune", "manager")
            .annotate(places=Coalesce(Sum("capacities__places", filter=in_force), 0))
            .order_by("department__code", french("name"), "pk")
        )

    @extend_schema(
        operation_id="accommodation_structures_list",
        summary="Structures d'hébergement et de logement adapté d'un département",
        description="Les structures (maisons relais, résidences, CHRS, hôtels sociaux, FJT…) avec leurs places "
        "ouvertes à une date, tirées de la capacité datée. Aucune donnée sur les résidents.",
        parameters=[StructureQuerySerializer],
        responses={200: StructureSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Hébergement"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def staffed_structure(request, pk):
    """The structure if the caller is among its staff, else 404 (the same for a structure
    that does not exist and one of another organisation)."""
    try:
        return Structure.objects.filter(access.staffed_structures_q(request.user)).get(pk=pk)
    except Structure.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def filtered_stays(stays, query):
    if structure := query.get("structure"):
        stays = stays.filter(structure_id=structure)
    if start := query.get("entered_from"):
        stays = stays.filter(entry_on__gte=start)
    if end := query.get("entered_to"):
        stays = stays.filter(entry_on__lte=end)
    if start := query.get("exited_from"):
        stays = stays.filter(exit_on__gte=start)
    if end := query.get("exited_to"):
        stays = stays.filter(exit_on__lte=end)
    if day := query.get("present_on"):
        stays = stays.filter(Q(entry_on__lte=day), Q(exit_on__isnull=True) | Q(exit_on__gt=day))
    if origin := query.get("origin"):
        stays = stays.filter(origin=origin)
    if destination := query.get("destination"):
        stays = stays.filter(destination=destination)
    # One column then the id: the pagination pages by keyset (« apres »).
    return stays.select_related("structure", "resident").order_by("-entry_on", "-pk")


STAYS_DESCRIPTION = (
    "Chaque séjour : le résident, l'entrée et sa provenance, la sortie et sa destination, les plus récentes "
    "entrées d'abord. Réservé au personnel de la structure (membres de l'organisation gestionnaire) : "
    "les données des résidents sont sensibles (une résidence accueil révèle une souffrance psychique). "
    "Chaque séjour lu est inscrit au journal des accès."
)


class StayList(ApiView):
    scopes = {"GET": Scope.STAYS_READ}
    query_serializer = StayQuerySerializer
    serializer_class = StaySerializer

    def get_queryset(self):
        return filtered_stays(Stay.objects.visible_to(self.request.user), self.query())

    @extend_schema(
        operation_id="accommodation_stays_list",
        summary="Séjours des structures gérées par l'organisation",
        description=f"{STAYS_DESCRIPTION} Une autre organisation reçoit une liste vide.",
        parameters=[StayQuerySerializer],
        responses={200: StaySerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Hébergement"],
    )
    def get(self, request):
        rows = self.paginate_queryset(self.get_queryset())
        self.log_reads(rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class StructureStayList(ApiView):
    scopes = {"GET": Scope.STAYS_READ}
    query_serializer = StayListQuerySerializer
    serializer_class = StaySerializer

    def get_queryset(self):
        stays = Stay.objects.visible_to(self.request.user).filter(structure=self.structure)
        return filtered_stays(stays, self.query())

    @extend_schema(
        operation_id="accommodation_structure_stays_list",
        summary="Séjours d'une structure",
        description=f"{STAYS_DESCRIPTION} Une structure qui n'est pas gérée par l'organisation répond 404, comme "
        "une structure inexistante.",
        parameters=[STRUCTURE, StayListQuerySerializer],
        responses={200: StaySerializer(many=True), **problems(400, 401, 403, 404, 429)},
        tags=["Hébergement"],
    )
    def get(self, request, pk):
        self.query()
        self.structure = staffed_structure(request, pk)
        rows = self.paginate_queryset(self.get_queryset())
        self.log_reads(rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class StructureOccupancy(ApiView):
    scopes = {"GET": Scope.STAYS_READ}
    query_serializer = OccupancyQuerySerializer
    serializer_class = OccupancySerializer
    pagination_class = None

    def get_queryset(self):
        return Structure.objects.filter(access.staffed_structures_q(self.request.user))

    @extend_schema(
        operation_id="accommodation_structure_occupancy",
        summary="Occupation d'une structure, mois par mois",
        description="Pour chaque mois demandé (60 au plus, les 12 derniers par défaut) : journées-places "
        "disponibles (sur la capacité datée, jour par jour), journées-places occupées (nuitées des séjours), taux "
        "d'occupation, séjours en cours, entrées et sorties — calculés comme les indicateurs du plan, de sorte "
        "que les mois d'une année s'additionnent en l'année. Des agrégats, mais d'une seule structure, où un "
        "effectif de 1 désigne une personne : réservé au personnel de la structure, comme ses séjours. Les "
        "services de l'État et l'observatoire lisent l'occupation par /api/indicators/, sous secret statistique.",
        parameters=[STRUCTURE, OccupancyQuerySerializer],
        responses={200: OccupancySerializer, **problems(400, 401, 403, 404, 429)},
        tags=["Hébergement"],
    )
    def get(self, request, pk):
        query = self.query()
        structure = staffed_structure(request, pk)
        months = monthly_figures(structure, query["month_from"], query["month_to"])
        return Response(self.get_serializer({"structure": structure, "months": months}).data)
