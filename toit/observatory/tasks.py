"""Background work (django.tasks): run by the `db_worker` of django-tasks-db in
production, immediately in tests."""

from django.tasks import task


@task()
def compute_indicators(run_id):
    from toit.observatory.runs import execute_run

    run = execute_run(run_id)
    return {"status": run.status, "snapshots": run.snapshot_count}
