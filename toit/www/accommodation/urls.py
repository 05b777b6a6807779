from django.urls import path

from toit.www.accommodation import applications, commission, projects, stays, structures

app_name = "accommodation"
urlpatterns = [
    path("", structures.home, name="home"),
    path("<str:department>/structures/", structures.structure_list, name="structures"),
    path("structures/<int:pk>/", structures.structure_detail, name="structure"),
    path("sejours/<int:pk>/corriger/", stays.correct, name="stay_correct"),
    path("commission/", commission.queue, name="commission"),
    path("commission/demandes/<int:pk>/", applications.decide, name="application"),
    path("<str:department>/projets/", projects.board, name="projects"),
]
