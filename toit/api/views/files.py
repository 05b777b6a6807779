"""Prevention files: list and detail of the files the caller's organisation takes part in
(PreventionFile.objects.visible_to, as the web pages), and adding an event
(procedure.add_event, which checks the chronology)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from toit.api.authentication import api_key
from toit.api.enums import Scope
from toit.api.problems import refused
from toit.api.schema import problems
from toit.api.serializers.files import (
    EventInputSerializer,
    EventSerializer,
    FileDetailSerializer,
    FileQuerySerializer,
    FileSummarySerializer,
)
from toit.api.views.base import ApiView
from toit.eviction import access
from toit.eviction.enums import MemberRelationship
from toit.eviction.models import Event, PreventionFile
from toit.eviction.procedure import add_event
from toit.eviction.references import clean_reference
from toit.eviction.timeline import acts_of, deadlines, state_of

NOT_FOUND = "Aucun dossier visible par votre organisation ne porte cette référence."
REFERENCE = OpenApiParameter(
    "reference",
    str,
    OpenApiParameter.PATH,
    description="Référence du dossier (ex. « PX-7K3M-Q9TD » ; casse, espaces et tirets indifférents).",
)


def reference_person(household):
    return next((m for m in household.members.all() if m.relationship == MemberRelationship.REFERENCE), None)


def page_rows(ids):
    """What a row shows (household, commune, reference person, stage), for a page of ids:
    three queries whatever the page size."""
    files = (
        PreventionFile.objects.filter(pk__in=ids)
        .with_household()
        .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("date", "pk")))
        .in_bulk()
    )
    rows = [files[pk] for pk in ids if pk in files]
    for file in rows:
        file.reference_person = reference_person(file.household)
        file.state = state_of(acts_of(file.events.all()))
    return rows


class FileList(ApiView):
    scopes = {"GET": Scope.FILES_READ}
    query_serializer = FileQuerySerializer
    serializer_class = FileSummarySerializer

    def get_queryset(self):
        filters = self.query()
        files = PreventionFile.objects.visible_to(self.request.user).live()
        if commune := filters.get("commune"):
            files = files.filter(household__commune=commune)
        if start := filters.get("opened_from"):
            files = files.filter(opened_on__gte=start)
        if end := filters.get("opened_to"):
            files = files.filter(opened_on__lte=end)
        if stages := filters.get("stage"):
            # A procedure state column (toit.eviction.procedure_state), kept with the events.
            files = files.filter(stage__in=stages)
        return files.order_by("-opened_on", "-pk")

    @extend_schema(
        operation_id="files_list",
        summary="Dossiers visibles par l'organisation",
        description="Les dossiers de prévention des expulsions dont l'organisation de la clé est partie prenante "
        "(ouverture, signalement, bailleur social, préfecture, FSL, partage…), les plus récents d'abord. "
        "Chaque lecture est inscrite au journal des accès.",
        parameters=[FileQuerySerializer],
        responses={200: FileSummarySerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Dossiers"],
    )
    def get(self, request):
        files = self.get_queryset()
        # Rows, not ids: the pagination pages them by keyset (« apres »), however deep.
        page_ids = [file.pk for file in self.paginate_queryset(files.only("pk", "opened_on"))]
        rows = page_rows(list(page_ids))
        self.log_reads(rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


def visible_file(request, reference, queryset=None):
    """The file among those the caller may read, or 404 (the same for a file that does not
    exist and one of another organisation). Decided in SQL before anything is read."""
    canonical = clean_reference(reference)
    if not canonical:
        raise Http404(NOT_FOUND)
    queryset = PreventionFile.objects.all() if queryset is None else queryset
    try:
        return queryset.visible_to(request.user).get(reference=canonical)
    except PreventionFile.DoesNotExist:
        raise Http404(NOT_FOUND) from None


class FileDetail(ApiView):
    scopes = {"GET": Scope.FILES_READ}
    serializer_class = FileDetailSerializer
    pagination_class = None

    def get_queryset(self):
        return PreventionFile.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="files_retrieve",
        summary="Un dossier, avec sa chronologie",
        description="Le ménage, les participants, l'étape de la procédure, les prochaines échéances et tous les "
        "événements du dossier. La lecture est inscrite au journal des accès.",
        parameters=[REFERENCE],
        responses={200: FileDetailSerializer, **problems(401, 403, 404, 429)},
        tags=["Dossiers"],
    )
    def get(self, request, reference):
        self.query()
        file = visible_file(request, reference, PreventionFile.objects.with_household())
        events = list(file.events.select_related("organisation").order_by("date", "pk"))
        acts = acts_of(events)
        file.timeline = events
        file.state = state_of(acts)
        file.deadlines = deadlines(acts, timezone.localdate(), file.lease_signed_on)
        file.participant_rows = list(file.participants.select_related("organisation").order_by("since", "pk"))
        file.reference_person = reference_person(file.household)
        self.log_reads(file)
        return Response(self.get_serializer(file).data)


def acting_organisation(request, file, requested):
    """The organisation on whose behalf the caller acts on `file`: a key acts for its own
    organisation; a person names one of theirs, or has only one taking part in the file."""
    key = api_key(request)
    if key is not None:
        if requested is not None and requested.pk != key.organisation_id:
            raise PermissionDenied(
                f"Cette clé agit au titre de « {key.organisation} » ({key.organisation.code}) : omettez "
                "« organisation » ou indiquez ce code."
            )
        return key.organisation
    if requested is not None:
        return requested
    candidates = list(
        access.acting_organisations(request.user).filter(eviction_participations__file=file).distinct()[:5]
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise PermissionDenied(
            f"Aucune de vos organisations ne participe au dossier {file.reference} : demandez à un participant "
            "de le partager avec la vôtre."
        )
    names = ", ".join(f"{o.code} ({o.name})" for o in candidates)
    raise refused(
        f"Vous agissez pour plusieurs organisations participant au dossier : précisez laquelle ({names}).",
        "/organisation",
    )


class FileEvents(ApiView):
    scopes = {"POST": Scope.EVENTS_WRITE}
    serializer_class = EventInputSerializer
    pagination_class = None

    def get_queryset(self):
        return PreventionFile.objects.visible_to(self.request.user)

    @extend_schema(
        operation_id="files_events_create",
        summary="Ajouter un événement à un dossier",
        description="Enregistre un acte de la procédure ou une issue (commandement de payer, assignation, "
        "jugement…) au titre de l'organisation de la clé, qui doit participer au dossier. Toit vérifie les "
        "champs qu'exige le type d'événement et la chronologie de la procédure (un jugement suppose une "
        "assignation, pas d'expulsion pendant la trêve hivernale…) : une règle enfreinte donne une erreur 422 "
        "qui dit quel événement du dossier est en cause.",
        parameters=[REFERENCE],
        request=EventInputSerializer,
        responses={201: EventSerializer, **problems(400, 401, 403, 404, 422, 429)},
        tags=["Dossiers"],
    )
    def post(self, request, reference):
        self.query()
        file = visible_file(request, reference)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = acting_organisation(request, file, data.pop("organisation", None))
        kind, date, note = data.pop("kind"), data.pop("date"), data.pop("note", "")
        typed = {name: value for name, value in data.items() if value not in (None, "")}
        event = add_event(file, kind, date, request.user, organisation, note=note, **typed)
        event = Event.objects.select_related("organisation").get(pk=event.pk)
        data = EventSerializer(event, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
