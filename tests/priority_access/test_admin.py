import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of
from tests.priority_access.factories import DaloAppealFactory
from toit.organisations.enums import Role


@pytest.fixture
def staff(client):
    own = OrganisationFactory(code="DDE72")
    user = member_of(own, role=Role.ADMIN, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="priority_access"))
    client.force_login(user)
    return own


def test_staff_lists_and_opens_only_their_organisations_records(client, staff):
    own = DaloAppealFactory(holder=staff, last_name="Visibledde")
    other = DaloAppealFactory(last_name="Autrepartenaire")
    page = client.get(reverse("admin:priority_access_daloappeal_changelist")).content.decode()
    assert "Visibledde" in page and "Autrepartenaire" not in page
    assert client.get(reverse("admin:priority_access_daloappeal_change", args=[own.pk])).status_code == 200
    # Another partner's record: the admin's « does not exist » redirect, never its form.
    response = client.get(reverse("admin:priority_access_daloappeal_change", args=[other.pk]))
    assert response.status_code == 302


def test_staff_cannot_file_a_record_under_another_organisation(client, staff):
    appeal = DaloAppealFactory(holder=staff)
    other = OrganisationFactory(code="PREF72")
    url = reverse("admin:priority_access_daloappeal_change", args=[appeal.pk])
    form = client.get(url).context["adminform"].form
    assert other not in form.fields["holder"].queryset
