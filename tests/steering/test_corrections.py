"""People make mistakes: a meeting (date, place, attendance, summary) and a decision (text,
agenda item, body in charge) are corrected with a reason, kept in their history with who
made the change and which fields it touched; without a reason nothing is written."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.steering.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from toit.organisations.models import Organisation
from toit.plans.models import Action
from toit.steering.models import Decision, Meeting
from toit.steering.services import record_decision


def url(name, plan, *args):
    return reverse(f"steering:{name}", args=[plan.code, *args])


def text(response):
    return html.unescape(response.text)


def meeting_data(meeting, **changes):
    data = {
        "committee": meeting.committee,
        "date": meeting.date.isoformat(),
        "place": meeting.place,
        "summary": meeting.summary,
        "attending": [o.pk for o in meeting.attending.all()],
    }
    return {**data, **changes}


def test_a_meeting_is_corrected_with_a_reason_kept_in_its_history(client, plan, manager):
    meeting = MeetingFactory(plan=plan, date=datetime.date(2010, 3, 15), place="Préfecture, salle 2")
    client.force_login(manager)
    target = url("meeting_edit", plan, meeting.pk)
    assert "Motif de la correction" in text(client.get(target))

    response = client.post(target, meeting_data(meeting, date="2010-03-16", place="Préfecture, salle 3"))
    assert response.status_code == 422
    assert "Ce champ est obligatoire" in text(response)
    meeting.refresh_from_db()
    assert (meeting.date, meeting.place) == (datetime.date(2010, 3, 15), "Préfecture, salle 2")

    caf = Organisation.objects.get(code="CAF72")
    response = client.post(
        target,
        meeting_data(
            meeting, date="2010-03-16", place="Préfecture, salle 3", attending=[caf.pk], reason="Date du relevé erronée"
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.place, list(meeting.attending.all())) == (
        datetime.date(2010, 3, 16),
        "Préfecture, salle 3",
        [caf],
    )
    latest = meeting.history.latest("history_date")
    assert (latest.history_change_reason, latest.history_user) == ("Date du relevé erronée", manager)
    assert meeting.history.earliest("history_date").place == "Préfecture, salle 2"
    page = text(client.get(url("meeting", plan, meeting.pk)))
    assert "Historique de la réunion" in page
    assert "date, lieu modifié(s)" in page and "motif : Date du relevé erronée" in page


def test_a_new_meeting_needs_no_reason(client, plan, manager):
    client.force_login(manager)
    response = client.post(
        url("meeting_new", plan), {"committee": "comite_technique", "date": "2010-06-10", "place": "Le Mans"}
    )
    assert response.status_code == 302
    created = Meeting.objects.get().history.get()
    assert (created.history_type, created.history_user) == ("+", manager)


def test_a_decision_is_corrected_with_a_reason(client, plan, manager):
    meeting = MeetingFactory(plan=plan, date=datetime.date(2010, 3, 15))
    item = AgendaItemFactory(meeting=meeting, title="Prévention")
    decision = DecisionFactory(meeting=meeting, text="Relancer les bailleurs sociaux.")
    caf = Organisation.objects.get(code="CAF72")
    client.force_login(manager)
    target = url("decision_correct", plan, decision.pk)
    page = client.get(target)
    assert page.status_code == 200 and "Relancer les bailleurs sociaux." in text(page)
    assert target in text(client.get(url("meeting", plan, meeting.pk)))

    data = {
        "correction-text": "Relancer les bailleurs privés.",
        "correction-agenda_item": item.pk,
        "correction-responsible": caf.pk,
        "correction-due_date": "",
        "correction-status": "a_faire",
    }
    response = client.post(target, data)
    assert response.status_code == 422 and "Ce champ est obligatoire" in text(response)
    decision.refresh_from_db()
    assert decision.text == "Relancer les bailleurs sociaux." and decision.responsible is None

    response = client.post(target, {**data, "correction-reason": "Faute de frappe dans le relevé"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.text, decision.agenda_item, decision.responsible) == ("Relancer les bailleurs privés.", item, caf)
    latest = decision.history.latest("history_date")
    assert (latest.history_change_reason, latest.history_user) == ("Faute de frappe dans le relevé", manager)
    page = text(client.get(url("meeting", plan, meeting.pk)))
    assert "point de l'ordre du jour, décision, organisation chargée du suivi modifié(s)" in page


def test_the_follow_up_form_cannot_correct_the_text_without_a_reason(plan, manager):
    """The rule is in the function, not only in the page: a text changed through the
    follow-up path without a reason is refused."""
    decision = DecisionFactory(meeting=MeetingFactory(plan=plan), text="Texte exact.")
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        record_decision(user=manager, meeting=decision.meeting, data={"text": "Autre texte."}, instance=decision)
    assert Decision.objects.get().text == "Texte exact."


def test_an_agenda_item_is_corrected_with_a_reason(client, plan, manager):
    meeting = MeetingFactory(plan=plan)
    item = AgendaItemFactory(meeting=meeting, title="Prévnetion des expulsions")
    action = Action.objects.get(code="1A")
    client.force_login(manager)
    target = url("agenda_correct", plan, item.pk)
    assert target in text(client.get(url("meeting", plan, meeting.pk)))
    data = {"point-title": "Prévention des expulsions", "point-actions": [action.pk]}
    response = client.post(target, data)
    assert response.status_code == 422
    item.refresh_from_db()
    assert item.title == "Prévnetion des expulsions"
    assert client.post(target, {**data, "point-reason": "Faute de frappe"}).status_code == 302
    item.refresh_from_db()
    assert (item.title, list(item.actions.all())) == ("Prévention des expulsions", [action])
    latest = item.history.latest("history_date")
    assert (latest.history_change_reason, latest.history_user, latest.title) == ("Faute de frappe", manager, item.title)


def test_members_without_steering_and_outsiders_get_404(client, plan, manager, agent, outsider):
    meeting = MeetingFactory(plan=plan)
    decision, item = DecisionFactory(meeting=meeting), AgendaItemFactory(meeting=meeting, title="Point")
    for user in (agent, outsider):
        client.force_login(user)
        for target, data in (
            (url("decision_correct", plan, decision.pk), {"correction-text": "x", "correction-reason": "piratage"}),
            (url("agenda_correct", plan, item.pk), {"point-title": "x", "point-reason": "piratage"}),
        ):
            assert client.get(target).status_code == 404
            assert client.post(target, data).status_code == 404
    assert Decision.objects.get().text == decision.text
    item.refresh_from_db()
    assert item.title == "Point"


def test_a_long_reason_is_kept_whole_and_a_too_long_one_refused_not_cut(plan, manager):
    """The history keeps a reason as text: 300 characters come back whole (they were cut to
    100 before); past 500 the reason is refused with its length, and nothing is written."""
    decision = DecisionFactory(meeting=MeetingFactory(plan=plan), text="Texte exact.")
    long_reason = "Le relevé de la réunion disait autre chose ; " * 6 + "corrigé."
    assert 100 < len(long_reason) <= 500
    record_decision(
        user=manager, meeting=decision.meeting, data={"text": "Texte corrigé."}, instance=decision, reason=long_reason
    )
    assert decision.history.latest("history_date").history_change_reason == long_reason

    too_long = "x" * 501
    with pytest.raises(ValidationError, match="501 caractères pour 500 au plus"):
        record_decision(
            user=manager, meeting=decision.meeting, data={"status": "fait"}, instance=decision, reason=too_long
        )
    decision.refresh_from_db()
    assert decision.text == "Texte corrigé." and decision.history.count() == 2
