import pytest

from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.factories import load_sample_plan
from toit.organisations.enums import Role
from toit.organisations.models import Organisation


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path / "prive"
    return settings.TOIT_PRIVATE_MEDIA_ROOT


@pytest.fixture
def plan():
    return load_sample_plan()


@pytest.fixture
def manager(plan):
    return member_of(Organisation.objects.get(code="DDE72"), Role.MANAGER)


@pytest.fixture
def agent(plan):
    return member_of(Organisation.objects.get(code="CAF72"), Role.AGENT)


@pytest.fixture
def observatory_user(plan):
    return member_of(Organisation.objects.get(code="CAF72"), Role.OBSERVATORY)


@pytest.fixture
def outsider(plan):
    return member_of(OrganisationFactory(), Role.MANAGER)
