"""Publishing a report in the background. A request records who asked for which report
(PublicationRun) and hands the work to a task; the task builds and freezes the report
(toit.observatory.reports.publish) and writes each step on the run, which the page polls.

While it works, the task holds an exclusive lock (flock) on a file under the private root:
the operating system releases it when the worker ends, however it ends. A run whose status
says it is running while nobody holds its lock was abandoned by a dead worker: `refresh`
marks it failed, so that the report can be published again. Web processes and workers must
share TOIT_PRIVATE_MEDIA_ROOT (as for imports, toit.imports.runs)."""

import contextlib
import fcntl
import os

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from toit.metrics.periods import Period
from toit.observatory.enums import ReportKind, RunStatus
from toit.observatory.models import PublicationRun
from toit.observatory.reports.publish import PublicationError, publish_report
from toit.utils.filelock import held_by_a_living_process

# The steps publish_report announces when it makes a new version: figures, PDF, XLSX, saving.
STEPS = 4

ABANDONED = (
    "La publication s'est arrêtée avant la fin (processus interrompu ou serveur redémarré). Rien n'a été "
    "publié : relancez-la."
)


class PublicationRequestError(ValueError):
    pass


def _lock_path(run_id):
    path = settings.TOIT_PRIVATE_MEDIA_ROOT / "observatoire" / "publications"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{run_id}.lock"


@contextlib.contextmanager
def _hold(run_id):
    fd = os.open(_lock_path(run_id), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise PublicationRequestError(f"La publication n° {run_id} est déjà en cours.") from None
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def is_held(run_id):
    """Whether a living process is working on the run."""
    return held_by_a_living_process(_lock_path(run_id))


def refresh(run):
    """The run as it really stands: one whose worker died is marked failed."""
    if run.status == RunStatus.RUNNING and not is_held(run.pk):
        PublicationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=ABANDONED, finished_at=timezone.now()
        )
        run.refresh_from_db()
    return run


def _busy_message(active):
    who = f" par {active.requested_by}" if active.requested_by else ""
    return (
        f"Ce rapport ({active.get_kind_display().lower()}, {active.period.label}) est déjà en cours de publication : "
        f"demandée{who} le {timezone.localtime(active.requested_at):%d/%m/%Y à %H:%M}. Attendez qu'elle se "
        "termine : la page de la publication montre sa progression."
    )


def request_publication(plan, kind, period, *, user):
    """Record the request of `user` to publish the report of `kind` for `period` (a
    Period or its code) and enqueue it. Refused while the same report is being published."""
    kind = ReportKind(kind)
    period = Period.parse(period) if isinstance(period, str) else period
    same = PublicationRun.objects.filter(
        plan=plan, kind=kind, period_code=period.code, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).select_related("requested_by")
    for active in same:
        if refresh(active).in_progress:
            raise PublicationRequestError(_busy_message(active))
    try:
        with transaction.atomic():
            run = PublicationRun.objects.create(
                plan=plan, kind=kind, period_code=period.code, requested_by=user, steps_total=STEPS
            )
    except IntegrityError:  # another request got in between
        active = same.first()
        raise PublicationRequestError(
            _busy_message(active) if active else "Ce rapport est déjà en cours de publication : attendez."
        ) from None
    from toit.observatory.tasks import publish

    result = publish.enqueue(run.pk)
    run.task_id = str(result.id)[:64]
    PublicationRun.objects.filter(pk=run.pk).update(task_id=run.task_id)
    return run


def execute_publication(run_id):
    """The task's work. A publication error (a version published meanwhile) ends the run
    failed with its message; any other error too, and is raised again for the worker's log."""
    run = PublicationRun.objects.select_related("plan", "requested_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    with _hold(run.pk):
        PublicationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.RUNNING, started_at=timezone.now(), steps_done=0, step="Démarrage"
        )
        done = 0

        def step(message):
            nonlocal done
            PublicationRun.objects.filter(pk=run.pk).update(step=message[:255], steps_done=min(done, STEPS))
            done += 1

        try:
            publication = publish_report(run.plan, run.kind, run.period_code, user=run.requested_by, progress=step)
        except PublicationError as exc:
            _fail(run, str(exc))
        except Exception as exc:
            _fail(
                run,
                f"La publication a échoué ({type(exc).__name__} : {exc}). Rien n'a été publié : relancez-la ; si "
                "l'échec se répète, signalez-le à l'administrateur de Toit.",
            )
            raise
        else:
            PublicationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                steps_done=STEPS,
                step="Terminé",
                report=publication.report,
                new_version=publication.created,
            )
    run.refresh_from_db()
    return run


def _fail(run, message):
    PublicationRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(), error=message)
