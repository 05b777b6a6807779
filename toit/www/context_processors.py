from django.conf import settings

from toit.www.menu import main_menu


def brand(request):
    return {
        "BRAND": settings.TOIT_BRAND,
        "main_menu": main_menu(request),
        "proconnect": settings.PROCONNECT_ENABLED,
    }
