"""The Django admin follows the pages' rules for a staff user who is not a superuser (an
administrateur of an organisation): the eviction records of files they cannot see are
neither listed nor reachable by posting their id, the access log shows what concerns their
organisations, and nothing lets them reach beyond their organisations (memberships,
organisation codes and kinds, privileges, API keys)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.eviction.factories import PreventionFileFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.security.conftest import MARKER
from toit.api import keys
from toit.api.models import ApiKey
from toit.audit.models import AccessLog
from toit.eviction.models import ContactAttempt, Event
from toit.organisations.enums import OrganisationKind, Role
from toit.organisations.models import Membership

APPS = ["eviction", "audit", "organisations", "users", "api"]


@pytest.fixture
def own():
    return OrganisationFactory(code="ADIL72", name="ADIL de la Sarthe")


@pytest.fixture
def other():
    return OrganisationFactory(code="CCAS-ALLONNES", name="CCAS d'Allonnes")


@pytest.fixture
def staff(client, own):
    """An administrateur of ADIL72 with every model permission of Toit's apps in the admin."""
    user = member_of(own, role=Role.ADMIN, is_staff=True, username="admin-adil")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))
    client.force_login(user)
    return user


def test_a_row_cannot_be_attached_to_an_invisible_file_by_posting_its_id(client, staff, own, other):
    mine, theirs = PreventionFileFactory(opened_by=own), PreventionFileFactory(opened_by=other)
    data = {"kind": "commandement_payer", "date": "2010-03-01", "organisation": own.pk}
    refused = client.post(reverse("admin:eviction_event_add"), {**data, "file": theirs.pk})
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.text
    assert not Event.objects.exists()
    contact = {"date": "2010-03-01", "channel": "telephone", "outcome": "contact_etabli", "organisation": own.pk}
    client.post(reverse("admin:eviction_contactattempt_add"), {**contact, "file": theirs.pk})
    assert not ContactAttempt.objects.exists()
    # The same form for a file of their own is accepted: the refusal above is about the file.
    accepted = client.post(reverse("admin:eviction_event_add"), {**data, "file": mine.pk})
    assert accepted.status_code == 302 and Event.objects.get().file == mine


def test_the_autocomplete_offers_only_visible_files(client, staff, own, other):
    mine, theirs = PreventionFileFactory(opened_by=own), PreventionFileFactory(opened_by=other)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "eviction", "model_name": "event", "field_name": "file", "term": "PX"},
    )
    found = {item["text"] for item in response.json()["results"]}
    assert mine.reference in found and theirs.reference not in found


def test_the_access_log_shows_what_concerns_their_organisations(client, staff, own, other):
    mine, theirs = PreventionFileFactory(opened_by=own), PreventionFileFactory(opened_by=other)
    outsider = member_of(other)
    entries = [
        AccessLog(user=outsider, username="dehors", organisation=other, action="lecture", object_type=t, object_id=i)
        for t, i in (("eviction.preventionfile", str(mine.pk)), ("eviction.preventionfile", str(theirs.pk)))
    ]
    member = member_of(own, username="membre-adil")
    entries.append(
        AccessLog(user=member, username="membre-adil", action="lecture", object_type="imports.importjob", object_id="1")
    )
    AccessLog.objects.bulk_create(entries)
    response = client.get(reverse("admin:audit_accesslog_changelist"))
    shown = {(e.username, e.object_id) for e in response.context["cl"].result_list}
    # Who read their file, and what their members read; not another organisation's reads elsewhere.
    assert shown == {("dehors", str(mine.pk)), ("membre-adil", "1")}


def test_memberships_stay_within_their_organisations(client, staff, own, other):
    MembershipFactory(organisation=other, role=Role.AGENT)
    response = client.get(reverse("admin:organisations_membership_changelist"))
    assert {m.organisation for m in response.context["cl"].result_list} == {own}
    # Joining another organisation, to read its files, is refused.
    escalate = client.post(
        reverse("admin:organisations_membership_add"),
        {"user": staff.pk, "organisation": other.pk, "role": Role.AGENT, "is_active": "on"},
    )
    assert escalate.status_code == 200 and "Sélectionnez un choix valide" in escalate.text
    assert not Membership.objects.filter(user=staff, organisation=other).exists()


def test_an_organisation_keeps_its_code_and_kind(client, staff, own, other):
    assert client.get(reverse("admin:organisations_organisation_change", args=[other.pk])).status_code == 302
    client.post(
        reverse("admin:organisations_organisation_change", args=[own.pk]),
        {"code": "PREF72", "name": "ADIL de la Sarthe", "kind": OrganisationKind.STATE, "is_active": "on"},
    )
    own.refresh_from_db()
    assert (own.code, own.kind) == ("ADIL72", OrganisationKind.ASSOCIATION)
    assert client.get(reverse("admin:organisations_organisation_add")).status_code == 403


def test_an_administrateur_cannot_make_their_organisation_a_prefecture_or_move_it(client, staff, own):
    """is_prefecture joins every eviction file of a département from the assignation on, and
    the département decides where the observatory and administrateur roles apply: an
    administrateur posting either would open other organisations' files."""
    from tests.territory.factories import DepartmentFactory

    orne = DepartmentFactory(code="61", name="Orne")
    sarthe = own.department_id
    client.post(
        reverse("admin:organisations_organisation_change", args=[own.pk]),
        {
            "code": "ADIL72",
            "name": "ADIL de la Sarthe",
            "kind": OrganisationKind.ASSOCIATION,
            "department": orne.pk,
            "is_prefecture": "on",
            "is_active": "on",
        },
    )
    own.refresh_from_db()
    assert (own.department_id, own.is_prefecture) == (sarthe, False)


def test_no_privilege_can_be_handed_out(client, staff, own, other):
    stranger = member_of(other, username="etranger")
    assert client.get(reverse("admin:users_user_change", args=[stranger.pk])).status_code == 302
    page = client.get(reverse("admin:users_user_change", args=[staff.pk])).text
    for field in ("is_superuser", "is_staff", "user_permissions", "groups"):
        assert f'name="{field}"' not in page
    colleague = member_of(own, username="collegue")
    assert client.get(reverse("admin:users_user_change", args=[colleague.pk])).status_code == 200


def test_api_keys_only_for_their_organisations(client, staff, own, other):
    response = client.post(
        reverse("admin:api_apikey_add"),
        {"organisation": other.pk, "name": "Logiciel", "scopes": ["files:read"]},
    )
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.text
    assert not ApiKey.objects.exists()
    keys.create_key(other, name="Leur logiciel", scopes=["indicators:read"])
    keys.create_key(own, name="Notre logiciel", scopes=["indicators:read"])
    listed = client.get(reverse("admin:api_apikey_changelist")).context["cl"].result_list
    assert [k.organisation for k in listed] == [own]


def test_a_superuser_is_not_restricted(client, own, other):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    PreventionFileFactory(opened_by=other, household__street=f"1 rue {MARKER}")
    assert client.get(reverse("admin:eviction_preventionfile_changelist")).context["cl"].result_count == 1
    assert client.get(reverse("admin:organisations_membership_changelist")).status_code == 200
