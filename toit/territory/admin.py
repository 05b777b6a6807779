from django.contrib import admin

from toit.territory.models import EPCI, Commune, Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(EPCI)
class EPCIAdmin(admin.ModelAdmin):
    list_display = ["siren", "name", "nature"]
    search_fields = ["siren", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "epci", "population"]
    list_filter = ["department", "epci"]
    search_fields = ["insee_code", "name"]
    list_select_related = ["epci"]
