"""The production server's start (config/wsgi.py, config/gunicorn.py): work done once before
the workers fork rather than on each worker's first request."""

import gc
import os
import runpy
import secrets
import subprocess
import sys

from tests.test_deploy_checks import ROOT


def _production_env(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TOIT_", "DATABASE_URL"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="toit.exemple.gouv.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    return environment


def test_loading_the_application_imports_every_view(tmp_path):
    # Under preload_app, gunicorn loads config.wsgi in the server process: the views (and the
    # libraries of the report and linkage views) must be imported then, not on the first
    # request of each worker (3.9 s measured).
    code = "import sys, config.wsgi; print(all(m in sys.modules for m in sys.argv[1:]))"
    views = ["toit.www.observatory.views", "toit.www.priority_access.cross_matching", "toit.api.schema"]
    result = subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", code, *views],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_objects_loaded_before_the_fork_are_frozen():
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert config["preload_app"] is True
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
