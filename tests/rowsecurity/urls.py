"""The site's URLs plus one view that reads nominative tables WITHOUT any filter: the
mistake row-level security is there to contain (tests/rowsecurity/test_attack.py)."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path

from toit.dwellings.models import Dwelling
from toit.eviction.models import Event, Household, HouseholdMember, PreventionFile, Report
from toit.priority_access.models import HousingDemand


@login_not_required
def forgetful(request):
    return JsonResponse(
        {
            "households": sorted(Household.objects.values_list("commune__department__code", flat=True)),
            "members": sorted(HouseholdMember.objects.values_list("last_name", flat=True)),
            "files": PreventionFile.objects.count(),
            "events": Event.objects.count(),
            "reports": sorted(Report.objects.values_list("last_name", flat=True)),
            "demands": sorted(HousingDemand.objects.values_list("department__code", flat=True)),
            "dwellings": sorted(Dwelling.objects.values_list("department__code", flat=True)),
        }
    )


urlpatterns = [path("sans-filtre/", forgetful), path("", include("config.urls"))]
