from django.urls import path

from toit.www.dwellings import corrections, dwelling, entry, landlords, merges, programme, queues, register

app_name = "dwellings"
urlpatterns = [
    path("", register.register, name="register"),
    path("logements/nouveau/", entry.dwelling_new, name="dwelling_new"),
    path("logements/<int:pk>/", dwelling.dwelling_detail, name="dwelling"),
    path("logements/<int:pk>/nouveau-dossier/", entry.case_new, name="case_new"),
    path("logements/<int:pk>/dpe/", entry.dpe_new, name="dpe_new"),
    path("dossiers/<int:pk>/signalement/", entry.report_new, name="report_new"),
    path("dossiers/<int:pk>/visite/", entry.visit_new, name="visit_new"),
    path("dossiers/<int:pk>/qualification/", entry.qualification_new, name="qualification_new"),
    path("dossiers/<int:pk>/arrete/", entry.act_new, name="act_new"),
    path("dossiers/<int:pk>/relogement/", entry.rehousing_new, name="rehousing_new"),
    path("dossiers/<int:pk>/sortie/", entry.case_exit, name="case_exit"),
    path("arretes/<int:pk>/travaux/", entry.works_new, name="works_new"),
    path("travaux/<int:pk>/realisation/", entry.works_done, name="works_done"),
    path("travaux-en-retard/", queues.overdue_works, name="overdue_works"),
    path("bailleurs-indelicats/", landlords.landlord_list, name="landlords"),
    path("proprietaires/<int:pk>/bailleur-indelicat/", landlords.indelicacy_new, name="indelicacy_new"),
    path("bailleurs-indelicats/<int:pk>/reexamen/", landlords.indelicacy_review, name="indelicacy_review"),
    path("doublons/", merges.merge_list, name="merges"),
    path("doublons/<int:pk>/decision/", merges.merge_decide, name="merge_decide"),
    path("pst/", programme.pst, name="pst"),
    path("corriger/<slug:kind>/<int:pk>/", corrections.correct, name="correct"),
]
