from django.contrib import admin

from toit.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Searchable by administrators, never editable: the log is evidence."""

    list_display = [
        "created_at",
        "username",
        "organisation",
        "action",
        "object_type",
        "object_ref",
        "view",
        "ip_address",
    ]
    list_filter = ["action", "object_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["username", "object_ref", "object_id", "ip_address", "reason", "path"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
