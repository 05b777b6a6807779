"""Correcting and cancelling from the file page: the form is prefilled, asks for a reason,
the domain decides, errors come back with the error summary, and another organisation's
record or a record of another file is a 404 or a refusal, never a write."""

import datetime

from django.urls import reverse

from tests.eviction.factories import EventFactory
from tests.organisations.factories import member_of
from tests.www.eviction.conftest import D, make_file
from toit.eviction.enums import EventKind
from toit.eviction.models import ContactAttempt, Event, HouseholdMember
from toit.notifications.models import Notification
from toit.organisations.enums import Role


def url(file, kind, pk):
    return reverse("eviction:correct", args=[file.reference, kind, pk])


def test_the_file_page_links_each_record_to_its_correction(agent_client, org, dupont):
    page = agent_client.get(reverse("eviction:file", args=[dupont.reference])).text
    summons = Event.objects.get(file=dupont, kind=EventKind.SUMMONS)
    assert url(dupont, "evenement", summons.pk) in page
    contact = ContactAttempt.objects.filter(file=dupont).first()
    assert url(dupont, "contact", contact.pk) in page
    assert reverse("eviction:correct_household", args=[dupont.reference]) in page


def test_an_event_date_typed_the_french_way_is_corrected(agent_client, agent, org):
    file = make_file(org)
    responsable = member_of(org, role=Role.MANAGER)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 12, 7), organisation=org)
    form = agent_client.get(url(file, "evenement", event.pk)).text
    assert 'value="07/12/2010"' in form and 'name="reason"' in form
    response = agent_client.post(
        url(file, "evenement", event.pk), {"date": "15072010", "note": "", "amount": "", "reason": "Date mal lue"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.date == D(2010, 7, 15)
    assert event.history.latest("history_id").history_change_reason == "Date mal lue"
    # The responsable of the organisation (no named référent) is told, with the reason.
    notice = Notification.objects.get(recipient=responsable)
    assert "Date mal lue" in notice.message and file.reference in notice.message
    assert not Notification.objects.filter(recipient=agent).exists()  # not of one's own act


def test_errors_come_back_with_the_summary_and_nothing_is_written(agent_client, org):
    file = make_file(org)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 12, 7), organisation=org)
    response = agent_client.post(url(file, "evenement", event.pk), {"date": "15/07/10", "reason": ""})
    assert response.status_code == 422
    text = response.text.replace("&#x27;", "'")
    assert "data-error-summary" in text and "Le formulaire contient 2 erreurs" in text
    assert "indiquez l'année sur quatre chiffres" in text
    assert 'href="#id_date"' in text
    event.refresh_from_db()
    assert event.date == D(2010, 12, 7)


def test_htmx_errors_come_back_in_place(agent_client, org):
    file = make_file(org)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 12, 7), organisation=org)
    response = agent_client.post(
        url(file, "evenement", event.pk), {"date": "31/02/2010", "reason": "x"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert "n'existe pas dans le calendrier" in response.text.replace("&#x27;", "'")
    ok = agent_client.post(
        url(file, "evenement", event.pk),
        {"date": "01/07/2010", "reason": "Date mal lue"},
        headers={"HX-Request": "true"},
    )
    assert ok.status_code == 204 and ok["HX-Redirect"].endswith("#chronologie")


def test_an_event_is_cancelled_with_a_reason(agent_client, org):
    file = make_file(org)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 12, 7), organisation=org)
    refused = agent_client.post(url(file, "evenement", event.pk), {"operation": "annuler", "suppression-reason": ""})
    assert refused.status_code == 422 and Event.objects.filter(pk=event.pk).exists()
    done = agent_client.post(
        url(file, "evenement", event.pk), {"operation": "annuler", "suppression-reason": "Mauvais dossier"}
    )
    assert done.status_code == 302 and not Event.objects.filter(pk=event.pk).exists()
    history = agent_client.get(reverse("eviction:file_history", args=[file.reference])).text
    assert "Mauvais dossier" in history


def test_another_organisations_event_is_refused_and_another_files_record_is_404(client, org, other_org):
    file = make_file(org)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 12, 7), organisation=org)
    from toit.eviction import access

    access.share_file(file, other_org, member_of(org), org)
    partner = member_of(other_org)
    client.force_login(partner)
    response = client.post(url(file, "evenement", event.pk), {"date": "01/07/2010", "reason": "Je corrige"})
    assert response.status_code == 422 and "seuls ses agents" in response.text
    event.refresh_from_db()
    assert event.date == D(2010, 12, 7)
    # A record of a file the user reads, addressed through another file: 404.
    own = make_file(other_org)
    assert client.get(url(own, "evenement", event.pk)).status_code == 404
    # A file the user does not read: 404 too.
    stranger = make_file(org)
    stranger_event = EventFactory(file=stranger, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 1), organisation=org)
    assert client.get(url(stranger, "evenement", stranger_event.pk)).status_code == 404


def test_household_member_correction_and_addition(agent_client, org):
    file = make_file(org)
    member = HouseholdMember.objects.filter(household=file.household).first()
    response = agent_client.post(
        url(file, "membre", member.pk),
        {
            "last_name": "Dupond",
            "first_name": member.first_name,
            "birth_name": member.birth_name,
            "birth_date": member.birth_date.strftime("%d/%m/%Y"),
            "relationship": member.relationship,
            "reason": "Nom mal orthographié",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Dupond"
    added = agent_client.post(
        reverse("eviction:add_member", args=[file.reference]),
        {
            "last_name": "Dupond",
            "first_name": "Zoé",
            "birth_date": "01022012",
            "relationship": "enfant",
            "reason": "Naissance",
        },
    )
    assert added.status_code == 302
    assert HouseholdMember.objects.get(first_name="Zoé").birth_date == datetime.date(2012, 2, 1)


def test_a_long_reason_is_kept_whole(agent_client, agent, org):
    # The forms accept 500 characters; the history kept 100 and PostgreSQL refused the rest
    # with a server error (SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD).
    file = make_file(org)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 12, 7), organisation=org)
    reason = "Date mal lue : le commandement porte le 15 juillet 2010, tapé 15072010 dans un navigateur réglé " * 4
    response = agent_client.post(
        url(file, "evenement", event.pk), {"date": "15/07/2010", "note": "", "amount": "", "reason": reason[:500]}
    )
    assert response.status_code == 302
    assert event.history.latest("history_id").history_change_reason == reason[:500].strip()
