"""Import jobs of the caller's organisations (ImportJob.objects.visible_to, as the web
pages: a key sees its organisation's only) and their error reports. The error report
repeats values of the file, which may name households: every read is logged."""

import datetime
import io

from django.db.models import F
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from toit.api.enums import Scope
from toit.api.schema import problems
from toit.api.serializers.imports import ImportIssueSerializer, ImportJobSerializer, ImportQuerySerializer
from toit.api.views.base import ApiView
from toit.api.views.observatory import file_renderer
from toit.imports import report as error_report
from toit.imports.jobs import refresh
from toit.imports.models import ImportIssue, ImportJob
from toit.utils.spreadsheets import SafeCsvWriter

NOT_FOUND = "Aucun import visible par votre organisation ne porte ce numéro."
JOB_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Numéro de l'import.")


def jobs_of(user):
    return ImportJob.objects.visible_to(user).select_related("organisation")


def visible_job(request, pk):
    job = jobs_of(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(NOT_FOUND)
    return refresh(job)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ImportList(ApiView):
    scopes = {"GET": Scope.IMPORTS_READ}
    query_serializer = ImportQuerySerializer
    serializer_class = ImportJobSerializer

    def get_queryset(self):
        query = self.query()
        jobs = jobs_of(self.request.user)
        if state := query.get("status"):
            jobs = jobs.filter(status=state)
        if start := query.get("created_from"):
            jobs = jobs.filter(created_at__gte=_day_start(start))
        if end := query.get("created_to"):
            jobs = jobs.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
        return jobs.order_by("-created_at", "-pk")

    @extend_schema(
        operation_id="imports_list",
        summary="Imports de fichiers de l'organisation",
        description="Les fichiers déposés au nom de l'organisation (page d'import ou ligne de commande), leur état "
        "et leurs compteurs, les plus récents d'abord. Chaque lecture est inscrite au journal des accès.",
        parameters=[ImportQuerySerializer],
        responses={200: ImportJobSerializer(many=True), **problems(400, 401, 403, 429)},
        tags=["Imports"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        # A job whose worker died reads as failed, never as still running.
        page = [refresh(job) for job in page]
        self.log_reads(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ImportDetail(ApiView):
    scopes = {"GET": Scope.IMPORTS_READ}
    serializer_class = ImportJobSerializer
    pagination_class = None

    def get_queryset(self):
        return jobs_of(self.request.user)

    @extend_schema(
        operation_id="imports_retrieve",
        summary="Un import",
        parameters=[JOB_ID],
        responses={200: ImportJobSerializer, **problems(401, 403, 404, 429)},
        tags=["Imports"],
    )
    def get(self, request, pk):
        self.query()
        job = visible_job(request, pk)
        self.log_reads(job)
        return Response(self.get_serializer(job).data)


class ImportErrors(ApiView):
    scopes = {"GET": Scope.IMPORTS_READ}
    serializer_class = ImportIssueSerializer

    def get_queryset(self):
        return ImportIssue.objects.none()

    @extend_schema(
        operation_id="imports_errors_list",
        summary="Rapport d'erreurs d'un import",
        description="Une entrée par erreur, dans l'ordre du fichier (les erreurs du fichier entier d'abord) : "
        "ligne, colonne, valeur trouvée, erreur et ce qui était attendu. La lecture est inscrite au journal "
        "des accès.",
        parameters=[JOB_ID],
        responses={200: ImportIssueSerializer(many=True), **problems(400, 401, 403, 404, 429)},
        tags=["Imports"],
    )
    def get(self, request, pk):
        self.query()
        job = visible_job(request, pk)
        issues = in_file_order(ImportIssue.objects.filter(job=job))
        page = self.paginate_queryset(issues)
        self.log_reads(job, "rapport d'erreurs")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def in_file_order(issues):
    """File-level errors (no line) first, then by line, on every database (PostgreSQL puts
    NULLs last by default, SQLite first)."""
    return issues.order_by(F("line_number").asc(nulls_first=True), "pk")


class _Line(io.StringIO):
    """A buffer that hands back what the csv writer wrote, one row at a time."""

    def pop(self):
        text = self.getvalue()
        self.seek(0)
        self.truncate(0)
        return text


def csv_lines(job):
    """The error report as CSV (UTF-8 with BOM, semicolons), every cell neutralised so that a
    spreadsheet never evaluates a value of the file as a formula."""
    buffer = _Line()
    writer = SafeCsvWriter(buffer)
    writer.writerow(error_report.HEADER)
    yield "\ufeff" + buffer.pop()
    rows = in_file_order(ImportIssue.objects.filter(job=job)).values_list(
        "line_number", "column", "value", "message", "expected"
    )
    for line, column, value, message, expected in rows.iterator(chunk_size=2000):
        writer.writerow(["" if line is None else line, column, value, message, expected])
        yield buffer.pop()


class ImportErrorsCsv(ApiView):
    scopes = {"GET": Scope.IMPORTS_READ}
    pagination_class = None

    def get_renderers(self):
        return [file_renderer("text/csv", "csv")()]

    def get_queryset(self):
        return ImportJob.objects.none()

    @extend_schema(
        operation_id="imports_errors_csv",
        summary="Rapport d'erreurs d'un import (CSV)",
        description="Le rapport complet en CSV (UTF-8 avec BOM, séparateur point-virgule), tel que le donne la "
        "page d'import. La lecture est inscrite au journal des accès.",
        parameters=[JOB_ID],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Ligne;Colonne;Valeur;Erreur;Attendu"),
            **problems(401, 403, 404, 429),
        },
        tags=["Imports"],
    )
    def get(self, request, pk):
        self.query()
        job = visible_job(request, pk)
        self.log_reads(job, "rapport d'erreurs (CSV)")
        response = StreamingHttpResponse(csv_lines(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="toit-import-{job.pk}-erreurs.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
