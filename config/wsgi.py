import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()
# Every view imported now (the URL conf), not on the first request: 3.9 s here, the report and
# linkage views bringing matplotlib, WeasyPrint and Splink. Under gunicorn's preload_app the
# server pays it once before the workers fork (config/gunicorn.py), where each worker paid it
# on its first request, and again after each recycling (max_requests).
get_resolver().url_patterns  # noqa: B018
# Static files from STATIC_ROOT (after collectstatic), with far-future caching for hashed
# names: the server needs no separate static host, and the proxy may still serve
# STATIC_ROOT itself (docs/deployment.md).
application = WhiteNoise(application, root=settings.STATIC_ROOT, prefix=settings.STATIC_URL)
