"""« Mot de passe oublié » (Django's reset flow, in French) and the activation link of a
new account: the same one-time link, e-mailed (the console backend in development). Using
it also opens, for this browser session, the first enrolment of the second factor
(issue 10): knowing a password is not enough to enrol an authenticator."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.urls import reverse_lazy

from toit.www.forms import DsfrFormMixin

ENROLMENT_KEY = "toit_may_enrol_user"


class ResetForm(DsfrFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(DsfrFormMixin, SetPasswordForm):
    pass


class ResetRequest(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "auth/password_reset_email.txt"
    subject_template_name = "auth/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_name": settings.TOIT_BRAND["service_title"]}


class ResetDone(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link proved the mailbox: this session may enrol this user's first device.
        self.request.session[ENROLMENT_KEY] = form.user.pk
        return response


class ResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
