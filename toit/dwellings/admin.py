"""Admin of the dwelling register. The register is the pôle's nominative observatory: only
superusers see it in the admin (an administrateur of an organisation manages it through
the pages, which apply toit.dwellings.access). The pôle of each département and its
members are defined here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from toit.dwellings import models


class SuperuserOnly(SimpleHistoryAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PoleMemberInline(admin.TabularInline):
    model = models.PoleMember
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["epci", "commune"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(models.HousingPole)
class HousingPoleAdmin(SuperuserOnly):
    list_display = ["name", "department"]
    inlines = [PoleMemberInline]


@admin.register(models.Dwelling)
class DwellingAdmin(SuperuserOnly):
    list_display = ["__str__", "tenure", "sector", "department"]
    list_filter = ["department", "tenure", "sector"]
    search_fields = ["street_key", "address_key"]
    raw_id_fields = ["commune", "owner", "household"]


@admin.register(models.Owner)
class OwnerAdmin(SuperuserOnly):
    list_display = ["name", "kind", "department"]
    search_fields = ["name_key"]


class ActInline(admin.TabularInline):
    model = models.Act
    extra = 0
    fk_name = "case"
    raw_id_fields = ["lifts"]


@admin.register(models.Case)
class CaseAdmin(SuperuserOnly):
    list_display = ["__str__", "opened_on", "exit_on", "tenure"]
    list_filter = ["department", "tenure", "regime"]
    raw_id_fields = ["dwelling"]


for model in (
    models.CaseReport,
    models.Visit,
    models.CaseQualification,
    models.Act,
    models.PrescribedWork,
    models.Rehousing,
    models.IndelicacyDecision,
    models.IndelicacyReview,
    models.MergeProposal,
    models.PstDwelling,
    models.EnergyDiagnosis,
):
    # Links as raw ids: a select of every dwelling or case would list a whole register.
    links = [f.name for f in model._meta.fields if f.is_relation]
    admin.site.register(model, type(f"{model.__name__}Admin", (SuperuserOnly,), {"raw_id_fields": links}))
