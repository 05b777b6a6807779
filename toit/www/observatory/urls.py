from django.urls import path

from toit.www.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:plan_code>/", views.dashboard, name="dashboard"),
    path("<slug:plan_code>/calculer/", views.compute, name="compute"),
    path("<slug:plan_code>/rapports/", views.reports, name="reports"),
    path("<slug:plan_code>/rapports/apercu/", views.report_preview, name="preview"),
    path("<slug:plan_code>/rapports/publier/", views.publish, name="publish"),
    path("<slug:plan_code>/rapports/publications/<int:pk>/", views.publication, name="publication"),
    path(
        "<slug:plan_code>/rapports/publications/<int:pk>/progression/",
        views.publication_progress,
        name="publication_progress",
    ),
    path("<slug:plan_code>/rapports/<int:pk>.<str:fmt>", views.download, name="download"),
    path("<slug:plan_code>/donnees-ouvertes/", views.opendata, name="opendata"),
    path("<slug:plan_code>/donnees-ouvertes/indicateurs.csv", views.opendata_csv, name="opendata_csv"),
    path(
        "<slug:plan_code>/donnees-ouvertes/indicateurs-tableur.csv",
        views.opendata_spreadsheet_csv,
        name="opendata_spreadsheet_csv",
    ),
    path("<slug:plan_code>/donnees-ouvertes/datapackage.json", views.opendata_package, name="opendata_package"),
]
