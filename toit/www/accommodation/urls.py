from django.urls import path

from toit.www.accommodation import applications, commission, places, projects, stays, structures

app_name = "accommodation"
urlpatterns = [
    path("", structures.home, name="home"),
    path("<str:department>/structures/", structures.structure_list, name="structures"),
    path("structures/<int:pk>/", structures.structure_detail, name="structure"),
    path("structures/<int:pk>/entree/", stays.enter, name="stay_entry"),
    path("structures/<int:pk>/places/", places.capacity, name="capacity"),
    path("structures/<int:pk>/conventions/nouvelle/", places.partnership, name="partnership_new"),
    path("structures/<int:pk>/conventions/<int:partnership_pk>/", places.partnership, name="partnership"),
    path("structures/<int:pk>/financements/nouveau/", places.funding, name="funding_new"),
    path("structures/<int:pk>/financements/<int:funding_pk>/", places.funding, name="funding"),
    path("sejours/<int:pk>/sortie/", stays.leave, name="stay_exit"),
    path("sejours/<int:pk>/corriger/", stays.correct, name="stay_correct"),
    path("residents/<int:pk>/corriger/", stays.correct_resident, name="resident_correct"),
    path("commission/", commission.queue, name="commission"),
    path("commission/demandes/nouvelle/", applications.file, name="application_new"),
    path("commission/demandes/<int:pk>/", applications.decide, name="application"),
    path("commission/demandes/<int:pk>/corriger/", applications.correct, name="application_correct"),
    path("<str:department>/projets/", projects.board, name="projects"),
    path("<str:department>/projets/nouveau/", projects.create, name="project_new"),
    path("projets/<int:pk>/etape/", projects.advance, name="project_advance"),
    path("projets/<int:pk>/corriger/", projects.correct, name="project_correct"),
]
