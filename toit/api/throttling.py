"""Request limits: per API key (by its prefix), per person for a browser session. The
rate is settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"] (env TOIT_API_RATE),
counted in the default cache."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from toit.api.authentication import api_key


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "toit-api-throttle:%(ident)s"

    def get_rate(self):
        # Read at each request, not at import: settings can change (tests, reload).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        key = api_key(request)
        if key is not None:
            ident = f"cle:{key.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"session:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"ident": ident}
