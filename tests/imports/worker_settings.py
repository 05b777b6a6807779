"""Settings of the real `db_worker` that tests/imports/test_worker_kill.py starts and kills:
the test settings with the database task backend, the test's database (DATABASE_URL) and
private root, and the pause between batches that gives the test time to kill it."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TOIT_PRIVATE_MEDIA_ROOT = Path(os.environ["TOIT_PRIVATE_MEDIA_ROOT"])
TOIT_IMPORT_TEST_PAUSE = float(os.environ.get("TOIT_IMPORT_TEST_PAUSE", "0"))
TOIT_IMPORT_BATCH_ROWS = int(os.environ.get("TOIT_IMPORT_BATCH_ROWS", "5000"))

# The worker shares the suite's pinned clock (tests/clock.py), so the jobs it dates agree
# with the test that reads them.
from tests import clock  # noqa: E402

clock.start()
