import os

import pytest
from hypothesis import settings as hypothesis_settings

from tests import clock

# Property tests give the same answer every day and on every machine: the examples are derived
# from the test itself, not drawn at random, and no timing deadline makes a loaded machine fail.
# `HYPOTHESIS_PROFILE=explore make test` searches at random, by hand, for new counter-examples.
hypothesis_settings.register_profile("toit", derandomize=True, deadline=None, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "toit"))


def pytest_configure(config):
    # Before any test module is imported, so that module-level dates are pinned too.
    config._toit_clock = clock.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_toit_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    return f"horloge des tests : {clock.pinned_now().isoformat()} (TOIT_TEST_NOW pour la déplacer)"


@pytest.fixture(autouse=True)
def _db_for_all_tests(db):
    """Most of Toit touches the database; tests that do not are cheap enough with it."""


@pytest.fixture(autouse=True)
def _session_refreshed_on_every_request(monkeypatch):
    """Each request sees a clock a minute and a second later than the one before, so that
    every request refreshes the session (the most queries a page can cost) whatever the
    speed of the machine: page query counts never depend on time. tests/www/test_sessions.py
    sets the clock itself to check the once-a-minute rule."""
    import itertools

    from toit.www import sessions

    ticks = itertools.count(start=1_900_000_000, step=sessions.REFRESH_AFTER + 1)
    monkeypatch.setattr(sessions, "clock", lambda: next(ticks))
