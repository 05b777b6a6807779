"""A REAL worker (`manage.py db_worker`, django-tasks-db) killed with SIGKILL in the middle
of an import leaves nothing written; the job is then seen as failed and runs again to
completion.

The worker runs in a subprocess against this test's database: the PostgreSQL test database
itself, or, on SQLite, a file copy of the in-memory test database (the test then reads the
file). The test is transactional so that what it prepares is committed and visible to the
worker. tests/imports/worker_settings.py makes the worker pause between batches, so that
the kill lands while it holds the import's transaction."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, upload
from toit.imports import jobs, runs
from toit.imports.enums import Decision, JobStatus

ROOT = Path(__file__).resolve().parents[2]
ROWS = 40
BATCH = 5

pytestmark = pytest.mark.django_db(transaction=True)


class Database:
    """The database the worker sees, and raw counts read from it."""

    def __init__(self, tmp_path):
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            self.sqlite = None
            user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
            password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
            self.url = f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
        else:
            self.sqlite = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.sqlite}"

    def hand_over(self):
        """Make what the test wrote visible to the worker."""
        if self.sqlite is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite)
            connection.connection.backup(target)
            target.close()

    def value(self, sql, params=()):
        if self.sqlite is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()[0]
        with closing(sqlite3.connect(self.sqlite)) as reader:
            return reader.execute(sql, params).fetchone()[0]

    def holds_a_write_transaction(self):
        """The worker has written inside a transaction not yet committed."""
        if self.sqlite is not None:
            return Path(f"{self.sqlite}-journal").exists()
        return bool(
            self.value(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        )


def worker_env(database, private_root, pause):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.imports.worker_settings",
        DATABASE_URL=database.url,
        TOIT_PRIVATE_MEDIA_ROOT=str(private_root),
        TOIT_IMPORT_TEST_PAUSE=str(pause),
        TOIT_IMPORT_BATCH_ROWS=str(BATCH),
        PYTHONPATH=str(ROOT),
    )
    return env


def start_worker(env, log):
    """A db_worker that runs the queued tasks then exits; its output goes to `log`."""
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"]
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603


def wait_for(condition, timeout, what, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"délai dépassé : {what}\n{log.read_text(errors='replace')}")


def in_subprocess(env, code):
    """Run Django code against the worker's database; returns its last printed line."""
    script = f"import django, json\ndjango.setup()\n{code}"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_kill_9_mid_import_writes_nothing_and_the_job_runs_again(world, settings, tmp_path, private_root):
    user = world.users["CAF72"]
    rows = [caf_row(f"A{i}", last=f"NOM{i}") for i in range(ROWS)]
    job = upload(user, world.caf, "impayes_caf_msa", csv_bytes([CAF_HEADER, *rows]))
    assert job.valid_rows == ROWS
    jobs.record_decision(job, user, Decision.ALL_OR_NOTHING)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    jobs.enqueue_import(job)
    database = Database(tmp_path)
    database.hand_over()
    env = worker_env(database, private_root, pause=1.0)

    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        wait_for(
            lambda: (
                (runs.read_progress(job.pk) or {}).get("phase") == "import"
                and runs.read_progress(job.pk)["done"] >= BATCH
                and database.holds_a_write_transaction()
            ),
            60,
            "le worker importe et tient sa transaction",
            log,
        )
        assert worker.poll() is None
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    # Nothing of the file is written; the job still says « import » until someone looks.
    assert database.value("SELECT count(*) FROM eviction_report") == 0
    assert database.value("SELECT count(*) FROM eviction_event") == 0
    assert database.value("SELECT count(*) FROM imports_importedrow") == 0
    assert database.value("SELECT status FROM imports_importjob WHERE id = ?", (job.pk,)) == JobStatus.IMPORTING
    assert database.value("SELECT count(*) FROM imports_stagedrow WHERE job_id = ?", (job.pk,)) == ROWS
    assert not runs.is_held(job.pk)

    # Looking at it marks it failed; it is run again, by a new worker, to completion.
    seen = in_subprocess(
        env,
        f"""from toit.imports import jobs
from toit.imports.models import ImportJob
job = jobs.refresh(ImportJob.objects.get(pk={job.pk}))
failure = job.failure
job, phase = jobs.prepare_rerun(job, job.user)
jobs.enqueue_import(job)
print(json.dumps([failure, phase]))""",
    )
    failure, phase = json.loads(seen)
    assert "processus interrompu" in failure and phase == "import"
    env["TOIT_IMPORT_TEST_PAUSE"] = "0"
    worker = start_worker(env, log)
    assert worker.wait(timeout=120) == 0, log.read_text(errors="replace")
    assert database.value("SELECT status FROM imports_importjob WHERE id = ?", (job.pk,)) == JobStatus.DONE
    assert database.value("SELECT imported_rows FROM imports_importjob WHERE id = ?", (job.pk,)) == ROWS
    assert database.value("SELECT count(*) FROM eviction_report") == ROWS
    assert database.value("SELECT count(*) FROM imports_importedrow") == ROWS
    assert database.value("SELECT count(*) FROM imports_stagedrow WHERE job_id = ?", (job.pk,)) == 0
