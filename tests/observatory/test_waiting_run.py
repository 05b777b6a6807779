"""Changes of the data while a computation waits for the worker join it (runs.waiting_run):
a series of corrections is one computation of the plan, not one each. Transactional tests:
a change joins only once committed, as after a correction (transaction.on_commit)."""

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.observatory.test_engine import Q3, latest
from tests.territory.factories import CommuneFactory
from toit.observatory.enums import RunStatus
from toit.observatory.models import ComputationRun
from toit.observatory.runs import data_changed, execute_run, request_computation
from toit.territory.models import Commune

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    """The production backend: tasks wait in the database until a worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_changes_before_the_worker_starts_make_one_computation(plan, queue):
    (first,) = data_changed("Correction dans le dossier A", plan=plan)
    CommuneFactory(department=Commune.objects.first().department, epci=None)
    (second,) = data_changed("Correction dans le dossier B", department_codes=[plan.department_code])
    (third,) = data_changed("Correction dans le dossier C", plan=plan)
    assert first.pk == second.pk == third.pk
    assert third.joined_changes == 2 and third.reason == "Correction dans le dossier A"
    assert ComputationRun.objects.count() == DBTaskResult.objects.count() == 1
    # The one computation reads the data as they are when it starts: every change counted.
    run = execute_run(first.pk)
    assert run.status == RunStatus.DONE
    assert latest("4B-3", Q3, "departement", "72").value == 7


def test_a_task_the_worker_took_or_lost_is_not_waited_for(plan, queue):
    (taken,) = data_changed("Correction 1", plan=plan)
    # The worker took the task; the run is not marked started yet.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    (after_taken,) = data_changed("Correction 2", plan=plan)
    assert after_taken.pk != taken.pk and after_taken.joined_changes == 0
    # A task gone from the queue (a worker that died, a purge) leaves its run waiting forever.
    DBTaskResult.objects.filter(id=after_taken.task_id).delete()
    (after_lost,) = data_changed("Correction 3", plan=plan)
    assert after_lost.pk not in (taken.pk, after_taken.pk)
    assert ComputationRun.objects.filter(joined_changes__gt=0).count() == 0


def test_a_narrower_or_wider_request_is_not_joined(plan, queue, observatory_user):
    one_period = request_computation(plan, user=observatory_user, period_code="2010T3")
    everywhere = request_computation(plan, user=observatory_user, everywhere=True)
    (run,) = data_changed("Correction", plan=plan)
    assert run.pk not in (one_period.pk, everywhere.pk)
    # A request from the dashboard for the whole plan, still waiting, covers the change.
    (again,) = data_changed("Correction suivante", plan=plan)
    assert again.pk == run.pk


def test_the_dashboard_says_what_a_computation_covers(client, plan, observatory_user, queue):
    data_changed("Correction 1", plan=plan)
    data_changed("Correction 2", plan=plan)
    data_changed("Correction 3", plan=plan)
    client.force_login(observatory_user)
    response = client.get(f"/observatoire/{plan.code}/")
    assert "(et pour 2 autres changements des données survenus avant son début)" in response.content.decode()


def test_a_change_not_yet_committed_never_joins(plan, queue):
    """The waiting run could start before the change is committed, and miss it: the change
    gets its run, enqueued in its own transaction."""
    (waiting,) = data_changed("Correction 1", plan=plan)
    with transaction.atomic():
        (own,) = data_changed("Correction 2", plan=plan)
    assert own.pk != waiting.pk
    assert ComputationRun.objects.get(pk=waiting.pk).joined_changes == 0
    # Asked once committed, as a correction does: it joins the latest waiting run.
    joined = []
    with transaction.atomic():
        transaction.on_commit(lambda: joined.extend(data_changed("Correction 3", plan=plan)))
    assert [run.pk for run in joined] == [own.pk]
    assert ComputationRun.objects.get(pk=own.pk).joined_changes == 1
