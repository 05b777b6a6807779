"""API keys in the Django admin: create one (its token is shown once, on the page that
follows, and never stored), look at them, revoke them. A key is never edited nor deleted:
the access log names its service account."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone

from toit.api import keys
from toit.api.enums import Scope
from toit.api.models import ApiKey
from toit.organisations.models import Organisation
from toit.organisations.perms import administered_organisations


class ApiKeyCreationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Permissions",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les seules opérations que la clé pourra faire. Sans permission nominative (signalements, "
        "dossiers, événements, imports), la clé ne lit que des agrégats.",
    )

    class Meta:
        model = ApiKey
        fields = ["organisation", "name", "scopes", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "display_token", "scope_list", "created_at", "last_used_at", "state"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "prefix", "organisation__code", "organisation__name"]
    readonly_fields = [
        "organisation",
        "name",
        "display_token",
        "scope_list",
        "user",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    ]
    actions = ["revoke"]

    @admin.display(description="clé")
    def display_token(self, key):
        return key.display_token

    @admin.display(description="permissions")
    def scope_list(self, key):
        return ", ".join(key.scopes)

    @admin.display(description="état")
    def state(self, key):
        if key.revoked_at:
            return f"révoquée le {timezone.localtime(key.revoked_at):%d/%m/%Y}"
        if key.is_expired():
            return f"expirée le {timezone.localtime(key.expires_at):%d/%m/%Y}"
        return "active"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyCreationForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and not request.user.is_superuser:
            # A key reads what its organisation's agents read: a staff user who is not a
            # superuser makes keys only for the organisations they administer.
            allowed = administered_organisations(request.user).filter(is_active=True)

            class AdministeredOnly(form):
                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.fields["organisation"].queryset = allowed

            return AdministeredOnly
        return form

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=administered_organisations(request.user))

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "name", "scopes", "expires_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_form(self, request, form, change):
        if change:
            return form.save(commit=False)
        data = form.cleaned_data
        created = keys.create_key(
            data["organisation"],
            name=data["name"],
            scopes=data["scopes"],
            created_by=request.user,
            expires_at=data.get("expires_at"),
        )
        request._toit_api_token = created.token
        return created.key

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()  # nothing is editable; kept for the admin's history

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        token = getattr(request, "_toit_api_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": "Clé d'API créée",
            "key": obj,
            "token": token,
            "opts": self.opts,
        }
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Révoquer les clés sélectionnées")
    def revoke(self, request, queryset):
        count = 0
        for key in queryset:
            if key.revoked_at is None:
                keys.revoke_key(key, by=request.user)
                count += 1
        self.message_user(request, f"{count} clé(s) révoquée(s).", messages.SUCCESS)
