"""Requesting and running indicator computations. A request records who asked for what
(ComputationRun) and hands the work to a background task."""

from django.db import connection, transaction
from django.db.models import F
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from toit.metrics.periods import PeriodError
from toit.metrics.registry import MetricError
from toit.observatory import engine
from toit.observatory.enums import RunStatus
from toit.observatory.models import ComputationRun
from toit.plans.models import Plan


class ComputationRequestError(ValueError):
    pass


def request_computation(plan, *, user, period_code="", everywhere=False, reason=""):
    """Record the request and enqueue it. `user` is the person asking (None for imports and
    commands run by the system)."""
    period_code = (period_code or "").strip()
    if period_code:
        try:
            period_code = engine.parse_period(plan, period_code).code
        except (PeriodError, MetricError) as exc:
            raise ComputationRequestError(str(exc)) from None
    run = ComputationRun.objects.create(
        plan=plan,
        period_code=period_code,
        all_territories=everywhere,
        requested_by=user,
        reason=reason[:255],
    )
    from toit.observatory.tasks import compute_indicators

    result = compute_indicators.enqueue(run.pk)
    ComputationRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def data_changed(reason, *, user=None, plan=None, department_codes=None):
    """For importers and corrections: call after changing data that metrics read, so the
    observatory's figures follow. Recomputes `plan`, or every plan of `department_codes`
    (successive plans of a département read the same files over their own periods); never
    a plan picked by default. Returns the runs requested, or joined (waiting_run)."""
    if plan is not None:
        plans = [plan]
    elif department_codes is None:
        raise ValueError("data_changed needs a plan or the départements whose data changed")
    else:
        plans = Plan.objects.filter(department_code__in=list(department_codes)).order_by("first_year", "code")
    return [waiting_run(p) or request_computation(p, user=user, reason=reason) for p in plans]


def waiting_run(plan):
    """The plan's computation after a change that the worker has not started yet, counted
    once more, or None. It will read the data as they are when it starts, this change
    included: a series of corrections is one computation, not one each (each reads every
    indicator of the plan). Only while its task is still waiting in the queue: a task
    already taken, or lost (a worker that died), is not waited for."""
    if connection.in_atomic_block:
        # The change is not committed yet: the waiting run could start, and read the data,
        # before it is. A run of its own is enqueued in the same transaction, and seen by
        # the worker only once the change is.
        return None
    run = (
        ComputationRun.objects.filter(plan=plan, status=RunStatus.QUEUED, period_code="", all_territories=False)
        .exclude(task_id="")
        .order_by("-pk")
        .first()
    )
    if run is None:
        return None
    from toit.observatory.tasks import compute_indicators

    try:
        waiting = compute_indicators.get_result(run.task_id).status == TaskResultStatus.READY
    except (NotImplementedError, TaskResultDoesNotExist):
        waiting = False  # a backend that cannot tell: compute again rather than miss a change
    if not waiting:
        return None
    ComputationRun.objects.filter(pk=run.pk).update(joined_changes=F("joined_changes") + 1)
    run.refresh_from_db()
    return run


def execute_run(run_id, progress=None):
    run = ComputationRun.objects.select_related("plan").get(pk=run_id)
    ComputationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    try:
        periods = [engine.parse_period(run.plan, run.period_code)] if run.period_code else None
        with transaction.atomic():
            result = engine.compute(
                run.plan, periods=periods, everywhere=run.all_territories, run=run, progress=progress
            )
    except Exception as exc:
        ComputationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), errors=f"{type(exc).__name__} : {exc}"
        )
        raise
    ComputationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        snapshot_count=result.count,
        errors="\n".join(result.errors),
    )
    run.refresh_from_db()
    return run
