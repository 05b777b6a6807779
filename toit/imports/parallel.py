"""Checking the batches of a large file in several processes (issue 17): the check is
Python, one core per process, and each batch is checked on its own (toit.imports.checking:
nothing in it needs another batch or the database). The process that reads the file
hands batches out and gets their results back in file order, so the staged rows, the error
report and the counts are those of a check in one process.

The workers are forked once the reference data the cells are read against (communes,
landlords) is loaded: they never touch the database, whose connection they share with the
process that forked them; any attempt fails loudly. Only sinks that say their staging
needs nothing else (Sink.parallel_check) and files past TOIT_IMPORT_PARALLEL_MIN_BYTES are
checked this way: forking costs more than it saves on a small file."""

import multiprocessing
import os
from collections import deque

from django.conf import settings
from django.db import connections

_checker = None


def processes_for(job, sink):
    """How many processes check `job`'s file: TOIT_IMPORT_CHECK_PROCESSES (0: one per core),
    or 1. One by default: on the 2 shared cores it was measured on, where the database and
    the process reading the file already take the second core, two processes checked
    200 000 rows in 6.3 s against 4.0 s for one (docs/imports.md)."""
    wanted = int(getattr(settings, "TOIT_IMPORT_CHECK_PROCESSES", 1))
    if wanted == 0:
        wanted = os.cpu_count() or 1
    if wanted < 2 or not sink.parallel_check:
        return 1
    if job.file.size < int(getattr(settings, "TOIT_IMPORT_PARALLEL_MIN_BYTES", 10_000_000)):
        return 1
    return wanted


def _no_database(*args, **kwargs):
    raise RuntimeError("Un processus de contrôle des lignes n'utilise pas la base : ses données sont chargées avant")


def _start_worker():
    # The connections are the parent's, socket included: neither used nor closed here.
    for connection in connections.all(initialized_only=True):
        connection.cursor = connection.chunked_cursor = _no_database


def _check(batch):
    return _checker.check_batch(batch)


def checked_batches(checker, batches, processes):
    """(staged, rejected) of each batch, in order: checker.check_batch, in `processes`
    processes when more than one, with at most two batches per process in flight (the
    memory stays bounded whatever the size of the file)."""
    global _checker
    if processes < 2:
        for batch in batches:
            yield checker.check_batch(batch)
        return
    checker.ctx.lookups.preload()
    _checker = checker
    try:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_start_worker) as pool:
            pending = deque()
            for batch in batches:
                pending.append(pool.apply_async(_check, (batch,)))
                if len(pending) >= 2 * processes:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _checker = None
