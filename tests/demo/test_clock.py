"""The demo clock (docs/demo.md): TOIT_DEMO_TODAY read strictly by the development
settings, refused by the production ones, the whole process living at that date with the
clock ticking, and the site saying so in a banner."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from config.env import env_date
from tests.eviction.factories import EventFactory, PreventionFileFactory, prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from toit.demo.clock import demo_instant, start_demo_clock, stop_demo_clock
from toit.eviction.enums import EventKind
from toit.eviction.procedure import refresh_procedure_state

ROOT = Path(__file__).resolve().parents[2]
D = datetime.date
DEMO_DAY = D(2012, 12, 31)


def run_python(code, **env):
    """A fresh interpreter (settings are read once per process), with `env` only."""
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", str(ROOT))}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("value", ["31/12/2012", "2012-13-01", "demain"])
def test_a_badly_written_date_is_refused_in_french(monkeypatch, value):
    monkeypatch.setenv("TOIT_DEMO_TODAY", value)
    with pytest.raises(ImproperlyConfigured, match=r"TOIT_DEMO_TODAY vaut .* attendu une date au format AAAA-MM-JJ"):
        env_date("TOIT_DEMO_TODAY", None)


def test_absent_or_empty_means_no_demo_clock(monkeypatch):
    monkeypatch.delenv("TOIT_DEMO_TODAY", raising=False)
    assert env_date("TOIT_DEMO_TODAY", None) is None
    monkeypatch.setenv("TOIT_DEMO_TODAY", " ")
    assert env_date("TOIT_DEMO_TODAY", None) is None
    monkeypatch.setenv("TOIT_DEMO_TODAY", "2012-12-31")
    assert env_date("TOIT_DEMO_TODAY", None) == DEMO_DAY


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "localhost",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_refuse_the_demo_clock():
    code = "import config.settings.base"
    assert run_python(code, **PRODUCTION_ENV).returncode == 0
    refused = run_python(code, **PRODUCTION_ENV, TOIT_DEMO_TODAY="2012-12-31")
    assert refused.returncode != 0
    assert "TOIT_DEMO_TODAY (horloge de démonstration) n'est permis qu'avec les réglages de développement" in (
        refused.stderr
    )


def test_the_development_settings_make_the_whole_process_live_at_the_demo_date():
    code = (
        "import datetime, os, time, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.utils import timezone\n"
        "first = timezone.now()\n"
        "time.sleep(0.05)\n"
        "print(timezone.localdate(), datetime.date.today(), settings.TOIT_DEMO_TODAY,"
        " os.environ.get('TOIT_DEMO_TODAY', '-'), timezone.now() > first)\n"
    )
    result = run_python(code, TOIT_DEMO_TODAY="2012-12-31")
    assert result.returncode == 0, result.stderr
    # Today is the demo's for Toit and the libraries alike, the variable passes on to the
    # processes this one starts, and the clock ticks.
    assert result.stdout.split() == ["2012-12-31", "2012-12-31", "2012-12-31", "2012-12-31", "True"]
    bad = run_python(code, TOIT_DEMO_TODAY="31/12/2012")
    assert bad.returncode != 0 and "attendu une date au format AAAA-MM-JJ" in bad.stderr
    without = run_python(code)
    assert without.returncode == 0, without.stderr
    assert without.stdout.split()[0] != "2012-12-31" and without.stdout.split()[2:4] == ["None", "-"]


def test_the_demo_keeps_the_time_of_day():
    now = datetime.datetime(2026, 12, 6, 14, 5, tzinfo=datetime.UTC)
    instant = demo_instant(DEMO_DAY, now)
    assert instant.date() == DEMO_DAY and (instant.hour, instant.minute) == (15, 5)  # Paris


def test_the_banner_says_the_demo_runs_at_a_simulated_date(client, settings):
    page = reverse("login")
    settings.TOIT_DEMO_TODAY = DEMO_DAY
    text = client.get(page, follow=True).text
    assert "Démonstration à date simulée" in text and "31 décembre 2012" in text
    settings.TOIT_DEMO_TODAY = None
    assert "Démonstration à date simulée" not in client.get(page, follow=True).text


def next_deadline(page):
    match = re.search(r"<dt>Prochaine échéance légale</dt><dd>([^<]*)</dd>", page)
    assert match, "la synthèse du dossier n'indique pas la prochaine échéance"
    return match.group(1)


def test_the_file_page_reads_its_deadlines_at_the_demo_date(client):
    organisation = OrganisationFactory(code="CAF72")
    prefecture()
    file = PreventionFileFactory(opened_by=organisation)
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2012, 11, 5), hearing_date=D(2013, 1, 14))
    refresh_procedure_state(file)
    client.force_login(member_of(organisation))
    url = reverse("eviction:file", args=[file.reference])

    assert next_deadline(client.get(url).text) == "aucune"  # the suite's date, years later
    start_demo_clock(DEMO_DAY)
    try:
        assert timezone.localdate() == DEMO_DAY
        assert next_deadline(client.get(url).text).startswith("14/01/2013")  # the hearing, to come
    finally:
        stop_demo_clock()
    assert timezone.localdate() != DEMO_DAY
