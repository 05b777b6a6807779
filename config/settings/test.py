"""Test settings: PostgreSQL when DATABASE_URL is set (CI), SQLite otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TOIT_DEMO_ALLOWED = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Switched on by the tests of the second factor and of login throttling themselves.
TOIT_REQUIRE_2FA = False
AXES_ENABLED = False
# PostgreSQL: the access log refuses TRUNCATE unless the connection says so (audit 0004);
# Django's flush between transactional tests truncates every table.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c toit.allow_truncate=on"  # noqa: F405
# One process: the in-memory cache, so that API query counts do not include the throttle's
# reads and writes (production shares a database cache between servers: base.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
