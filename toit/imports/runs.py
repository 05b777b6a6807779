"""A worker's hold on a job while it checks or imports it, and the job's live progress.

The hold is an exclusive lock (flock) on a file under the private root: the operating
system releases it when the process ends, however it ends, kill -9 included. A job whose
status says a worker runs it while nobody holds its lock was abandoned by a dead worker
(toit.imports.jobs.refresh marks it failed). The lock also keeps two workers off one job.

Progress is written next to the lock, not in the database: the import runs in one long
transaction, whose writes nobody else sees before the end. Web processes and workers
must share TOIT_PRIVATE_MEDIA_ROOT on a file system with working locks (local or NFSv4).
"""

import contextlib
import fcntl
import json
import os
import time

from django.conf import settings

from toit.imports.storage import imports_root
from toit.utils.filelock import held_by_a_living_process

PROGRESS_INTERVAL = 0.5  # seconds between two writes of the progress file


class JobBusy(Exception):
    pass


def _run_dir():
    path = imports_root() / "runs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _lock_path(job_id):
    return _run_dir() / f"{job_id}.lock"


def _progress_path(job_id):
    return _run_dir() / f"{job_id}.json"


def pause():
    """Test hook: settings.TOIT_IMPORT_TEST_PAUSE seconds between batches, so that a test
    can kill a worker while it holds the import's transaction. 0 (no pause) by default."""
    seconds = float(getattr(settings, "TOIT_IMPORT_TEST_PAUSE", 0) or 0)
    if seconds:
        time.sleep(seconds)


class Run:
    """`with Run(job_id, phase) as run:` holds the job; run.progress(done, total) reports."""

    def __init__(self, job_id, phase, callback=None):
        self.job_id = job_id
        self.phase = phase
        self.callback = callback
        self._fd = None
        self._last = 0.0
        self._state = (0, 0)

    def __enter__(self):
        fd = os.open(_lock_path(self.job_id), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise JobBusy(f"L'import n° {self.job_id} est déjà en cours de traitement.") from None
        self._fd = fd
        self.progress(0, 0, force=True)
        return self

    def progress(self, done, total, *, phase=None, force=False):
        if phase:
            self.phase = phase
        self._state = (done, total)
        if self.callback:
            self.callback(self.phase, done, total)
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        path = _progress_path(self.job_id)
        temporary = path.with_suffix(".tmp")
        state = {"phase": self.phase, "done": done, "total": total, "pid": os.getpid(), "at": time.time()}
        temporary.write_text(json.dumps(state))
        temporary.replace(path)

    def pause(self):
        """The test hook's pause, after writing the latest progress (the test watches it)."""
        if float(getattr(settings, "TOIT_IMPORT_TEST_PAUSE", 0) or 0):
            self.progress(*self._state, force=True)
        pause()

    def __exit__(self, *exc):
        with contextlib.suppress(FileNotFoundError):
            _progress_path(self.job_id).unlink()
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
        return False


def is_held(job_id):
    """Whether a living process holds the job."""
    return held_by_a_living_process(_lock_path(job_id))


def read_progress(job_id):
    """{"phase", "done", "total", …} of a running job, or None."""
    try:
        return json.loads(_progress_path(job_id).read_text())
    except (FileNotFoundError, ValueError):
        return None
