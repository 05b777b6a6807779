import pytest


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
