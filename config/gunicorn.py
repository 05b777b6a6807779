"""Gunicorn configuration: `gunicorn -c config/gunicorn.py config.wsgi` (make serve,
scripts/serve-demo, docs/deployment.md). Every value can be overridden from the environment.

Workers are processes (sync): the pages are CPU-bound Python plus PostgreSQL round trips, so
2 × cores + 1 keeps the cores busy while some workers wait on the database. The web tier is
stateless: sessions, cache and tasks live in the database and uploads under the shared
TOIT_PRIVATE_MEDIA_ROOT, so several servers can sit behind one proxy.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("TOIT_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("TOIT_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A page that takes longer is a bug to fix, not a wait to allow; reports are built by the
# task worker, not in a request.
timeout = int(os.environ.get("TOIT_WORKER_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered, so that a slow leak never takes the service down.
max_requests = 2000
max_requests_jitter = 200
# The proxy is on the same machine or network and sets X-Forwarded-For / -Proto.
forwarded_allow_ips = os.environ.get("TOIT_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log without personal data: method, path WITHOUT its query string (a search sends
# names in ?q=), status, size, duration in µs. No client address, referrer or user agent:
# the proxy's own log keeps addresses under its retention; who read which file is in
# Toit's access log (toit.audit), not here.
accesslog = os.environ.get("TOIT_ACCESS_LOG", "-")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'
errorlog = "-"
loglevel = os.environ.get("TOIT_GUNICORN_LOG_LEVEL", "info")
proc_name = "toit"
# Django and the static file index are loaded once, before the workers fork: workers start
# at once and share that memory.
preload_app = True
# No control socket: its default path is per user, so two servers on one machine (the load
# test, a blue/green switch) would fight over it; systemd or the proxy manages the processes.
control_socket_disable = True


def pre_fork(server, worker):
    """Before each fork, the objects loaded so far (Django, every view, the libraries: see
    config/wsgi.py) are frozen out of the garbage collector (Python's gc.freeze documentation):
    they are never garbage, the workers' collections no longer walk them (a full collection
    took 150 ms a hundred requests or so, bench/eviction.py) nor write to their pages, which
    stay shared between the workers instead of being copied into each."""
    gc.freeze()
