"""Local demo: SQLite by default, DEBUG on, demo data allowed."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{os.path.join(os.path.dirname(__file__), '..', '..', 'var', 'demo.sqlite3')}"
)

from config.settings.base import *  # noqa: F403

DEBUG = True
TOIT_DEMO_ALLOWED = True
# The demo runs without the second factor so that a newcomer can log in with the printed
# accounts; production (base) requires it.
TOIT_REQUIRE_2FA = False
# E-mails (reset links, break-glass notices, the daily digest) printed on the console in development.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
TOIT_SITE_URL = "http://127.0.0.1:8000"
# Toit's French 404 page rather than Django's technical one, as in production.
MIDDLEWARE = [*MIDDLEWARE, "toit.www.dev_404.French404Middleware"]  # noqa: F405
