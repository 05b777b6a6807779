from django.conf import settings

from toit.www.menu import main_menu


def brand(request):
    return {
        "BRAND": settings.TOIT_BRAND,
        "main_menu": main_menu(request),
        "proconnect": settings.PROCONNECT_ENABLED,
        # The demo clock's date (development settings only): the banner says the demo runs at it.
        "DEMO_TODAY": getattr(settings, "TOIT_DEMO_TODAY", None),
    }
