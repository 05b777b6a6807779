import pytest

from tests.api.factories import make_key
from tests.dwellings.factories import ActFactory, CaseFactory, DwellingFactory, PrescribedWorkFactory
from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.audit.models import AccessLog


@pytest.fixture
def api(client):
    def call(url, key):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")

    return call


def test_a_pole_members_key_reads_the_register(api, dde, django_assert_max_num_queries):
    case = CaseFactory()
    PrescribedWorkFactory(act=ActFactory(case=case))
    DwellingFactory(commune=CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne")))
    secret = make_key(dde, scopes=["dwellings:read"]).token
    listing = api("/api/dwellings/", secret)
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [case.dwelling_id]
    detail = api(f"/api/dwellings/{case.dwelling_id}/", secret).json()
    assert detail["cases"][0]["acts"][0]["regime"] == "avant_2021"
    assert detail["cases"][0]["acts"][0]["works"][0]["description"]
    assert AccessLog.objects.filter(action="api", object_type="dwellings.dwelling").count() == 2


def test_outside_the_pole_a_key_is_refused_and_learns_nothing(api, dde):
    dwelling = DwellingFactory()
    secret = make_key(OrganisationFactory(code="CCAS72"), scopes=["dwellings:read"]).token
    for url in ("/api/dwellings/", f"/api/dwellings/{dwelling.pk}/", f"/api/dwellings/{dwelling.pk + 99}/"):
        response = api(url, secret)
        assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
    without = make_key(dde, scopes=["files:read"]).token
    assert api("/api/dwellings/", without).status_code == 403
