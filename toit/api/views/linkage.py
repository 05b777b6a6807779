"""The cross-matching of partners' files through the API (sheet 3A).

- runs: counts only (records read, pairs compared, links by status), for every partner, as
  on the result page;
- the review queue: the links waiting for a person among those whose BOTH records the
  caller's organisation may read (toit.linkage.access): a link never shows a record the
  organisation does not already see, nor says that it exists; both records shown are
  written to the access log;
- a decision on a link, through toit.linkage.review, by a key on behalf of its own
  organisation, with a reason. A link the caller cannot see gives the 404 of a missing
  one, before the body is even read."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from toit.api.authentication import api_key
from toit.api.enums import Scope
from toit.api.problems import InvalidParameters, refused
from toit.api.schema import problems
from toit.api.serializers import linkage as s
from toit.api.views.base import ApiView
from toit.eviction.access import acting_organisations
from toit.linkage import review, sources
from toit.linkage.enums import LinkStatus
from toit.linkage.models import LinkRun, RecordLink
from toit.territory.models import Department

NOT_FOUND = "Aucun lien dont votre organisation voit les deux fiches ne porte ce numéro."
TAG = "Rapprochement des fichiers"
LINK_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Numéro du lien.")


def _department(code):
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise InvalidParameters({"department": [f"Département inconnu : « {code} »."]})
    return department


class RunList(ApiView):
    scopes = {"GET": Scope.INDICATORS_READ}
    query_serializer = s.RunQuerySerializer
    serializer_class = s.RunSerializer

    def get_queryset(self):
        query = self.query()
        runs = LinkRun.objects.select_related("department")
        if code := query.get("department"):
            runs = runs.filter(department=_department(code))
        counts = {f"count_{status}": Count("links", filter=Q(links__status=status)) for status in LinkStatus.values}
        return runs.annotate(**counts).order_by("-started_at", "-pk")

    @extend_schema(
        operation_id="linkage_runs_list",
        summary="Rapprochements des fichiers partenaires",
        description="Chaque rapprochement d'un département, le plus récent d'abord : fichiers rapprochés, seuils, "
        "fiches lues, paires comparées et liens trouvés par statut. Des comptes, sans nom ni fiche.",
        parameters=[s.RunQuerySerializer],
        responses={200: s.RunSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=[TAG],
    )
    def get(self, request):
        runs = list(self.paginate_queryset(self.get_queryset()))
        for run in runs:
            run.link_counts = {status: getattr(run, f"count_{status}") for status in LinkStatus.values}
            for status, count in (run.purged_links or {}).items():
                run.link_counts[status] = run.link_counts.get(status, 0) + count
        return self.get_paginated_response(self.get_serializer(runs, many=True).data)


def _describe(links):
    """Set left_view and right_view on each link (all visible to the caller: they come from
    visible_to); one query per file. Returns the records' views."""
    wanted = {}
    for link in links:
        wanted.setdefault(link.left_source, set()).add(link.left_pk)
        wanted.setdefault(link.right_source, set()).add(link.right_pk)
    views = {}
    for code, pks in wanted.items():
        views.update({(code, pk): view for pk, view in sources.get(code).describe(pks).items()})
    for link in links:
        link.left_view = views[(link.left_source, link.left_pk)]
        link.right_view = views[(link.right_source, link.right_pk)]
    return views.values()


class ReviewList(ApiView):
    scopes = {"GET": Scope.LINKAGE_READ}
    query_serializer = s.ReviewQuerySerializer
    serializer_class = s.ReviewLinkSerializer

    def get_queryset(self):
        query = self.query()
        department = _department(query["department"]) if query.get("department") else None
        links = review.review_queue(self.request.user, department)
        if run := query.get("run"):
            links = links.filter(run_id=run)
        return links

    @extend_schema(
        operation_id="linkage_review_list",
        summary="Liens à vérifier",
        description="Les paires de fiches que le rapprochement place entre ses deux seuils, la plus probable "
        "d'abord, parmi celles dont votre organisation lit les DEUX fiches : un lien dont une fiche vous est "
        "invisible n'apparaît pas, et rien n'en dit l'existence. Chaque fiche montrée est inscrite au journal "
        "des accès.",
        parameters=[s.ReviewQuerySerializer],
        responses={200: s.ReviewLinkSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=[TAG],
    )
    def get(self, request):
        links = list(self.paginate_queryset(self.get_queryset()))
        views = _describe(links)
        by_source = {}
        for view in views:
            by_source.setdefault(view.source, []).append(view.pk)
        for code, pks in sorted(by_source.items()):
            self.log_reads(list(sources.get(code).model.objects.filter(pk__in=pks).order_by("pk")))
        return self.get_paginated_response(self.get_serializer(links, many=True).data)


def acting_organisation(request, requested):
    """A key acts for its organisation; a person for the one they name, or their only one."""
    key = api_key(request)
    if key is not None:
        if requested is not None and requested.pk != key.organisation_id:
            raise PermissionDenied(
                f"Cette clé décide au nom de « {key.organisation} » ({key.organisation.code}) : omettez "
                "« organisation » ou indiquez ce code."
            )
        return key.organisation
    candidates = acting_organisations(request.user)
    if requested is not None:
        if not candidates.filter(pk=requested.pk).exists():
            raise PermissionDenied(
                f"Vous n'agissez pas au titre de « {requested} » : indiquez une organisation dont vous êtes agent, "
                "responsable ou administrateur."
            )
        return requested
    found = list(candidates.order_by("code")[:5])
    if len(found) == 1:
        return found[0]
    names = ", ".join(o.code for o in found)
    raise refused(
        f"Vous êtes membre de plusieurs organisations : précisez au titre de laquelle vous décidez ({names}).",
        "/organisation",
    )


class LinkDecide(ApiView):
    scopes = {"POST": Scope.LINKAGE_WRITE}
    serializer_class = s.DecisionInputSerializer
    pagination_class = None

    def get_queryset(self):
        return RecordLink.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="linkage_links_decide",
        summary="Trancher un lien",
        description="Dit si les deux fiches du lien sont la même personne (« confirme ») ou non (« rejete »), au nom "
        "de l'organisation de la clé, avec un motif : la décision est enregistrée avec son auteur, sa date et son "
        "motif, sans effacer les précédentes. Un lien dont votre organisation ne voit pas les deux fiches répond "
        "404, comme un lien inexistant. Rejeter un lien accepté au-dessus du seuil haut demande un motif.",
        parameters=[LINK_ID],
        request=s.DecisionInputSerializer,
        responses={200: s.DecisionSerializer, **problems(400, 401, 403, 404, 422, 429)},
        tags=[TAG],
    )
    def post(self, request, pk):
        self.query()
        # Visibility first: a hidden link and a missing one give the same 404, whatever the body.
        link = self.get_queryset().filter(pk=pk).first()
        if link is None:
            raise Http404(NOT_FOUND)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = acting_organisation(request, data.get("organisation"))
        try:
            decision = review.decide(link, request.user, organisation, data["verdict"], data["reason"])
        except RecordLink.DoesNotExist:
            raise Http404(NOT_FOUND) from None
        return Response(s.DecisionSerializer(decision, context=self.get_serializer_context()).data)
