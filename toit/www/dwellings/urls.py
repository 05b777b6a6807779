from django.urls import path

from toit.www.dwellings import corrections, dwelling, landlords, merges, programme, queues, register

app_name = "dwellings"
urlpatterns = [
    path("", register.register, name="register"),
    path("logements/<int:pk>/", dwelling.dwelling_detail, name="dwelling"),
    path("travaux-en-retard/", queues.overdue_works, name="overdue_works"),
    path("bailleurs-indelicats/", landlords.landlord_list, name="landlords"),
    path("proprietaires/<int:pk>/bailleur-indelicat/", landlords.indelicacy_new, name="indelicacy_new"),
    path("bailleurs-indelicats/<int:pk>/reexamen/", landlords.indelicacy_review, name="indelicacy_review"),
    path("doublons/", merges.merge_list, name="merges"),
    path("doublons/<int:pk>/decision/", merges.merge_decide, name="merge_decide"),
    path("pst/", programme.pst, name="pst"),
    path("corriger/<slug:kind>/<int:pk>/", corrections.correct, name="correct"),
]
