"""Inactivity timeout without writing the session on every request.

SESSION_SAVE_EVERY_REQUEST would rewrite the session row (one UPDATE, and a lock on it) on
every page, image and htmx call. Instead the session records when it was last refreshed and
is saved again only when that is more than REFRESH_AFTER old: the database expiry then moves
forward at most once a minute, so an idle session ends between SESSION_COOKIE_AGE −
REFRESH_AFTER and SESSION_COOKIE_AGE after the last request.
"""

import time

REFRESH_AFTER = 60  # seconds
KEY = "_toit_refreshed"


def clock():
    """Seconds since the epoch; tests replace it to move time."""
    return time.time()


class RefreshSessionMiddleware:
    """Placed after SessionMiddleware: marks a live session modified once a minute, so that
    SessionMiddleware saves it (and pushes its expiry) in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (anonymous visitor, or just logged out) is never created for this.
        if session is not None and not session.is_empty():
            now = clock()
            if now - session.get(KEY, 0) >= REFRESH_AFTER:
                session[KEY] = now
        return response
