from django.urls import path

from toit.www.eviction import break_glass, corrections, events, files, followup, queues, reports, search

app_name = "eviction"
urlpatterns = [
    path("", search.search, name="search"),
    path("a-traiter/", queues.queues, name="queues"),
    path("signalements/", reports.report_list, name="reports"),
    path("signalements/nouveau/", reports.report_new, name="report_new"),
    path("signalements/transmis/", reports.transmitted_list, name="transmitted"),
    path(
        "signalements/<int:pk>/transmis/<int:transmission_pk>/",
        reports.transmission_decide,
        name="transmission_decide",
    ),
    path("signalements/<int:pk>/participation/", reports.report_join, name="report_join"),
    path("signalements/<int:pk>/", reports.report_detail, name="report"),
    path("signalements/<int:pk>/rattacher/", reports.report_attach, name="report_attach"),
    path("signalements/<int:pk>/ouvrir-un-dossier/", reports.report_open_file, name="report_open_file"),
    path("acces-exceptionnel/", break_glass.break_glass, name="break_glass"),
    path("dossiers/<str:reference>/", files.file_detail, name="file"),
    path("dossiers/<str:reference>/historique/", files.file_history_page, name="file_history"),
    path("dossiers/<str:reference>/evenement/", events.add_event, name="event"),
    path("dossiers/<str:reference>/evenement/champs/", events.event_fields, name="event_fields"),
    path("dossiers/<str:reference>/corriger/menage/", corrections.correct_household, name="correct_household"),
    path("dossiers/<str:reference>/corriger/bail/", corrections.correct_lease, name="correct_lease"),
    path("dossiers/<str:reference>/corriger/<slug:kind>/<int:pk>/", corrections.correct, name="correct"),
    path("dossiers/<str:reference>/annuler-le-dossier/", corrections.cancel_file, name="cancel_file"),
    path("dossiers/<str:reference>/ajouter-un-membre/", corrections.add_member, name="add_member"),
    path("dossiers/<str:reference>/<slug:action>/", followup.followup_form, name="followup"),
]
