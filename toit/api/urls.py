from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from toit.api.views import accommodation, dwellings, files, imports, linkage, me, observatory, priority_access, reports
from toit.api.views.docs import docs
from toit.api.views.errors import not_found

app_name = "api"


urlpatterns = [
    path("me/", me.Me.as_view(), name="me"),
    path("files/", files.FileList.as_view(), name="files"),
    path("files/<str:reference>/", files.FileDetail.as_view(), name="file"),
    path("files/<str:reference>/events/", files.FileEvents.as_view(), name="file_events"),
    path("reports/", reports.ReportList.as_view(), name="reports"),
    path("reports/<int:pk>/", reports.ReportDetail.as_view(), name="report"),
    path("reports/<int:pk>/attach/", reports.ReportAttach.as_view(), name="report_attach"),
    path("reports/<int:pk>/open-file/", reports.ReportOpenFile.as_view(), name="report_open_file"),
    path("indicators/", observatory.IndicatorList.as_view(), name="indicators"),
    path("publications/", observatory.PublicationList.as_view(), name="publications"),
    path("publications/<int:pk>/", observatory.PublicationDetail.as_view(), name="publication"),
    path("publications/<int:pk>/pdf/", observatory.PublicationPdf.as_view(), name="publication_pdf"),
    path("publications/<int:pk>/xlsx/", observatory.PublicationXlsx.as_view(), name="publication_xlsx"),
    path("imports/", imports.ImportList.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportDetail.as_view(), name="import"),
    path("imports/<int:pk>/errors/", imports.ImportErrors.as_view(), name="import_errors"),
    path("imports/<int:pk>/errors.csv", imports.ImportErrorsCsv.as_view(), name="import_errors_csv"),
    path("dwellings/", dwellings.DwellingList.as_view(), name="dwellings"),
    path("dwellings/<int:pk>/", dwellings.DwellingDetail.as_view(), name="dwelling"),
    path("accommodation/structures/", accommodation.StructureList.as_view(), name="accommodation_structures"),
    path(
        "accommodation/structures/<int:pk>/stays/",
        accommodation.StructureStayList.as_view(),
        name="accommodation_structure_stays",
    ),
    path(
        "accommodation/structures/<int:pk>/occupancy/",
        accommodation.StructureOccupancy.as_view(),
        name="accommodation_structure_occupancy",
    ),
    path("accommodation/stays/", accommodation.StayList.as_view(), name="accommodation_stays"),
    *[
        route
        for name, segment, listing, detail in priority_access.VIEWS
        for route in (
            path(f"priority-access/{segment}/", listing.as_view(), name=f"priority_access_{name}"),
            path(f"priority-access/{segment}/<int:pk>/", detail.as_view(), name=f"priority_access_{name[:-1]}"),
        )
    ],
    path("linkage/runs/", linkage.RunList.as_view(), name="linkage_runs"),
    path("linkage/review/", linkage.ReviewList.as_view(), name="linkage_review"),
    path("linkage/links/<int:pk>/decision/", linkage.LinkDecide.as_view(), name="linkage_link_decision"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", docs, name="docs"),
    re_path(r"^.*$", not_found, name="not_found"),
]
