"""Publishing a report runs in the background: the page answers at once and polls the
publication's progress; one publication of a report at a time; failures are told."""

import html

import pytest
from django.tasks import default_task_backend

from tests.observatory.test_reports import population_by_sql
from tests.observatory.test_views import Q3, url
from tests.pdf import numbers_in, pdf_text
from toit.observatory import engine, publishing
from toit.observatory.enums import ReportKind, RunStatus
from toit.observatory.models import PublicationRun, PublishedReport
from toit.observatory.reports.build import build_report

QUARTER = {"kind": "trimestriel", "period": "2010T3"}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path / "prive"
    return settings.TOIT_PRIVATE_MEDIA_ROOT


@pytest.fixture
def queued_only(settings):
    """Tasks are recorded, not run: what the request itself does, and nothing more."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    yield default_task_backend
    default_task_backend.clear()


def test_publish_enqueues_and_answers_at_once(
    client, plan, observatory_user, queued_only, django_assert_max_num_queries
):
    engine.compute(plan, periods=[Q3])
    client.force_login(observatory_user)
    # Session, user, plan and access, the check for a running publication, the run and its
    # task id: no figure is read and no report built in the request.
    with django_assert_max_num_queries(14) as captured:
        response = client.post(url("publish", plan), QUARTER)
    assert not any("indicatorsnapshot" in q["sql"].lower() for q in captured.captured_queries)
    run = PublicationRun.objects.get()
    assert response.status_code == 302 and response.url == url("publication", plan, run.pk)
    assert (run.status, run.requested_by, run.kind, run.period_code) == (
        RunStatus.QUEUED,
        observatory_user,
        ReportKind.QUARTERLY,
        "2010T3",
    )
    assert run.requested_at is not None and run.task_id == queued_only.results[0].id
    assert queued_only.results[0].args == [run.pk]
    assert not PublishedReport.objects.exists()

    page = client.get(url("publication", plan, run.pk))
    assert "En attente" in page.text and 'hx-trigger="every 2s"' in page.text

    # The worker runs it: the same report as publishing directly would make.
    run = publishing.execute_publication(run.pk)
    report = PublishedReport.objects.get()
    assert (run.status, run.report, run.new_version, run.percent) == (RunStatus.DONE, report, True, 100)
    assert report.published_by == observatory_user and report.version == 1 and report.verify()
    assert report.data_version == build_report(plan, ReportKind.QUARTERLY, Q3).data_version
    assert population_by_sql() in numbers_in(pdf_text(bytes(report.pdf)))
    assert run.started_at <= run.finished_at

    progress = client.get(url("publication_progress", plan, run.pk), headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"
    page = client.get(url("publication", plan, run.pk))
    assert "Publié : Suivi trimestriel 3e trimestre 2010 — version 1" in page.text
    assert url("download", plan, report.pk, "pdf") in page.text


def test_progress_is_polled_while_running(client, plan, observatory_user, queued_only, django_assert_max_num_queries):
    client.force_login(observatory_user)
    client.post(url("publish", plan), QUARTER)
    run = PublicationRun.objects.get()
    seen = []

    def watch(message):
        seen.append(message)
        if message == "Mise en page du PDF":
            # Halfway through, as the page's poll sees it.
            # Session, user, plan and access (4), the run: its lock is a file, not a query.
            with django_assert_max_num_queries(10):
                response = client.get(url("publication_progress", plan, run.pk), headers={"HX-Request": "true"})
            seen.append(response)

    original = publishing.publish_report

    def spying(*args, progress, **kwargs):
        def both(message):
            progress(message)
            watch(message)

        return original(*args, progress=both, **kwargs)

    publishing.publish_report, saved = spying, publishing.publish_report
    try:
        publishing.execute_publication(run.pk)
    finally:
        publishing.publish_report = saved
    response = next(r for r in seen if not isinstance(r, str))
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert "Mise en page du PDF : <strong>25 %</strong>" in response.text
    assert '<progress max="100" value="25">' in response.text and 'hx-trigger="every 2s"' in response.text


def test_second_publication_of_the_same_report_is_refused(client, plan, observatory_user, admin_user, queued_only):
    client.force_login(observatory_user)
    client.post(url("publish", plan), QUARTER)
    client.force_login(admin_user)
    response = client.post(url("publish", plan), QUARTER, follow=True)
    assert "est déjà en cours de publication" in response.text
    assert f"par {observatory_user}" in response.text
    assert PublicationRun.objects.count() == 1
    # Another period may be published meanwhile.
    client.post(url("publish", plan), {"kind": "annuel", "period": "2010"})
    assert PublicationRun.objects.count() == 2


def test_the_database_refuses_two_running_publications(plan, observatory_user):
    from django.db import IntegrityError, transaction

    PublicationRun.objects.create(plan=plan, kind=ReportKind.QUARTERLY, period_code="2010T3")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationRun.objects.create(plan=plan, kind=ReportKind.QUARTERLY, period_code="2010T3")


def test_immediate_publication_and_nothing_new(client, plan, observatory_user):
    """Tests run tasks at once: the redirect lands on the finished publication."""
    engine.compute(plan, periods=[Q3])
    client.force_login(observatory_user)
    response = client.post(url("publish", plan), QUARTER, follow=True)
    assert "Publié : Suivi trimestriel 3e trimestre 2010 — version 1" in response.text
    response = client.post(url("publish", plan), QUARTER, follow=True)
    assert "rien à publier" in response.text
    assert PublishedReport.objects.count() == 1
    assert list(PublicationRun.objects.values_list("status", "new_version")) == [
        (RunStatus.DONE, False),
        (RunStatus.DONE, True),
    ]
    reports = client.get(url("reports", plan))
    assert "Dernières publications demandées" in reports.text


def test_failing_publication_shows_its_error_and_can_be_run_again(
    client, plan, observatory_user, monkeypatch, settings
):
    def broken(*args, **kwargs):
        raise RuntimeError("police absente")

    monkeypatch.setattr(publishing, "publish_report", broken)
    client.force_login(observatory_user)
    response = client.post(url("publish", plan), QUARTER, follow=True)
    run = PublicationRun.objects.get()
    assert run.status == RunStatus.FAILED and run.finished_at
    assert "Échec : rien n'a été publié" in response.text
    assert "La publication a échoué (RuntimeError : police absente)" in html.unescape(response.text)
    assert "Relancer la publication" in response.text
    assert not PublishedReport.objects.exists()
    monkeypatch.undo()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client.post(url("publish", plan), QUARTER)  # a failed run does not block the next one
    assert PublicationRun.objects.filter(status=RunStatus.QUEUED).count() == 1


def test_a_version_published_meanwhile_fails_with_its_french_message(plan, observatory_user, monkeypatch):
    from toit.observatory.reports.publish import PublicationError

    def clash(*args, **kwargs):
        raise PublicationError("La version 1 vient d'être publiée par quelqu'un d'autre : relancez la publication.")

    monkeypatch.setattr(publishing, "publish_report", clash)
    run = publishing.request_publication(plan, ReportKind.QUARTERLY, Q3, user=observatory_user)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "vient d'être publiée" in run.error


def test_abandoned_run_is_marked_failed_and_unblocks(client, plan, observatory_user, queued_only):
    client.force_login(observatory_user)
    client.post(url("publish", plan), QUARTER)
    run = PublicationRun.objects.get()
    # A worker set it running, then died: nobody holds its lock.
    PublicationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    page = client.get(url("publication", plan, run.pk))
    assert "s'est arrêtée avant la fin" in html.unescape(page.text)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    client.post(url("publish", plan), QUARTER)
    assert PublicationRun.objects.count() == 2


def test_only_operators_see_publications(client, plan, observatory_user, agent, outsider, queued_only):
    client.force_login(observatory_user)
    client.post(url("publish", plan), QUARTER)
    run = PublicationRun.objects.get()
    for user in (agent, outsider):
        client.force_login(user)
        assert client.get(url("publication", plan, run.pk)).status_code == 404
        assert client.get(url("publication_progress", plan, run.pk)).status_code == 404
        assert client.post(url("publish", plan), QUARTER).status_code == 404
    assert PublicationRun.objects.count() == 1
