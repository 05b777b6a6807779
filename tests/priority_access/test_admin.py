import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of
from tests.priority_access.factories import DaloAppealFactory, MousFollowupFactory
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


def _post_data(client, url, **changes):
    """The change form as the browser would send it, with `changes`."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_staff_records_an_end_without_rehousing_with_the_reason_of_the_correction(client, staff):
    appeal = DaloAppealFactory(holder=staff, priority=True)
    url = reverse("admin:priority_access_daloappeal_change", args=[appeal.pk])
    data = _post_data(client, url, ended_on="2010-03-01", end_reason="offre_refusee")
    # A correction without its reason is refused, in French, and changes nothing.
    page = client.post(url, {**data, "reason": ""})
    assert page.status_code == 200
    assert "Indiquez le motif de la correction" in page.content.decode()
    appeal.refresh_from_db()
    assert appeal.ended_on is None
    response = client.post(url, {**data, "reason": "Refus de la proposition du 12/02/2010"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    appeal.refresh_from_db()
    assert (appeal.ended_on, appeal.end_reason) == (datetime.date(2010, 3, 1), "offre_refusee")
    latest = appeal.history.latest()
    assert (latest.end_reason, latest.history_change_reason) == (
        "offre_refusee",
        "Refus de la proposition du 12/02/2010",
    )


def test_staff_gets_the_french_message_of_an_impossible_end(client, staff):
    appeal = DaloAppealFactory(holder=staff, priority=True, rehoused_on=datetime.date(2009, 9, 1))
    url = reverse("admin:priority_access_daloappeal_change", args=[appeal.pk])
    data = _post_data(client, url, ended_on="2010-03-01", end_reason="injoignable", reason="Sortie du dispositif")
    page = client.post(url, data).content.decode()
    assert "Un ménage relogé n&#x27;a pas de fin d&#x27;obligation sans relogement" in page
    data = _post_data(client, url, rehoused_on="", ended_on="2010-03-01", reason="Sortie du dispositif")
    assert "a une date et un motif : indiquez les deux, ou aucun." in client.post(url, data).content.decode()
    appeal.refresh_from_db()
    assert appeal.ended_on is None


def test_staff_ends_a_mous_mediation(client, staff):
    followup = MousFollowupFactory(holder=staff)
    url = reverse("admin:priority_access_mousfollowup_change", args=[followup.pk])
    data = _post_data(client, url, ended_on="2009-04-01", end_reason="perte_contact", reason="Courriers revenus")
    assert "La fin de la médiation précède son début" in client.post(url, data).content.decode()
    data["ended_on"] = "2010-04-01"
    assert client.post(url, data).status_code == 302
    followup.refresh_from_db()
    assert (followup.ended_on, followup.end_reason) == (datetime.date(2010, 4, 1), "perte_contact")
    assert followup.history.latest().history_change_reason == "Courriers revenus"
