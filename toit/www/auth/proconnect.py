"""Optional login through ProConnect (OpenID Connect) for public agents. Turned on by
setting TOIT_PROCONNECT_CLIENT_ID (see docs/proconnect.md). Accounts are never created
from ProConnect: an administrator provisions the user and its memberships, and ProConnect
only proves that the person holding that e-mail address is logging in."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from toit.users.models import User


class ProConnectBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        return None  # accounts are provisioned by administrators, never on first login

    def update_user(self, user, claims):
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "usual_name")):
            value = claims.get(claim)
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        # ProConnect proved the person: this session may enrol a first second factor
        # (toit.www.auth.two_factor.may_enrol).
        from toit.www.auth.password import ENROLMENT_KEY

        session = getattr(getattr(self, "request", None), "session", None)
        if session is not None:
            session[ENROLMENT_KEY] = user.pk
        return user
