"""Request limits: per API key (by its prefix), per person for a browser session, and per
address for requests with no key or a refused one (a key being guessed is throttled
too). The rates are settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: "api" (env
TOIT_API_RATE) and "api_anonyme" (env TOIT_API_ANONYMOUS_RATE).

Counts are rows of the database (RequestCount), one per caller and fixed window,
incremented by one upsert: every process and server counts the same requests (a
process's memory would count each alone), without Redis for the demo. A fixed window
lets a caller send up to twice the rate across a window's edge; it never lets more
through over two windows."""

import time

from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from toit.api.authentication import api_key
from toit.api.models import RequestCount

ANONYMOUS_RATE = "30/min"


def hit(ident, window):
    """Count one request of `ident` in the window starting at `window`; returns the count
    so far. One statement: SET reads the row's old values, so a new window restarts at 1."""
    table = connection.ops.quote_name(RequestCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (ident, window_start, hits) VALUES (%s, %s, 1)
            ON CONFLICT (ident) DO UPDATE SET
                hits = CASE WHEN {table}.window_start = excluded.window_start THEN {table}.hits + 1 ELSE 1 END,
                window_start = excluded.window_start
            RETURNING hits""",  # noqa: S608
            [ident[:200], window],
        )
        return cursor.fetchone()[0]


class _CountedInDatabase(SimpleRateThrottle):
    def get_rate(self):
        # Read at each request, not at import: settings can change (tests, reload).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or getattr(self, "default_rate", None)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        now = time.time()
        window = int(now // self.duration) * self.duration
        self._wait = window + self.duration - now
        return hit(ident, window) <= self.num_requests

    def wait(self):
        return max(1, round(self._wait))


class ApiRateThrottle(_CountedInDatabase):
    scope = "api"
    cache_format = "toit-api:%(ident)s"

    def get_cache_key(self, request, view):
        key = api_key(request)
        if key is not None:
            ident = f"cle:{key.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"session:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"ident": ident}


class UnauthenticatedThrottle(_CountedInDatabase):
    """Requests with no usable key nor session, counted by address: checked before the
    401 they get, so that guessing keys costs time."""

    scope = "api_anonyme"
    default_rate = ANONYMOUS_RATE
    cache_format = "toit-api-anonyme:%(ident)s"

    def get_cache_key(self, request, view):
        return self.cache_format % {"ident": self.get_ident(request)}
