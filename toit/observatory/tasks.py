"""Background work (django.tasks): run by the `db_worker` of django-tasks-db in
production, immediately in tests."""

from django.tasks import task


@task()
def compute_indicators(run_id):
    from toit.observatory.runs import execute_run

    run = execute_run(run_id)
    return {"status": run.status, "snapshots": run.snapshot_count}


@task()
def publish(run_id):
    from toit.observatory.publishing import execute_publication

    run = execute_publication(run_id)
    return {"status": run.status, "report": run.report_id}
