"""Users in the Django admin. A staff user who is not a superuser sees the members who
belong solely to the organisations they administer (and themselves), and cannot hand out
what would lift them above those organisations: superuser or staff status, permissions and
groups stay read-only for them. They never type another person's password: a new account
is created inside one of their organisations without a password, and both a new account
and a reset get an e-mailed link (Django's password reset); the second factor of another
person is reset the same way (its devices are removed, the link lets the person set a
password and enrol again)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from toit.organisations.admin import MembershipInline
from toit.organisations.enums import Role
from toit.organisations.models import Membership
from toit.organisations.perms import administered_organisations
from toit.users.manageable import manageable_users
from toit.users.models import User

PRIVILEGES = ["is_superuser", "is_staff", "groups", "user_permissions"]


def send_reset_link(request, user):
    """E-mail `user` Django's one-time password link (the console backend in development).
    Built here rather than through PasswordResetForm.save, which skips accounts without a
    usable password: exactly the new accounts and the reset ones."""
    if not user.email or not user.is_active:
        return False
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": settings.TOIT_BRAND["service_title"],
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
    }
    PasswordResetForm().send_mail(
        "auth/password_reset_subject.txt",
        "auth/password_reset_email.txt",
        context,
        settings.DEFAULT_FROM_EMAIL,
        user.email,
    )
    return True


class StaffUserCreationForm(forms.ModelForm):
    """What an organisation's administrator fills in to create an account: who, and inside
    which of their organisations with which role. No password: a link is sent."""

    organisation = forms.ModelChoiceField(label="Organisation", queryset=None)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.AGENT)

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = administered_organisations(request.user)
        self.fields["email"].required = True

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            with transaction.atomic():
                user.save()
                self._save_m2m()
        return user

    def _save_m2m(self):
        """The admin saves the user, then calls this (as save_m2m): the membership that
        places it."""
        Membership.objects.create(
            user=self.instance, organisation=self.cleaned_data["organisation"], role=self.cleaned_data["role"]
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]
    actions = ["send_password_reset", "reset_second_factor"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return manageable_users(request.user, queryset) | queryset.filter(pk=request.user.pk)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, *PRIVILEGES]

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            fields = ["username", "email", "first_name", "last_name", "organisation", "role"]
            return [(None, {"fields": fields})]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            form = StaffUserCreationForm

            class Bound(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, request=request, **kw)

            return Bound
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj=None):
        return [] if obj is None and not request.user.is_superuser else super().get_inlines(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if not request.user.is_superuser:
            sent = send_reset_link(request, obj)
            if sent:
                messages.info(request, f"Un lien pour choisir son mot de passe a été envoyé à {obj.email}.")
        return super().response_add(request, obj, post_url_continue)

    def user_change_password(self, request, id, form_url=""):
        # Only a superuser types a password for someone else; anyone may change their own
        # (the page asks for the current one through Django's own view).
        if not request.user.is_superuser and str(request.user.pk) != str(id):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Envoyer un lien de réinitialisation du mot de passe")
    def send_password_reset(self, request, queryset):
        sent = sum(send_reset_link(request, user) for user in manageable_users(request.user, queryset))
        messages.info(request, f"{sent} lien(s) de réinitialisation envoyé(s).")

    @admin.action(description="Réinitialiser le second facteur (et envoyer un lien)")
    def reset_second_factor(self, request, queryset):
        from django_otp import devices_for_user

        count = 0
        for user in manageable_users(request.user, queryset).exclude(pk=request.user.pk):
            with transaction.atomic():
                for device in devices_for_user(user, confirmed=None):
                    device.delete()
                user.set_unusable_password()
                user.save(update_fields=["password"])
            count += send_reset_link(request, user)
        messages.info(request, f"Second facteur réinitialisé, {count} lien(s) envoyé(s).")
