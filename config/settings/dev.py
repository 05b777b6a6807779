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

# The demo clock: TOIT_DEMO_TODAY (AAAA-MM-JJ) is the date the demo lives at (docs/demo.md).
# Taken out while the production settings are read (they refuse it), put back for the
# processes this one starts; read strictly, then the clock starts before anything asks the
# date, in every process these settings configure (web server, task worker, commands).
_demo_today = os.environ.pop("TOIT_DEMO_TODAY", None)

from config.settings.base import *  # noqa: E402, F403

if _demo_today is not None:
    os.environ["TOIT_DEMO_TODAY"] = _demo_today

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

from config.env import env_date  # noqa: E402

TOIT_DEMO_TODAY = env_date("TOIT_DEMO_TODAY", None)
if TOIT_DEMO_TODAY is not None:
    from toit.demo.clock import start_demo_clock

    start_demo_clock(TOIT_DEMO_TODAY)
