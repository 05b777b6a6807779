from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from toit.demo.accounts import DEMO_ACCOUNTS
from toit.eviction.models import Household, PreventionFile
from toit.organisations.models import Membership
from toit.plans.loader import load_file
from toit.plans.models import Measurement
from toit.territory.cog import load_file as load_territory_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sarthe():
    load_territory_file(ROOT / "data" / "territory" / "cog-72.json")
    return load_file(ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml").plan


def test_demo_builds_accounts_measurements_and_files_once(sarthe, capsys):
    call_command("toit_demo", "--scale", "0.05")
    out = capsys.readouterr().out
    assert "demo-toit-sarthe" in out
    assert Membership.objects.filter(user__username__in=[a[0] for a in DEMO_ACCOUNTS]).count() == len(DEMO_ACCOUNTS)
    measurements = Measurement.objects.count()
    assert measurements > 0
    assert not Measurement.objects.filter(is_synthetic=False).exists()
    files = PreventionFile.objects.count()
    assert files > 0
    assert not Household.objects.filter(is_synthetic=False).exists()

    call_command("toit_demo", "--scale", "0.05")
    assert "existent déjà" in capsys.readouterr().out
    assert Measurement.objects.count() == measurements
    assert PreventionFile.objects.count() == files


def test_demo_refused_outside_demo_settings(sarthe, settings):
    settings.TOIT_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="interdites avec ces réglages"):
        call_command("toit_demo")
    assert not Measurement.objects.exists()


def test_demo_needs_the_plan():
    with pytest.raises(CommandError, match="n'est pas chargé"):
        call_command("toit_demo")


def test_demo_shows_dwellings_computes_the_2a_2c_indicators_and_reports_agree(sarthe, capsys):
    from toit.dwellings.models import Case, Dwelling
    from toit.observatory.models import IndicatorSnapshot

    call_command("toit_demo", "--scale", "0.05")
    assert "Registre des logements de démonstration" in capsys.readouterr().out
    assert Dwelling.objects.filter(is_synthetic=True).exists() and Case.objects.exists()
    codes = ["2A-1", "2B-1", "2B-2", "2B-3", "2B-4", "2B-5", "2B-6", "2B-7", "2B-8", "2B-9", "2B-10", "2C-1"]
    computed = IndicatorSnapshot.objects.filter(indicator__code__in=codes, territory_kind="departement")
    assert set(computed.values_list("indicator__code", flat=True)) == set(codes)
    assert computed.filter(indicator__code="2B-4", value__gt=0).exists()
    assert_the_demo_reports_show_the_figures_of_their_indicators(sarthe)


def assert_the_demo_reports_show_the_figures_of_their_indicators(plan):
    """The demo's reports show one truth (issue 15): every figure of the quarterly and annual
    reports is the indicator its line names, « s » where the open data say « s », and no « dont »
    line exceeds its total (tests/observatory/consistency.py). Checked on the demo built by the
    test above rather than on a demo of its own: building one takes minutes."""
    from django.conf import settings

    from tests.observatory.consistency import problems
    from toit.metrics.periods import Period
    from toit.observatory.enums import ReportKind
    from toit.observatory.reports.build import build_report

    limit = settings.TOIT_DISCLOSURE_THRESHOLD
    for kind, period in ((ReportKind.QUARTERLY, "2010T3"), (ReportKind.ANNUAL, "2010"), (ReportKind.ANNUAL, "2012")):
        report = build_report(plan, kind, Period.parse(period), limit=limit)
        assert problems(report, limit) == [], f"{kind} {period}"


def test_every_demo_account_lands_on_work_at_a_date_inside_the_plan(sarthe, client):
    """Each role opens on something to do (issue 15): a nominative account on visible files
    and non-empty queues, the State's housing service (DDE) included; the observatory on
    computed indicators. Built and read at a date of the plan's last year, as the demo runs."""
    import datetime
    import zoneinfo

    import time_machine

    from toit.eviction.enums import ParticipantReason
    from toit.eviction.models import FileParticipant
    from toit.observatory.models import IndicatorSnapshot
    from toit.organisations.enums import NOMINATIVE_ROLES
    from toit.users.models import User

    # The date `make demo` lives at (DEMO_TODAY in the Makefile, docs/demo.md).
    with time_machine.travel(datetime.datetime(2012, 12, 31, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), tick=True):
        call_command("toit_demo", "--scale", "0.05")
        # The préfecture shares the files whose concours it must decide with the DDE.
        assert FileParticipant.objects.filter(organisation__code="DDE72", reason=ParticipantReason.SHARING).exists()
        for username, _first, _last, code, role, _staff in DEMO_ACCOUNTS:
            client.force_login(User.objects.get(username=username))
            response = client.get("/", follow=True)
            assert response.status_code == 200, username
            if role in NOMINATIVE_ROLES:
                queues = {label: count for label, _slug, count in response.context["queues"]}
                assert response.context["recent"], f"{username} ({code}) : aucun dossier récent"
                assert sum(queues.values()) > 0, f"{username} ({code}) : files de travail vides {queues}"
            else:
                assert IndicatorSnapshot.objects.filter(value__isnull=False).exists(), username
