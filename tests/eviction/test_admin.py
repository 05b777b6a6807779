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


def test_a_department_administrator_manages_the_ccapex_thresholds_of_their_department_only(client):
    """Not a superuser: given the model's permissions, an administrateur of the Orne sees,
    adds and changes the Orne's thresholds, and neither reads nor writes the Sarthe's, even
    by posting its id or the Sarthe's département."""
    from decimal import Decimal

    from tests.territory.factories import DepartmentFactory
    from toit.eviction.models import CcapexThreshold

    sarthe, orne = DepartmentFactory(code="72", name="Sarthe"), DepartmentFactory(code="61", name="Orne")
    admin_61 = member_of(OrganisationFactory(code="DDT61", department=orne), role=Role.ADMIN, is_staff=True)
    admin_61.user_permissions.set(Permission.objects.filter(codename__endswith="_ccapexthreshold"))
    client.force_login(admin_61)
    values = {"months_of_arrears": 3, "rent_multiple": Decimal(3)}
    theirs = CcapexThreshold.objects.create(department=sarthe, since="2016-01-01", source="Arrêté 72", **values)
    mine = CcapexThreshold.objects.create(department=orne, since="2016-01-01", source="Arrêté 61", **values)

    listed = client.get(reverse("admin:eviction_ccapexthreshold_changelist"))
    assert list(listed.context["cl"].result_list) == [mine]
    assert "Sarthe" not in listed.text
    assert client.get(reverse("admin:eviction_ccapexthreshold_change", args=[theirs.pk])).status_code == 302
    form = {"since": "2020-01-01", "months_of_arrears": "4", "rent_multiple": "4", "source": "Arrêté"}
    refused = client.post(reverse("admin:eviction_ccapexthreshold_add"), {**form, "department": sarthe.pk})
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.text
    client.post(reverse("admin:eviction_ccapexthreshold_change", args=[theirs.pk]), {**form, "department": sarthe.pk})
    client.post(reverse("admin:eviction_ccapexthreshold_delete", args=[theirs.pk]), {"post": "yes"})
    theirs.refresh_from_db()
    assert theirs.source == "Arrêté 72"
    added = client.post(reverse("admin:eviction_ccapexthreshold_add"), {**form, "department": orne.pk})
    assert added.status_code == 302
    assert set(CcapexThreshold.objects.filter(department=orne).values_list("source", flat=True)) == {
        "Arrêté 61",
        "Arrêté",
    }


def test_a_staff_user_who_administers_no_department_adds_no_threshold(client):
    agent = member_of(OrganisationFactory(), role=Role.MANAGER, is_staff=True)
    agent.user_permissions.set(Permission.objects.filter(codename__endswith="_ccapexthreshold"))
    client.force_login(agent)
    assert client.get(reverse("admin:eviction_ccapexthreshold_add")).status_code == 403
    assert list(client.get(reverse("admin:eviction_ccapexthreshold_changelist")).context["cl"].result_list) == []
