"""The Django admin is the back office of referential data (structures, places, funding,
conventions, projects, commission). Residents, stays and applications are nominative: they
are read and corrected in the application pages, which apply toit.accommodation.access; the
admin lists them for superusers only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from toit.accommodation.models import (
    AdmissionCommission,
    Application,
    CapacityPeriod,
    Funding,
    OccupancySummary,
    Partnership,
    Project,
    Resident,
    Stay,
    Structure,
    YouthOffer,
)


class _SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CapacityInline(admin.TabularInline):
    model = CapacityPeriod
    extra = 0


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0


@admin.register(Structure)
class StructureAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "manager", "opened_on", "closed_on"]
    list_filter = ["kind", "department"]
    search_fields = ["name"]
    inlines = [CapacityInline, FundingInline, PartnershipInline]
    autocomplete_fields = ["parent"]


@admin.register(AdmissionCommission)
class CommissionAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "department", "secretariat"]


@admin.register(Project)
class ProjectAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "spotted_on", "delivered_on"]
    list_filter = ["kind", "department"]


@admin.register(YouthOffer)
class YouthOfferAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["kind", "units", "commune", "made_available_on"]


@admin.register(Resident)
class ResidentAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["pk", "structure"]


@admin.register(Stay)
class StayAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["pk", "structure", "entry_on", "exit_on"]


@admin.register(Application)
class ApplicationAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["pk", "commission", "applied_on", "decision"]


@admin.register(OccupancySummary)
class OccupancySummaryAdmin(_SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["pk", "structure", "month", "occupied_place_days", "entries", "exits"]
