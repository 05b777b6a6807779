from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("toit.api.urls")),
    path("", include("toit.www.urls")),
]
