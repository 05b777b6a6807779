"""Background work (django.tasks): run by the `db_worker` of django-tasks-db in production,
immediately in tests."""

from django.tasks import task


@task()
def validate_import(job_id):
    from toit.imports.runner import run_validation

    return run_validation(job_id).status


@task()
def import_rows(job_id):
    from toit.imports.runner import run_import

    return run_import(job_id).status
