from django.contrib import admin
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from toit.audit.models import AccessLog
from toit.organisations.perms import administered_organisations


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

    def get_queryset(self, request):
        """A superuser searches the whole log. An administrateur of an organisation, who is
        not, searches what concerns it: reads on behalf of it or by its members, and reads
        of the files it takes part in — not what other organisations read elsewhere."""
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return queryset
        from toit.eviction.models import PreventionFile

        organisations = administered_organisations(user)
        files = PreventionFile.objects.visible_to(user).annotate(key=Cast("pk", CharField())).values("key")
        return queryset.filter(
            Q(organisation__in=organisations)
            | Q(user__memberships__organisation__in=organisations)
            | Q(object_type="eviction.preventionfile", object_id__in=files)
        ).distinct()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
