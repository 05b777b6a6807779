from django.urls import path

from toit.www.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("choisir/", views.choose, name="choose"),
    path("<slug:plan_code>/", views.overview, name="overview"),
    path("<slug:plan_code>/actions/<str:action_code>/", views.action_detail, name="action"),
    path("<slug:plan_code>/indicateurs/<str:indicator_code>/mesures/", views.record, name="record"),
    path("<slug:plan_code>/mesures/<int:pk>/corriger/", views.correct, name="correct"),
]
