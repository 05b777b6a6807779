"""Accommodation structures and their places on a date (sheets 2D-2G): aggregates, nothing
about residents. The indicators themselves are read through /api/indicators/."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import extend_schema

from toit.accommodation.models import Structure
from toit.api.enums import Scope
from toit.api.problems import InvalidParameters
from toit.api.schema import problems
from toit.api.serializers.accommodation import StructureQuerySerializer, StructureSerializer
from toit.api.views.base import ApiView
from toit.territory.models import Department
from toit.utils.collation import french


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
