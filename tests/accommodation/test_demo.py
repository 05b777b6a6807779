"""The synthetic data look real: occupancy near 90 %, a winter peak in emergency places,
exits to ordinary housing more frequent at the end of the plan, the plan's new structures."""

from decimal import Decimal

import pytest

from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.accommodation.demo import DemoDataError, generate
from toit.accommodation.metrics import exits, occupancy_rate, projects, structures_opened
from toit.accommodation.models import Application, Resident, Stay, Structure
from toit.metrics.periods import Period
from toit.territory.scopes import ScopeKind, TerritoryScope

SARTHE = TerritoryScope.department_scope("72")
LMM = TerritoryScope(ScopeKind.EPCI, "72", "247200132")


@pytest.fixture
def communes():
    lmm = EPCIFactory(siren="247200132", name="Le Mans Métropole")
    return [
        CommuneFactory(name="Le Mans", epci=lmm, population=145000),
        CommuneFactory(name="Allonnes", epci=lmm, population=11000),
        *(CommuneFactory(name=f"Ville moyenne {n}", population=15000 - n * 1000) for n in range(6)),
    ]


def test_demo_data_are_synthetic_believable_and_created_once(communes):
    result = generate(seed=5)
    assert result.created
    assert not Structure.objects.filter(is_synthetic=False).exists()
    assert not Stay.objects.filter(is_synthetic=False).exists()
    assert not Resident.objects.filter(is_synthetic=False).exists()
    assert not Application.objects.filter(is_synthetic=False).exists()
    assert Stay.objects.filter(exit_on__year__gt=2012).count() == 0
    assert Stay.objects.count() > 3000
    for year in range(2008, 2013):
        rate = occupancy_rate(Period.year(year), SARTHE)
        assert Decimal(80) <= rate <= Decimal(98), (year, rate)
    winter = occupancy_rate(Period.quarter(2010, 1), SARTHE, kind="urgence")
    summer = occupancy_rate(Period.quarter(2010, 3), SARTHE, kind="urgence")
    assert winter > summer
    housed = [exits(Period.year(y), SARTHE, kind="accueil_2g", destination="logement_ordinaire") for y in (2008, 2012)]
    total = [exits(Period.year(y), SARTHE, kind="accueil_2g") for y in (2008, 2012)]
    assert housed[1] / total[1] > housed[0] / total[0]
    # Sheet 2D: the résidence accueil of 2010 and three maisons relais, two on Le Mans Métropole.
    plan = Period.span(2008, 2012)
    assert structures_opened(plan, SARTHE, kind="maisons_relais") == 4
    assert structures_opened(plan, LMM, kind="maisons_relais") == 3
    assert structures_opened(Period.year(2010), SARTHE, kind="residence_accueil") == 1
    # Sheet 2F: about twenty projects studied a year.
    assert (
        12
        <= projects(Period.year(2010), SARTHE, stage="etudie", kind="maison_isolee")
        + projects(Period.year(2010), SARTHE, stage="etudie", kind="gens_du_voyage")
        <= 30
    )
    assert not generate(seed=5).created


def test_demo_needs_the_department():
    with pytest.raises(DemoDataError, match="toit_territory load"):
        generate(plan_department="53")
    DepartmentFactory(code="53", name="Mayenne")
    with pytest.raises(DemoDataError, match="Aucune commune"):
        generate(plan_department="53")
    assert not Structure.objects.exists()
