"""Work that a process claims with an exclusive flock on a file: imports and report
publications. The kernel drops the lock when the process dies, so a lock that can be taken
tells that the worker holding the work is gone (its database row still says « running »)."""

import fcntl
import os


def held_by_a_living_process(path):
    """Whether a living process holds the lock file at `path` (False if there is none)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
