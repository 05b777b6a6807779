import pytest

from tests.observatory.plan import PLAN
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.metrics.enums import Unit
from toit.metrics.registry import register, registry
from toit.organisations.enums import Role
from toit.organisations.models import Organisation
from toit.plans.loader import load, parse
from toit.territory.models import Commune

LMM = "247200132"
TEST_METRICS = ("testobs.communes", "testobs.population", "testobs.broken")


def communes_in(scope, min_population=0):
    return Commune.objects.filter(scope.q(), population__gte=int(min_population)).count()


@pytest.fixture
def metrics():
    """Metrics of our own, set-based like real ones: one COUNT/SUM query per call."""

    @register("testobs.communes", label="Communes (test)", unit=Unit.COUNT, params={"min_population": "seuil"})
    def communes(period, scope, min_population=0):
        return communes_in(scope, min_population)

    @register("testobs.population", label="Population (test)", unit=Unit.COUNT)
    def population(period, scope):
        from django.db.models import Sum

        return Commune.objects.filter(scope.q()).aggregate(total=Sum("population"))["total"]

    yield registry
    for key in TEST_METRICS:
        registry.unregister(key)


@pytest.fixture
def territory():
    """Sarthe: Le Mans Métropole (3 communes), another EPCI (2), one commune without EPCI."""
    department = DepartmentFactory()
    lmm = EPCIFactory(siren=LMM, name="Le Mans Métropole", nature="METRO")
    other = EPCIFactory(name="CC du Test")
    communes = [
        CommuneFactory(department=department, epci=lmm, population=140_000, name="Le Mans"),
        CommuneFactory(department=department, epci=lmm, population=11_000, name="Allonnes"),
        CommuneFactory(department=department, epci=lmm, population=700, name="Coulaines"),
        CommuneFactory(department=department, epci=other, population=2_000, name="Bonnétable"),
        CommuneFactory(department=department, epci=other, population=300, name="Briosne"),
        CommuneFactory(department=department, epci=None, population=150, name="Isolée"),
    ]
    return {"department": department, "lmm": lmm, "other": other, "communes": communes}


@pytest.fixture
def plan(metrics, territory):
    return load(parse(PLAN)).plan


@pytest.fixture
def observatory_user(plan):
    return member_of(Organisation.objects.get(code="CG72"), Role.OBSERVATORY)


@pytest.fixture
def admin_user(plan):
    return member_of(Organisation.objects.get(code="DDE72"), Role.ADMIN)


@pytest.fixture
def agent(plan):
    return member_of(Organisation.objects.get(code="CAF72"), Role.AGENT)


@pytest.fixture
def outsider(plan):
    return member_of(OrganisationFactory(), Role.AGENT)
