from django.urls import path

from toit.www.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("lues/", views.mark_read, name="mark_read"),
    path("compteur/", views.counter, name="counter"),
]
