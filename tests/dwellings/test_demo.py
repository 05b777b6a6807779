import pytest
from django.test import override_settings

from tests.territory.factories import CommuneFactory, EPCIFactory
from toit.dwellings import demo
from toit.dwellings.models import Act, Case, Dwelling, MergeProposal, PoleMember, PstDwelling
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.territory.scopes import ScopeKind, TerritoryScope

DEPARTMENT = TerritoryScope.department_scope("72")
LMM = TerritoryScope(ScopeKind.EPCI, "72", "247200132")


@pytest.fixture
def communes():
    lmm = EPCIFactory(siren="247200132", name="Le Mans Métropole")
    return [
        CommuneFactory(insee_code="72181", name="Le Mans", epci=lmm, population=145000),
        CommuneFactory(name="Allonnes", epci=lmm, population=11000),
        CommuneFactory(name="La Flèche", population=15000),
        CommuneFactory(name="Sillé-le-Guillaume", population=2200),
    ]


def _yearly(key, scope=DEPARTMENT, **params):
    metric = registry.get(key)
    return [metric.compute(Period.year(y), scope, **params) for y in range(2008, 2013)]


def test_demo_register_is_synthetic_varies_by_year_and_feeds_every_indicator(communes):
    result = demo.generate(seed=3)
    assert result.created and "Registre des logements de démonstration" in result.message
    assert not Dwelling.objects.filter(is_synthetic=False).exists()
    assert not Case.objects.filter(is_synthetic=False).exists()
    assert PoleMember.objects.filter(organisation__code="SCHS-LM", commune__insee_code="72181").exists()
    assert not Act.objects.filter(regime="depuis_2021").exists()  # all before 2021
    assert MergeProposal.objects.filter(status="a_decider").exists()  # twins spelled differently
    exits = _yearly("dwellings.occupied_exits")
    assert len(set(exits)) > 1 and sum(exits) > 0
    assert sum(exits[-2:]) > sum(exits[:2])  # more exits as the plan goes on
    kept, po, pb = (
        _yearly("dwellings.occupied_exits_kept"),
        _yearly("dwellings.occupied_exits", tenure="po"),
        _yearly("dwellings.occupied_exits", tenure="pb"),
    )
    assert all(k <= e for k, e in zip(kept, exits, strict=True))
    assert [a + b for a, b in zip(po, pb, strict=True)] == exits  # subsets add up
    pst = _yearly("dwellings.pst_made_available")
    assert pst == [4, 7, 9, 11, 11]
    assert sum(_yearly("dwellings.pst_made_available", LMM)) == 31
    for key in (
        "dwellings.followed",
        "dwellings.landlord_reports",
        "dwellings.interdictions",
        "dwellings.energy_renovated",
    ):
        values = _yearly(key)
        assert sum(values) > 0 and len(set(values)) > 1, key
    assert registry.get("dwellings.indelicate_landlords").compute(Period.year(2012), DEPARTMENT) > 0
    assert PstDwelling.objects.count() == 42
    again = demo.generate(seed=3)
    assert (
        not again.created
        and Dwelling.objects.filter(is_synthetic=True).count() == result.counts["logements signalés"] + 42
    )


@override_settings(TOIT_DEMO_ALLOWED=False)
def test_demo_is_refused_where_real_data_lives(communes):
    with pytest.raises(demo.DemoDataError, match="refusées"):
        demo.generate()
    assert not Dwelling.objects.exists()
