from django.urls import path

from toit.www.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("nouveau/", views.new_job, name="new"),
    path("modeles/<str:source_kind>/", views.sample, name="sample"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progression/", views.job_progress, name="progress"),
    path("<int:pk>/choix/", views.decide, name="decide"),
    path("<int:pk>/relancer/", views.rerun, name="rerun"),
    path("<int:pk>/erreurs.csv", views.error_report, name="errors"),
]
