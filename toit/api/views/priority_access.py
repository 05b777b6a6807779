"""Priority-access records through the API (sheets 3A-3D): demands, DALO appeals with
their legal deadlines, contingent proposals, démarche projet, sliding leases, MOUS. Each
record is read by the members of the organisation holding the file it comes from, as on
the pages (toit.priority_access.access), decided in SQL before anything is read; any
other organisation gets an empty list or the 404 of a record that does not exist. Every
record returned is written to the access log."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from toit.api.enums import Scope
from toit.api.problems import InvalidParameters
from toit.api.schema import problems
from toit.api.serializers import priority_access as s
from toit.api.views.base import ApiView
from toit.priority_access.deadlines import with_deadlines
from toit.priority_access.enums import DaloDecision
from toit.priority_access.models import (
    ContingentProposal,
    DaloAppeal,
    HousingDemand,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
)
from toit.territory.models import Department

NOT_FOUND = "Aucune fiche du fichier que détient votre organisation ne porte ce numéro."
TAG = "Accès prioritaire"
READ_NOTE = (
    "Réservé aux membres de l'organisation qui détient le fichier (gestionnaire du fichier de la demande, "
    "secrétariat de la commission de médiation, préfecture, conseil général, association, opérateur de la MOUS) ; "
    "chaque fiche lue est inscrite au journal des accès."
)


class RecordList(ApiView):
    scopes = {"GET": Scope.PRIORITY_ACCESS_READ}
    query_serializer = s.RecordQuerySerializer
    model = None
    date_field = None
    related = ()

    def get_queryset(self):
        query = self.query()
        rows = self.model.objects.visible_to(self.request.user)
        if code := query.get("department"):
            if not Department.objects.filter(code=code).exists():
                raise InvalidParameters({"department": [f"Département inconnu : « {code} »."]})
            rows = rows.filter(department__code=code)
        if commune := query.get("commune"):
            rows = rows.filter(commune=commune)
        rows = self.narrow(rows, query)
        # One column then the id: the pagination pages by keyset (« apres »).
        return rows.select_related("department", "holder", "commune", *self.related).order_by(
            f"-{self.date_field}", "-pk"
        )

    def narrow(self, rows, query):
        return rows

    def rows(self, page):
        return page

    def get(self, request):
        page = self.rows(list(self.paginate_queryset(self.get_queryset())))
        self.log_reads(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RecordDetail(ApiView):
    scopes = {"GET": Scope.PRIORITY_ACCESS_READ}
    pagination_class = None
    model = None
    related = ()

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def rows(self, page):
        return page

    def get(self, request, pk):
        self.query()
        record = (
            self.get_queryset().select_related("department", "holder", "commune", *self.related).filter(pk=pk).first()
        )
        if record is None:
            raise Http404(NOT_FOUND)
        (record,) = self.rows([record])
        self.log_reads(record)
        return Response(self.get_serializer(record).data)


class DaloRows:
    """DALO appeals carry their deadlines, computed as on the DALO queue page."""

    def rows(self, page):
        return with_deadlines(page, timezone.localdate())


def _overdue_pks(rows, today):
    """Primary keys, among `rows`, of the appeals whose running deadline is past."""
    running = rows.filter(decided_on__isnull=True) | rows.filter(decision=DaloDecision.PRIORITY).not_rehoused_on(today)
    appeals = list(running.only("pk", "department_id", "filed_on", "decided_on", "decision", "rehoused_on", "ended_on"))
    return [appeal.pk for appeal in with_deadlines(appeals, today) if appeal.overdue]


class DaloList(DaloRows, RecordList):
    query_serializer = s.DaloQuerySerializer

    def narrow(self, rows, query):
        overdue = query.get("overdue")
        if overdue is None:
            return rows
        pks = _overdue_pks(rows, timezone.localdate())
        return rows.filter(pk__in=pks) if overdue else rows.exclude(pk__in=pks)


class DaloDetail(DaloRows, RecordDetail):
    pass


RECORD_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Numéro de la fiche dans Toit.")

# (path segment, model, serializer, date field of the order, relations to read with it, what)
KINDS = (
    ("demands", HousingDemand, s.DemandSerializer, "filed_on", ("allocated_landlord",), "Demandes de logement social"),
    ("dalo-appeals", DaloAppeal, s.DaloAppealSerializer, "filed_on", (), "Recours DALO et leurs délais légaux"),
    (
        "contingent-proposals",
        ContingentProposal,
        s.ContingentProposalSerializer,
        "proposed_on",
        ("landlord",),
        "Propositions sur le contingent préfectoral",
    ),
    (
        "project-followups",
        ProjectFollowup,
        s.ProjectFollowupSerializer,
        "taken_in_on",
        (),
        "Ménages en démarche projet",
    ),
    ("sliding-leases", SlidingLease, s.SlidingLeaseSerializer, "started_on", ("landlord",), "Baux glissants"),
    ("mous-followups", MousFollowup, s.MousFollowupSerializer, "mediated_on", (), "Ménages suivis par la MOUS"),
)


def _views(segment, model, serializer, date_field, related, label):
    name = segment.replace("-", "_")
    list_base, detail_base = (DaloList, DaloDetail) if model is DaloAppeal else (RecordList, RecordDetail)
    query_serializer = list_base.query_serializer

    class List(list_base):
        @extend_schema(
            operation_id=f"priority_access_{name}_list",
            summary=label,
            description=f"Les fiches, les plus récentes d'abord ({model._meta.get_field(date_field).verbose_name}). "
            f"{READ_NOTE} Une autre organisation reçoit une liste vide.",
            parameters=[query_serializer],
            responses={200: serializer(many=True), **problems(400, 401, 403, 429)},
            tags=[TAG],
        )
        def get(self, request):
            return super().get(request)

    class Detail(detail_base):
        @extend_schema(
            operation_id=f"priority_access_{name}_retrieve",
            summary=f"{label} : une fiche",
            description=f"{READ_NOTE} Une fiche d'un autre fichier répond 404, comme une fiche inexistante.",
            parameters=[RECORD_ID],
            responses={200: serializer, **problems(401, 403, 404, 429)},
            tags=[TAG],
        )
        def get(self, request, pk):
            return super().get(request, pk)

    attributes = {"model": model, "serializer_class": serializer, "related": related}
    listing = type(f"{model.__name__}List", (List,), {**attributes, "date_field": date_field})
    detail = type(f"{model.__name__}Detail", (Detail,), attributes)
    return name, segment, listing, detail


VIEWS = [_views(*kind) for kind in KINDS]
