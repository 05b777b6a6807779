from django.contrib import admin
from dsfr.models import DsfrConfig

# django-dsfr's site settings (header, footer, operator logo) are not used: Toit's brand comes
# from the TOIT_BRAND settings. Its admin page would accept a logo upload stored in
# MEDIA_ROOT, outside the private storage and its checks: not offered.
if admin.site.is_registered(DsfrConfig):
    admin.site.unregister(DsfrConfig)
