import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()
# Static files from STATIC_ROOT (after collectstatic), with far-future caching for hashed
# names: the server needs no separate static host, and the proxy may still serve
# STATIC_ROOT itself (docs/deployment.md).
application = WhiteNoise(application, root=settings.STATIC_ROOT, prefix=settings.STATIC_URL)
