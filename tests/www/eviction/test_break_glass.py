"""« Accès exceptionnel » (break glass): a responsable or administrateur opens a file
outside their scope for 24 hours by stating a reason; the request is logged before the
page says anything about the reference; the file shows a banner; the access expires."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.organisations.factories import MembershipFactory, OrganisationFactory, member_of
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog
from toit.eviction import access
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import FileParticipant
from toit.eviction.procedure import add_event
from toit.organisations.enums import Role
from toit.www.eviction.common import NOT_FOUND

URL = reverse("eviction:break_glass")
REASON = "Appel du commissariat : expulsion prévue demain, ménage inconnu de nos services."
MOTIVE = "expulsion_imminente"
LOGGED = f"Expulsion imminente (concours de la force publique) : {REASON}"


@pytest.fixture
def manager(other_org):
    return member_of(other_org, role=Role.MANAGER, first_name="Marc", last_name="Responsable")


def comparable(response):
    content = re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def ask(client, reference, organisation, reason=REASON):
    return client.post(
        URL, {"reference": reference, "organisation": organisation.pk, "reason": reason, "motive": MOTIVE}
    )


def test_a_manager_opens_the_file_for_a_day_and_it_is_logged(client, manager, other_org, dupont):
    client.force_login(manager)
    file_page = reverse("eviction:file", args=[dupont.reference])
    assert client.get(file_page).status_code == 404
    assert client.get(URL).status_code == 200

    response = ask(client, dupont.reference.lower(), other_org)
    assert response.status_code == 302 and response.url == file_page
    participant = FileParticipant.objects.get(file=dupont, organisation=other_org)
    assert participant.reason == ParticipantReason.BREAK_GLASS and participant.added_by == manager
    assert participant.expires_at - participant.since == datetime.timedelta(hours=24)
    entry = AccessLog.objects.get(action=AccessAction.BREAK_GLASS)
    assert (entry.user, entry.organisation, entry.object_ref, entry.reason) == (
        manager,
        other_org,
        dupont.reference,
        LOGGED,
    )
    assert entry.object_id == str(dupont.pk) and entry.view == "eviction:break_glass"

    page = client.get(file_page)
    assert page.status_code == 200
    text = page.text.replace("&#x27;", "'")
    assert "Accès exceptionnel en cours" in text and "« CCAS d'Allonnes » lit ce dossier hors de son périmètre" in text
    assert "Accès exceptionnel (bris de glace), jusqu'au" in text
    # The organisation takes part: it may act on the file while the access lasts.
    assert access.may_act(manager, other_org, dupont)


def test_the_owners_see_the_banner_too(agent_client, manager, other_org, dupont):
    access.break_glass(dupont, other_org, manager, REASON, motive=MOTIVE)
    text = agent_client.get(reverse("eviction:file", args=[dupont.reference])).text.replace("&#x27;", "'")
    assert "Accès exceptionnel en cours" in text and "à la demande de Marc Responsable" in text


def test_an_unknown_reference_gets_the_message_of_a_missing_file_after_being_logged(client, manager, other_org):
    client.force_login(manager)
    response = ask(client, "PX-2222-2222", other_org)
    assert response.status_code == 404
    assert NOT_FOUND in response.text
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id, entry.object_ref, entry.reason) == (
        AccessAction.BREAK_GLASS,
        "",
        "PX-2222-2222",
        LOGGED,
    )
    assert not FileParticipant.objects.filter(organisation=other_org).exists()
    garbage = ask(client, "pas une référence", other_org)
    assert garbage.status_code == 404 and NOT_FOUND in garbage.text
    assert AccessLog.objects.count() == 2


def test_nothing_is_said_about_the_reference_before_a_reason_is_given(client, manager, other_org, dupont):
    client.force_login(manager)
    existing = ask(client, dupont.reference, other_org, reason="urgence")
    missing = ask(client, "PX-2222-2222", other_org, reason="urgence")
    assert existing.status_code == missing.status_code == 422
    assert "Indiquez le motif en 15 caractères au moins" in existing.text.replace("&#x27;", "'")
    # The reference typed is echoed back in the form: the rest is identical.
    assert comparable(existing).replace(dupont.reference.encode(), b"") == comparable(missing).replace(
        b"PX-2222-2222", b""
    )
    assert not AccessLog.objects.exists()
    assert not FileParticipant.objects.filter(organisation=other_org).exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.OBSERVATORY])
def test_agents_and_the_observatory_are_refused(client, other_org, dupont, role):
    client.force_login(member_of(other_org, role=role))
    assert client.get(URL).status_code == 403
    response = ask(client, dupont.reference, other_org)
    assert response.status_code == 403
    if role == Role.AGENT:
        assert "réservé aux responsables et administrateurs" in response.text
    assert not AccessLog.objects.exists() and not FileParticipant.objects.filter(organisation=other_org).exists()


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_only_for_an_organisation_one_manages(client, other_org, org, dupont):
    # Responsable of one organisation, agent of another: only the first is offered.
    person = member_of(other_org, role=Role.MANAGER)
    third = OrganisationFactory(code="CCAS-SABLE", name="CCAS de Sablé")
    MembershipFactory(user=person, organisation=third, role=Role.AGENT)
    client.force_login(person)
    response = ask(client, dupont.reference, third)
    assert response.status_code == 422
    assert not FileParticipant.objects.filter(organisation=third).exists()
    with pytest.raises(PermissionDenied, match="Seuls les responsables et administrateurs"):
        access.break_glass(dupont, third, person, REASON, motive=MOTIVE)


def test_an_administrator_may_too(client, other_org, dupont):
    client.force_login(member_of(other_org, role=Role.ADMIN))
    assert ask(client, dupont.reference, other_org).status_code == 302


def test_the_access_expires(client, manager, other_org, dupont):
    participant = access.break_glass(dupont, other_org, manager, REASON, motive=MOTIVE)
    client.force_login(manager)
    file_page = reverse("eviction:file", args=[dupont.reference])
    assert client.get(file_page).status_code == 200
    participant.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    participant.save()
    assert client.get(file_page).status_code == 404
    assert not access.may_act(manager, other_org, dupont)
    with pytest.raises(PermissionDenied):
        add_event(dupont, EventKind.CCAPEX, datetime.date(2011, 1, 5), manager, other_org)
    # The owners no longer see a banner, nor the expired participant.
    assert not access.is_visible(dupont, manager)
    # Asking again renews it (one row per file, organisation and reason).
    access.break_glass(dupont, other_org, manager, REASON, motive=MOTIVE)
    assert client.get(file_page).status_code == 200
    assert FileParticipant.objects.filter(organisation=other_org).count() == 1


def test_already_taking_part_needs_no_exceptional_access(client, org, dupont):
    client.force_login(member_of(org, role=Role.MANAGER))
    response = ask(client, dupont.reference, org)
    assert response.status_code == 302
    assert not FileParticipant.objects.filter(reason=ParticipantReason.BREAK_GLASS).exists()


def test_the_reason_must_be_long_enough_in_the_domain_too(manager, other_org, dupont):
    with pytest.raises(ValidationError, match="15 caractères au moins"):
        access.break_glass(dupont, other_org, manager, "   trop court   ", motive=MOTIVE)


def test_a_break_glass_participation_always_ends(dupont, other_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        FileParticipant.objects.create(file=dupont, organisation=other_org, reason=ParticipantReason.BREAK_GLASS)


def test_search_offers_it_to_managers_only(client, agent, manager):
    client.force_login(manager)
    assert f'href="{URL}"' in client.get(reverse("eviction:search")).text
    client.force_login(agent)
    assert f'href="{URL}"' not in client.get(reverse("eviction:search")).text
