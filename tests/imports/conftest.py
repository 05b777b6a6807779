import pytest

from tests.imports.world import build_world


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Uploaded files, locks and progress of each test in a directory of its own."""
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.TOIT_PRIVATE_MEDIA_ROOT


@pytest.fixture
def world():
    return build_world()


@pytest.fixture(params=["ligne à ligne", "ensembliste"])
def import_path(request, settings):
    """Both ways of writing unpaid-rent reports: row by row through the intake (SQLite, and
    PostgreSQL when asked) and set-based, on both databases."""
    settings.TOIT_IMPORT_SET_BASED = request.param == "ensembliste"
    return request.param
