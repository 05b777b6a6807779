import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.steering.factories import AgendaItemFactory, DecisionFactory, MeetingFactory, StudyOrderFactory
from toit.organisations.models import Organisation
from toit.plans.models import Action
from toit.steering.attachments import attach
from toit.steering.enums import DecisionStatus
from toit.steering.models import Attachment, Decision, Meeting, StudyOrder

PDF = b"%PDF-1.4\n% compte rendu\n"


def url(name, plan, *args):
    return reverse(f"steering:{name}", args=[plan.code, *args])


@pytest.fixture
def meeting(plan):
    return MeetingFactory(plan=plan)


@pytest.fixture
def minutes(meeting, manager):
    return attach(user=manager, upload=SimpleUploadedFile("cr.pdf", PDF), meeting=meeting)


def test_anonymous_is_sent_to_login(client, plan, minutes):
    for target in (url("overview", plan), url("attachment", plan, minutes.pk)):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_outsider_gets_404_even_for_a_file(client, plan, meeting, minutes, outsider):
    client.force_login(outsider)
    assert client.get(url("overview", plan)).status_code == 404
    assert client.get(url("meeting", plan, meeting.pk)).status_code == 404
    assert client.get(url("attachment", plan, minutes.pk)).status_code == 404


def test_member_reads_but_does_not_edit(client, plan, meeting, minutes, agent):
    client.force_login(agent)
    page = client.get(url("meeting", plan, meeting.pk))
    assert page.status_code == 200 and "cr.pdf" in page.text and "Enregistrer une décision" not in page.text
    download = client.get(url("attachment", plan, minutes.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert client.get(url("meeting_new", plan)).status_code == 404
    assert client.post(url("decision_add", plan, meeting.pk), {"decision-text": "x"}).status_code == 404


def test_observatory_role_sees_the_steering_pages(client, plan, meeting, observatory_user):
    client.force_login(observatory_user)
    assert client.get(url("overview", plan)).status_code == 200


def test_files_are_stored_outside_static_under_random_names(plan, minutes, private_media, settings):
    path = minutes.file.path
    assert path.startswith(str(private_media)) and not path.startswith(str(settings.STATIC_ROOT))
    assert "cr.pdf" not in path and minutes.original_name == "cr.pdf"
    with pytest.raises(ValueError, match="vue qui vérifie les droits"):
        minutes.file.url  # noqa: B018 - the property is what raises


def test_manager_creates_a_meeting_with_agenda_decision_and_minutes(client, plan, manager):
    client.force_login(manager)
    caf, dde = Organisation.objects.get(code="CAF72"), Organisation.objects.get(code="DDE72")
    response = client.post(
        url("meeting_new", plan),
        {
            "committee": "comite_responsable",
            "date": "2010-06-10",
            "place": "Hôtel du département",
            "attending": [caf.pk, dde.pk],
            "summary": "Bilan à mi-parcours.",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == url("meeting", plan, meeting.pk)
    assert meeting.created_by == manager and set(meeting.attending.all()) == {caf, dde}
    action = Action.objects.get(code="1A")
    client.post(url("agenda_add", plan, meeting.pk), {"point-title": "Prévention", "point-actions": [action.pk]})
    item = meeting.agenda_items.get()
    assert list(item.actions.all()) == [action]
    client.post(
        url("decision_add", plan, meeting.pk),
        {
            "decision-text": "Renforcer l'information des bailleurs.",
            "decision-agenda_item": item.pk,
            "decision-responsible": caf.pk,
            "decision-due_date": "2010-12-31",
            "decision-status": "a_faire",
        },
    )
    decision = Decision.objects.get()
    assert (decision.agenda_item, decision.responsible) == (item, caf)
    client.post(
        url("decision_follow_up", plan, decision.pk),
        {f"suivi-{decision.pk}-status": "fait", f"suivi-{decision.pk}-due_date": "2010-12-31"},
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE
    upload = SimpleUploadedFile("relevé.pdf", PDF, content_type="application/pdf")
    response = client.post(url("minutes_upload", plan, meeting.pk), {"piece-file": upload})
    assert response.status_code == 302 and Attachment.objects.get().meeting == meeting


def test_errors_say_what_to_fix(client, plan, meeting, manager):
    client.force_login(manager)
    response = client.post(
        url("decision_add", plan, meeting.pk),
        {"decision-text": "x", "decision-due_date": "2009-01-01", "decision-status": "a_faire"},
    )
    assert response.status_code == 422 and "L&#x27;échéance précède la réunion" in response.text
    fake = SimpleUploadedFile("cr.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url("minutes_upload", plan, meeting.pk), {"piece-file": fake})
    assert response.status_code == 422 and "ne contient pas un fichier PDF valide" in response.text
    script = SimpleUploadedFile("cr.html", b"<script>", content_type="text/html")
    response = client.post(url("minutes_upload", plan, meeting.pk), {"piece-file": script})
    assert "type de fichier refusé" in response.text
    assert not Attachment.objects.exists()


def test_size_limit(client, plan, meeting, manager, settings):
    settings.TOIT_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(manager)
    big = SimpleUploadedFile("cr.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client.post(url("minutes_upload", plan, meeting.pk), {"piece-file": big})
    assert response.status_code == 422 and "la limite est de" in response.text
    assert not Attachment.objects.exists()


def test_study_order_with_deliverable(client, plan, manager, meeting):
    client.force_login(manager)
    caf = Organisation.objects.get(code="CAF72")
    action = Action.objects.get(code="2A")
    data = {
        "title": "Les expulsions en zone rurale",
        "question": "Combien ?",
        "requested_by": caf.pk,
        "committee": "comite_technique",
        "meeting": meeting.pk,
        "actions": [action.pk],
        "ordered_on": "2010-04-01",
        "due_date": "2010-03-01",
    }
    response = client.post(url("order_new", plan), data)
    assert response.status_code == 422 and "L&#x27;échéance précède la commande" in response.text
    data["due_date"] = "2010-10-01"
    response = client.post(url("order_new", plan), data)
    order = StudyOrder.objects.get()
    assert response.url == url("order", plan, order.pk) and order.created_by == manager
    assert order.status == "commandee" and list(order.actions.all()) == [action]
    deliverable = SimpleUploadedFile("etude.odt", b"PK\x03\x04odt", content_type="application/octet-stream")
    client.post(url("deliverable_upload", plan, order.pk), {"piece-file": deliverable})
    assert order.attachments.get().content_type == "application/vnd.oasis.opendocument.text"


def test_pages_have_bounded_queries(client, plan, manager, django_assert_max_num_queries):
    client.force_login(manager)
    meetings = [MeetingFactory(plan=plan, date=datetime.date(2010, m, 1)) for m in (1, 2)]
    for m in meetings:
        AgendaItemFactory(meeting=m).actions.set(Action.objects.all())
        DecisionFactory(meeting=m)
        StudyOrderFactory(plan=plan, meeting=m).actions.set(Action.objects.all())
    with django_assert_max_num_queries(15) as overview:
        client.get(url("overview", plan))
    with django_assert_max_num_queries(22) as detail:
        client.get(url("meeting", plan, meetings[0].pk))
    for month in range(3, 9):
        m = MeetingFactory(plan=plan, date=datetime.date(2010, month, 1))
        DecisionFactory(meeting=m)
        StudyOrderFactory(plan=plan).actions.set(Action.objects.all())
    for _ in range(5):
        DecisionFactory(meeting=meetings[0])
        AgendaItemFactory(meeting=meetings[0]).actions.set(Action.objects.all())
    with django_assert_max_num_queries(len(overview.captured_queries)):
        client.get(url("overview", plan))
    with django_assert_max_num_queries(len(detail.captured_queries)):
        client.get(url("meeting", plan, meetings[0].pk))


INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)


@pytest.mark.parametrize("name", ["overview", "meeting", "meeting_new", "order_new"])
def test_pages_respect_the_strict_csp(client, plan, meeting, manager, name):
    client.force_login(manager)
    target = url(name, plan, meeting.pk) if name == "meeting" else url(name, plan)
    response = client.get(target)
    assert response.status_code == 200
    assert not INLINE_HANDLER.search(response.text) and "style=" not in response.text
