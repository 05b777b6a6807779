"""An htmx call that lands on the login (or second factor) page sends the whole page there.

The browser follows a redirect inside an htmx call by itself, and htmx would swap the login
page into the section that asked (a file's history, the notification counter, an event's
fields) once the session has expired. Instead the redirect becomes an `HX-Redirect`: htmx
leaves the page for the login page, and after login the user comes back to the page they
were on (`HX-Current-URL`), not to the fragment that asked.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

# Where an anonymous or half-logged-in user is sent; anything else keeps its redirect.
LOGIN_PAGES = ("two_factor_verify", "two_factor_setup")


def _login_paths():
    return {resolve_url(settings.LOGIN_URL), *(reverse(name) for name in LOGIN_PAGES)}


def _page_shown(request):
    """The path of the page the user is on, when the browser names one on this site."""
    current = request.headers.get("HX-Current-URL", "")
    if not current or not url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class HtmxLoginRedirectMiddleware:
    """Placed before the middlewares that send to the login pages (it sees their answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302, 303, 307, 308):
            return response
        target = urlsplit(response["Location"])
        if target.netloc or target.path not in _login_paths():
            return response
        query = dict(parse_qsl(target.query))
        if page := _page_shown(request):
            query["next"] = page
        return HttpResponseClientRedirect(target.path + (f"?{urlencode(query)}" if query else ""))
