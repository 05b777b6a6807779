import pytest


@pytest.fixture(autouse=True)
def _db_for_all_tests(db):
    """Most of Toit touches the database; tests that do not are cheap enough with it."""
