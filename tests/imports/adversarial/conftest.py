import pytest


@pytest.fixture
def caf(world):
    return world.users["CAF72"], world.caf
