"""Organisations and memberships in the Django admin. A superuser manages all of them; any
other staff user only the organisations they administer (administrateur role) and their
memberships, and may change neither an organisation's code, kind, département nor préfecture
flag: the access rules read them (the préfecture of a département joins its files, a Banque
de France or an FSL joins files by its kind, roles apply to the plans of the organisation's
département), so any of them would open other organisations' files."""

from django.contrib import admin

from toit.organisations.models import Membership, Organisation
from toit.organisations.perms import administered_organisations


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=administered_organisations(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = administered_organisations(request.user)
        _user_field(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "department", "is_prefecture", "is_active"]
    list_filter = ["department", "kind", "is_prefecture", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=administered_organisations(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["code", "kind", "parent", "department", "is_prefecture"]

    def has_add_permission(self, request):
        return request.user.is_superuser


def _user_field(db_field, request, kwargs):
    """A membership names only a user the administrator may act on: posting another id
    (ids are sequential) must not pull someone else's account into one's organisation."""
    if db_field.name == "user" and not request.user.is_superuser:
        from toit.users.manageable import manageable_users

        kwargs["queryset"] = manageable_users(request.user, db_field.remote_field.model._default_manager.all())


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=administered_organisations(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = administered_organisations(request.user)
        _user_field(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
