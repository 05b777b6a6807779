from django.urls import path

from toit.www.steering import views

app_name = "steering"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:plan_code>/", views.overview, name="overview"),
    path("<slug:plan_code>/reunions/nouvelle/", views.meeting_edit, name="meeting_new"),
    path("<slug:plan_code>/reunions/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:plan_code>/reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("<slug:plan_code>/reunions/<int:pk>/points/", views.agenda_add, name="agenda_add"),
    path("<slug:plan_code>/reunions/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("<slug:plan_code>/reunions/<int:pk>/compte-rendu/", views.minutes_upload, name="minutes_upload"),
    path("<slug:plan_code>/decisions/<int:pk>/suivi/", views.decision_follow_up, name="decision_follow_up"),
    path("<slug:plan_code>/points/<int:pk>/corriger/", views.agenda_correct, name="agenda_correct"),
    path("<slug:plan_code>/decisions/<int:pk>/corriger/", views.decision_correct, name="decision_correct"),
    path("<slug:plan_code>/commandes/nouvelle/", views.order_edit, name="order_new"),
    path("<slug:plan_code>/commandes/<int:pk>/", views.order_detail, name="order"),
    path("<slug:plan_code>/commandes/<int:pk>/modifier/", views.order_edit, name="order_edit"),
    path("<slug:plan_code>/commandes/<int:pk>/etape/", views.order_step, name="order_step"),
    path("<slug:plan_code>/commandes/<int:pk>/livrable/", views.deliverable_upload, name="deliverable_upload"),
    path("<slug:plan_code>/pieces/<int:pk>/", views.attachment_download, name="attachment"),
]
