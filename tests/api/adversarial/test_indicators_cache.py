"""/api/indicators/ reads every value of the plan and applies the disclosure control: a
client calling it in a loop within its rate limit gets the figures computed once, until
the observatory recomputes."""

import pytest

from tests.api.test_observatory import Q3, caf_api, computed  # noqa: F401 - fixtures
from tests.observatory.conftest import metrics, plan, territory  # noqa: F401 - fixtures
from toit.api import indicators
from toit.observatory import engine

pytestmark = pytest.mark.django_db


def test_figures_are_computed_once_per_state_of_the_values(computed, caf_api, monkeypatch):  # noqa: F811
    calls = []
    original = indicators.figures

    def counted(plan):  # noqa: F811
        calls.append(plan.pk)
        return original(plan)

    monkeypatch.setattr(indicators, "figures", counted)
    first = caf_api.get("/api/indicators/", {"limit": 100}).json()
    second = caf_api.get("/api/indicators/", {"limit": 100, "indicator": "4B-2"}).json()
    assert len(calls) == 1
    assert second["count"] and second["count"] < first["count"]
    engine.compute(computed, periods=[Q3], everywhere=True)  # new snapshots
    caf_api.get("/api/indicators/")
    assert len(calls) == 2
