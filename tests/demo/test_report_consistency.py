"""The demo's reports show one truth (issue 15): on the Sarthe plan with its demo data
(files, events, dwellings, accommodation, measurements), every figure of the quarterly and
annual reports is the indicator its line names, « s » where the open data say « s », and no
« dont » line exceeds its total (tests/observatory/consistency.py)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.observatory.consistency import problems
from toit.metrics.periods import Period
from toit.observatory.enums import ReportKind
from toit.observatory.reports.build import build_report
from toit.plans.loader import load_file
from toit.territory.cog import load_file as load_territory_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(capsys):
    load_territory_file(ROOT / "data" / "territory" / "cog-72.json")
    plan = load_file(ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml").plan
    call_command("toit_demo", "--scale", "0.05")
    capsys.readouterr()
    return plan


def test_the_demo_reports_show_the_figures_of_their_indicators(demo, settings):
    limit = settings.TOIT_DISCLOSURE_THRESHOLD
    for kind, period in ((ReportKind.QUARTERLY, "2010T3"), (ReportKind.ANNUAL, "2010"), (ReportKind.ANNUAL, "2012")):
        report = build_report(demo, kind, Period.parse(period), limit=limit)
        assert problems(report, limit) == [], f"{kind} {period}"
