import pytest

from tests import clock


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
