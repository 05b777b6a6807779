"""The observatory completes its study orders and the committees their decisions: a
deliverable is uploaded, the order moves commandée → en cours → livrée → acceptée with its
dates, overdue decisions are flagged « en retard », and every change keeps its history and
its reason. Today is pinned by the suite's clock (6 December 2026, tests/clock.py)."""

import datetime
import html
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.steering.factories import DecisionFactory, MeetingFactory, StudyOrderFactory
from toit.organisations.models import Organisation
from toit.steering.enums import DecisionStatus, OrderStatus
from toit.steering.models import Attachment, StudyOrder

PDF = b"%PDF-1.4\n% livrable\n"
TODAY = datetime.date(2026, 12, 6)


def url(name, plan, *args):
    return reverse(f"steering:{name}", args=[plan.code, *args])


def text(response):
    return html.unescape(response.text)


def order_for(plan, **kwargs):
    defaults = {"requested_by": Organisation.objects.get(code="CAF72"), "ordered_on": datetime.date(2026, 9, 1)}
    return StudyOrderFactory(plan=plan, **{**defaults, **kwargs})


def step(client, plan, order, status, on, reason=""):
    return client.post(
        url("order_step", plan, order.pk), {"etape-status": status, "etape-on": on, "etape-reason": reason}
    )


def test_order_moves_through_its_steps_with_dates_and_history(client, plan, manager):
    order = order_for(plan, due_date=datetime.date(2026, 12, 31))
    client.force_login(manager)
    # Not the next step: refused, with the way back said.
    response = step(client, plan, order, "livree", "2026-10-01")
    assert response.status_code == 422
    assert step(client, plan, order, "en_cours", "2027-01-01").status_code == 422  # in the future
    response = step(client, plan, order, "en_cours", "2026-08-01")  # before the order
    assert response.status_code == 422 and "précède" in text(response)
    assert step(client, plan, order, "en_cours", "2026-09-15").status_code == 302
    # Delivered needs its deliverable.
    response = step(client, plan, order, "livree", "2026-11-02")
    assert response.status_code == 422 and "Déposez d'abord le livrable" in text(response)
    deliverable = SimpleUploadedFile("étude rurale.pdf", PDF, content_type="application/pdf")
    assert client.post(url("deliverable_upload", plan, order.pk), {"piece-file": deliverable}).status_code == 302
    assert step(client, plan, order, "livree", "2026-11-02").status_code == 302
    assert step(client, plan, order, "acceptee", "2026-11-20").status_code == 302
    order.refresh_from_db()
    assert (order.status, order.started_on, order.delivered_on, order.accepted_on) == (
        OrderStatus.ACCEPTED,
        datetime.date(2026, 9, 15),
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 20),
    )
    history = list(order.history.order_by("history_date").values_list("status", "history_user"))
    assert history == [
        ("commandee", None),
        ("en_cours", manager.pk),
        ("livree", manager.pk),
        ("acceptee", manager.pk),
    ]
    page = client.get(url("order", plan, order.pk))
    assert "Acceptée : 20/11/2026" in text(page) and "Faire avancer" not in page.text
    assert "étude rurale.pdf" in text(page)


def test_abandon_needs_a_reason(client, plan, manager):
    order = order_for(plan)
    client.force_login(manager)
    page = client.get(url("order", plan, order.pk))
    assert page.text.count("Faire avancer la commande") == 1  # in the page's body only
    assert f"<title>{order.title}" in page.text
    response = step(client, plan, order, "abandonnee", "2026-10-01")
    assert response.status_code == 422 and "Indiquez le motif de l'abandon" in text(response)
    assert step(client, plan, order, "abandonnee", "2026-10-01", "Question reprise par l'ANIL").status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.ABANDONED
    assert order.history.latest("history_date").history_change_reason == "Question reprise par l'ANIL"


def test_correction_of_an_order_needs_a_reason_and_consistent_dates(client, plan, manager):
    order = order_for(plan, status=OrderStatus.IN_PROGRESS, started_on=datetime.date(2026, 9, 10))
    client.force_login(manager)
    data = {
        "title": order.title,
        "question": order.question,
        "requested_by": order.requested_by.pk,
        "ordered_on": "2026-09-01",
        "status": "en_cours",
        "started_on": "2026-09-20",
        "reason": "",
    }
    response = client.post(url("order_edit", plan, order.pk), data)
    assert response.status_code == 422
    data["reason"] = "Date de démarrage erronée"
    data["delivered_on"] = "2026-10-01"  # a date for a step not reached
    response = client.post(url("order_edit", plan, order.pk), data)
    assert response.status_code == 422 and "effacez la date « livrée le »" in text(response)
    del data["delivered_on"]
    assert client.post(url("order_edit", plan, order.pk), data).status_code == 302
    order.refresh_from_db()
    assert order.started_on == datetime.date(2026, 9, 20)
    latest = order.history.latest("history_date")
    assert latest.history_change_reason == "Date de démarrage erronée" and latest.history_user == manager
    assert latest.prev_record.started_on == datetime.date(2026, 9, 10)  # both versions kept
    page = client.get(url("order", plan, order.pk))
    assert "motif : Date de démarrage erronée" in text(page)


def test_overdue_decisions_and_orders_are_flagged(client, plan, agent, django_assert_max_num_queries):
    meeting = MeetingFactory(plan=plan, date=datetime.date(2026, 6, 1))
    DecisionFactory(meeting=meeting, text="Relancer les bailleurs", due_date=datetime.date(2026, 12, 5))
    DecisionFactory(meeting=meeting, text="Écrire la charte", due_date=TODAY)  # due today: not late
    DecisionFactory(
        meeting=meeting, text="Décision faite", due_date=datetime.date(2026, 7, 1), status=DecisionStatus.DONE
    )
    order_for(plan, title="Étude en retard", due_date=datetime.date(2026, 11, 30))
    client.force_login(agent)
    overview = client.get(url("overview", plan))
    assert "1 décision en retard" in text(overview)
    assert overview.text.count("En retard") == 2  # the late decision and the late order
    with django_assert_max_num_queries(24):
        detail = client.get(url("meeting", plan, meeting.pk))
    rows = {row.split("</td>")[0]: row for row in detail.text.split('<td class="toit-prewrap">')[1:]}
    assert "En retard" in rows["Relancer les bailleurs"]
    assert "En retard" not in rows["Écrire la charte"] and "En retard" not in rows["Décision faite"]


def test_postponing_a_decision_needs_a_reason_kept_in_its_history(client, plan, manager):
    meeting = MeetingFactory(plan=plan, date=datetime.date(2026, 6, 1))
    decision = DecisionFactory(meeting=meeting, due_date=datetime.date(2026, 9, 1))
    client.force_login(manager)
    target = url("decision_follow_up", plan, decision.pk)
    prefix = f"suivi-{decision.pk}"
    response = client.post(target, {f"{prefix}-status": "en_cours", f"{prefix}-due_date": "2027-01-15"}, follow=True)
    assert "Indiquez le motif du report" in text(response)
    decision.refresh_from_db()
    assert decision.due_date == datetime.date(2026, 9, 1)
    client.post(
        target,
        {f"{prefix}-status": "en_cours", f"{prefix}-due_date": "2027-01-15", f"{prefix}-reason": "Attente du bilan"},
    )
    decision.refresh_from_db()
    assert decision.due_date == datetime.date(2027, 1, 15)
    latest = decision.history.latest("history_date")
    assert (latest.history_change_reason, latest.history_user) == ("Attente du bilan", manager)
    # Marking it done needs no reason.
    client.post(target, {f"{prefix}-status": "fait", f"{prefix}-due_date": "2027-01-15"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE
    page = client.get(url("meeting", plan, meeting.pk))
    assert "motif : Attente du bilan" in text(page)


def test_deliverable_upload_attacks_are_refused(client, plan, manager, private_media, settings):
    order = order_for(plan)
    client.force_login(manager)
    target = url("deliverable_upload", plan, order.pk)
    # A script named as a PDF, an executable, an HTML page: refused on name or content.
    for name, content in (
        ("livrable.pdf", b"<script>alert(1)</script>"),
        ("livrable.exe", b"MZ\x90\x00"),
        ("livrable.html", b"<html>"),
        ("livrable.pdf.php", PDF),
    ):
        response = client.post(target, {"piece-file": SimpleUploadedFile(name, content)})
        assert response.status_code == 422, name
    # Too large.
    settings.TOIT_ATTACHMENT_MAX_BYTES = 1024
    response = client.post(target, {"piece-file": SimpleUploadedFile("gros.pdf", PDF + b"0" * 2048)})
    assert response.status_code == 422 and "la limite est de" in text(response)
    assert not Attachment.objects.exists()
    settings.TOIT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    # A path in the name: stored under a random name inside the private root, the name
    # kept without its path.
    response = client.post(target, {"piece-file": SimpleUploadedFile("../../../etc/passwd.pdf", PDF)})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(private_media).resolve()) and "passwd" not in path.name
    assert attachment.original_name == "passwd.pdf"
    assert not (Path(private_media).parent / "etc").exists()


def test_outsiders_get_404_and_members_cannot_write(client, plan, agent, outsider, private_media):
    order = order_for(plan)
    deliverable = {"piece-file": SimpleUploadedFile("livrable.pdf", PDF)}
    client.force_login(outsider)
    assert client.get(url("order", plan, order.pk)).status_code == 404
    assert client.post(url("deliverable_upload", plan, order.pk), deliverable).status_code == 404
    assert step(client, plan, order, "en_cours", "2026-10-01").status_code == 404
    client.force_login(agent)  # a partner of the plan reads, does not write
    assert client.get(url("order", plan, order.pk)).status_code == 200
    assert step(client, plan, order, "en_cours", "2026-10-01").status_code == 404
    deliverable = {"piece-file": SimpleUploadedFile("livrable.pdf", PDF)}
    assert client.post(url("deliverable_upload", plan, order.pk), deliverable).status_code == 404
    assert not Attachment.objects.exists()
    assert StudyOrder.objects.get().status == OrderStatus.ORDERED
