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


def test_demo_shows_dwellings_and_computes_the_2a_2c_indicators(sarthe, capsys):
    from toit.dwellings.models import Case, Dwelling
    from toit.observatory.models import IndicatorSnapshot

    call_command("toit_demo", "--scale", "0.05")
    assert "Registre des logements de démonstration" in capsys.readouterr().out
    assert Dwelling.objects.filter(is_synthetic=True).exists() and Case.objects.exists()
    codes = ["2A-1", "2B-1", "2B-2", "2B-3", "2B-4", "2B-5", "2B-6", "2B-7", "2B-8", "2B-9", "2B-10", "2C-1"]
    computed = IndicatorSnapshot.objects.filter(indicator__code__in=codes, territory_kind="departement")
    assert set(computed.values_list("indicator__code", flat=True)) == set(codes)
    assert computed.filter(indicator__code="2B-4", value__gt=0).exists()
