from django.urls import path

from toit.www.priority_access import cross_matching, views

app_name = "priority_access"
urlpatterns = [
    path("", views.home, name="home"),
    path("dalo/", views.dalo_queue, name="dalo_queue"),
    path("menage/<slug:source>/<int:pk>/", views.household, name="household"),
    path("liens-a-verifier/", cross_matching.review, name="review"),
    path("rapprochement/<str:department_code>/", cross_matching.result, name="cross_matching"),
]
