import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.eviction.factories import EventFactory, HouseholdMemberFactory, PreventionFileFactory, ReportFactory
from tests.organisations.factories import OrganisationFactory, UserFactory, member_of
from toit.organisations.enums import Role


@pytest.fixture
def staff(client):
    organisation = OrganisationFactory()
    user = member_of(organisation, role=Role.ADMIN, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="eviction"))
    client.force_login(user)
    return organisation


def test_staff_sees_only_visible_files(client, staff):
    mine = PreventionFileFactory(opened_by=staff)
    other = PreventionFileFactory()
    response = client.get(reverse("admin:eviction_preventionfile_changelist"))
    assert response.status_code == 200
    assert mine.reference in response.text
    assert other.reference not in response.text
    assert client.get(reverse("admin:eviction_preventionfile_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:eviction_preventionfile_change", args=[mine.pk])).status_code == 200


def test_staff_sees_only_events_and_households_of_visible_files(client, staff):
    mine = EventFactory(file=PreventionFileFactory(opened_by=staff))
    EventFactory()
    response = client.get(reverse("admin:eviction_event_changelist"))
    assert response.context["cl"].result_count == 1
    assert list(response.context["cl"].result_list) == [mine]
    HouseholdMemberFactory(household=mine.file.household)
    response = client.get(reverse("admin:eviction_household_changelist"), {"q": "durand"})
    assert list(response.context["cl"].result_list) == [mine.file.household]


def test_staff_sees_own_reports(client, staff):
    mine = ReportFactory(reporting_organisation=staff)
    ReportFactory()
    response = client.get(reverse("admin:eviction_report_changelist"))
    assert list(response.context["cl"].result_list) == [mine]


def test_superuser_sees_everything(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    files = [PreventionFileFactory(), PreventionFileFactory()]
    response = client.get(reverse("admin:eviction_preventionfile_changelist"))
    assert response.context["cl"].result_count == 2
    for file in files:
        assert file.reference in response.text


@pytest.mark.parametrize(
    "name",
    [
        "privatelandlord",
        "household",
        "preventionfile",
        "report",
        "event",
        "contactattempt",
        "socialdiagnosis",
        "repaymentplan",
        "fsldecision",
        "overindebtednesscase",
        "homeownerdifficulty",
    ],
)
def test_changelists_and_add_forms_render(client, name):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    PreventionFileFactory()
    assert client.get(reverse(f"admin:eviction_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:eviction_{name}_add")).status_code == 200
