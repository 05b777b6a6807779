"""Who is calling: an organisation's API key (« Authorization: Bearer toit_… »), or a
person logged in to Toit in the same browser (session, with CSRF protection and the
second factor when their role requires it)."""

from rest_framework import authentication, exceptions

from toit.api import keys


class KeyAuthenticationFailed(exceptions.AuthenticationFailed):
    def __init__(self, detail, problem_type):
        super().__init__(detail)
        self.problem_type = problem_type


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """request.user is the key's service account (see toit.api.models.ApiKey), request.auth
    the ApiKey."""

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request)
        if not header:
            return None
        try:
            text = header.decode("ascii")
        except UnicodeDecodeError:
            raise KeyAuthenticationFailed(
                "En-tête « Authorization » illisible : il ne contient que des caractères ASCII.", "cle-mal-formee"
            ) from None
        scheme, _, token = text.strip().partition(" ")
        if scheme.lower() != self.keyword:
            raise KeyAuthenticationFailed(
                f"Schéma d'authentification « {scheme[:20]} » non pris en charge : écrivez "
                "« Authorization: Bearer toit_<préfixe>_<secret> ».",
                "cle-mal-formee",
            )
        try:
            key = keys.check_token(token.strip())
        except keys.KeyRefused as exc:
            raise KeyAuthenticationFailed(str(exc), exc.code) from None
        keys.touch(key)
        # The middleware saw an anonymous request: narrow it to the key's département now (its
        # service account's only membership is in the key's organisation; a national body's
        # key is not narrowed, as its agents are not: toit.rowsecurity.scope).
        from toit.rowsecurity.scope import narrow_to

        department = key.organisation.department
        narrow_to(None if department is None else {department.code})
        return key.user, key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser session of a person logged in to Toit. A person whose role requires the
    second factor must have given it in this session (the site middleware redirects
    pages; the API answers 401)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        from toit.www.auth.two_factor import needs_second_factor

        if needs_second_factor(result[0]):
            raise exceptions.AuthenticationFailed(
                "Double authentification requise : connectez-vous à Toit et saisissez votre code à usage unique "
                "avant d'utiliser l'API depuis le navigateur."
            )
        return result

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "Jeton CSRF absent ou incorrect : depuis le navigateur, une écriture envoie l'en-tête « X-CSRFToken » "
                "avec la valeur du cookie csrftoken. Un logiciel partenaire utilise plutôt une clé d'API."
            ) from None


def api_key(request):
    """The ApiKey of the request, or None for a browser session."""
    from toit.api.models import ApiKey

    return request.auth if isinstance(request.auth, ApiKey) else None
