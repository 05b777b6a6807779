"""Users in the Django admin. A staff user who is not a superuser sees the members of the
organisations they administer (and themselves), and cannot hand out what would lift them
above those organisations: superuser or staff status, permissions and groups stay
read-only for them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from toit.organisations.admin import MembershipInline
from toit.organisations.perms import administered_organisations
from toit.users.models import User

PRIVILEGES = ["is_superuser", "is_staff", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        members = queryset.filter(
            memberships__organisation__in=administered_organisations(request.user), memberships__is_active=True
        )
        return queryset.filter(pk__in=members.values("pk")) | queryset.filter(pk=request.user.pk)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, *PRIVILEGES]
