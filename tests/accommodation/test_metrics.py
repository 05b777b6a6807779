import datetime as dt
from decimal import Decimal

import pytest

from tests.accommodation.factories import (
    PartnershipFactory,
    ProjectFactory,
    ResidentFactory,
    StayFactory,
    StructureFactory,
    YouthOfferFactory,
)
from tests.territory.factories import CommuneFactory, EPCIFactory
from toit.accommodation.enums import (
    EntryOrigin,
    ExitDestination,
    PartnershipKind,
    ProjectKind,
    StructureKind,
    YouthOfferKind,
)
from toit.accommodation.metrics import (
    entries,
    exits,
    mean_length_of_stay,
    median_length_of_stay,
    partnerships,
    projects,
    return_rate_after_housing,
    returns_after_housing,
    structures_opened,
    youth_offer,
)
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError
from toit.territory.scopes import ScopeKind, TerritoryScope

SARTHE = TerritoryScope.department_scope("72")
Y2010 = Period.year(2010)


def _stay(structure, entry, exit=None, destination="", origin=EntryOrigin.STREET, resident=None):
    kwargs = {"structure": structure, "entry_on": entry, "exit_on": exit, "destination": destination, "origin": origin}
    if resident is not None:
        kwargs["resident"] = resident
    return StayFactory(**kwargs)


def test_entries_and_exits_by_reason_and_group_of_reasons():
    home = StructureFactory(kind=StructureKind.MAISON_RELAIS)
    chrs = StructureFactory(kind=StructureKind.CHRS)
    _stay(home, dt.date(2010, 2, 1), origin=EntryOrigin.STREET)
    _stay(home, dt.date(2010, 3, 1), origin=EntryOrigin.HOSPITAL)
    _stay(home, dt.date(2009, 3, 1), dt.date(2010, 5, 1), ExitDestination.SOCIAL_HOUSING, origin=EntryOrigin.EMERGENCY)
    _stay(chrs, dt.date(2010, 4, 1), dt.date(2010, 6, 1), ExitDestination.PRIVATE_HOUSING, origin=EntryOrigin.EMERGENCY)
    _stay(chrs, dt.date(2010, 4, 1), dt.date(2011, 1, 1), ExitDestination.EXCLUSION)
    assert entries(Y2010, SARTHE) == 4
    assert entries(Y2010, SARTHE, kind="maisons_relais") == 2
    assert entries(Y2010, SARTHE, origin="sans_abri") == 3
    assert entries(Y2010, SARTHE, origin=EntryOrigin.HOSPITAL.value) == 1
    assert exits(Y2010, SARTHE) == 2
    assert exits(Y2010, SARTHE, destination="logement_ordinaire") == 2
    assert exits(Y2010, SARTHE, kind="accueil_2g", destination="logement_ordinaire") == 1
    assert sum(entries.by_commune(Y2010, "72", origin="sans_abri").values()) == 3
    with pytest.raises(MetricError, match="origin"):
        entries(Y2010, SARTHE, origin="cave")


def test_mean_and_median_length_of_the_stays_ended_in_the_period():
    home = StructureFactory()
    # Lengths 10, 20, 30 and 100 days; one more open stay and one ended in 2011.
    _stay(home, dt.date(2010, 1, 1), dt.date(2010, 1, 11), ExitDestination.FAMILY)
    _stay(home, dt.date(2009, 12, 22), dt.date(2010, 1, 11), ExitDestination.FAMILY)
    _stay(home, dt.date(2010, 6, 1), dt.date(2010, 7, 1), ExitDestination.FAMILY)
    _stay(home, dt.date(2010, 9, 1), dt.date(2010, 12, 10), ExitDestination.FAMILY)
    _stay(home, dt.date(2010, 9, 1))
    _stay(home, dt.date(2010, 9, 1), dt.date(2011, 1, 3), ExitDestination.FAMILY)
    assert mean_length_of_stay(Y2010, SARTHE) == Decimal("40.00")
    assert median_length_of_stay(Y2010, SARTHE) == Decimal("25.00")
    _stay(home, dt.date(2010, 1, 1), dt.date(2010, 3, 1), ExitDestination.FAMILY)  # 59 days
    assert median_length_of_stay(Y2010, SARTHE) == Decimal("30.00")
    assert median_length_of_stay(Period.year(2008), SARTHE) is None


def test_returns_after_an_exit_to_housing_within_the_same_structure():
    home = StructureFactory()
    other = StructureFactory()
    back_in_5_months, back_in_20_months, never_back, elsewhere = (ResidentFactory(structure=home) for _ in range(4))
    housed = ExitDestination.SOCIAL_HOUSING
    _stay(home, dt.date(2009, 1, 1), dt.date(2010, 3, 1), housed, resident=back_in_5_months)
    _stay(home, dt.date(2010, 8, 1), resident=back_in_5_months)
    _stay(home, dt.date(2009, 1, 1), dt.date(2010, 3, 1), housed, resident=back_in_20_months)
    _stay(home, dt.date(2011, 11, 1), resident=back_in_20_months)
    _stay(home, dt.date(2009, 1, 1), dt.date(2010, 3, 1), housed, resident=never_back)
    _stay(home, dt.date(2009, 1, 1), dt.date(2010, 3, 1), ExitDestination.EXCLUSION, resident=elsewhere)
    _stay(home, dt.date(2010, 4, 1), resident=elsewhere)  # not after an exit to housing
    _stay(other, dt.date(2010, 4, 1))  # someone else, in another structure
    assert returns_after_housing(Y2010, SARTHE, months="6") == 1
    assert returns_after_housing(Y2010, SARTHE, months="12") == 1
    assert returns_after_housing(Y2010, SARTHE, months="24") == 2
    assert return_rate_after_housing(Y2010, SARTHE, months="24") == Decimal("66.7")
    with pytest.raises(MetricError):
        returns_after_housing(Y2010, SARTHE, months="3")


def test_partnerships_in_force_at_the_end_of_the_period_by_kind():
    home = StructureFactory()
    PartnershipFactory(structure=home, kind=PartnershipKind.MOBILE_PSYCHIATRY, signed_on=dt.date(2009, 5, 1))
    PartnershipFactory(structure=home, kind=PartnershipKind.SOCIAL_WATCH, signed_on=dt.date(2010, 11, 1))
    PartnershipFactory(
        structure=home, kind=PartnershipKind.HEALTH, signed_on=dt.date(2009, 1, 1), ended_on=dt.date(2010, 6, 1)
    )
    PartnershipFactory(structure=home, kind=PartnershipKind.SOCIAL_WATCH, signed_on=dt.date(2011, 2, 1))
    assert partnerships(Y2010, SARTHE) == 2
    assert partnerships(Period.year(2009), SARTHE) == 2
    assert partnerships(Y2010, SARTHE, partnership="veille_sociale") == 1
    assert partnerships(Period.year(2011), SARTHE, partnership="veille_sociale") == 2


def test_structures_opened_by_territory():
    metropole = EPCIFactory(siren="247200132")
    le_mans = CommuneFactory(epci=metropole)
    flèche = CommuneFactory()
    StructureFactory(commune=le_mans, kind=StructureKind.RESIDENCE_ACCUEIL, opened_on=dt.date(2010, 9, 1))
    StructureFactory(commune=le_mans, kind=StructureKind.MAISON_RELAIS, opened_on=dt.date(2011, 9, 1))
    StructureFactory(commune=flèche, kind=StructureKind.MAISON_RELAIS, opened_on=dt.date(2010, 2, 1))
    StructureFactory(commune=flèche, kind=StructureKind.HOTEL_SOCIAL, opened_on=dt.date(2010, 2, 1))
    lmm = TerritoryScope(ScopeKind.EPCI, "72", "247200132")
    rest = TerritoryScope(ScopeKind.OUTSIDE_EPCI, "72", "247200132")
    assert structures_opened(Y2010, SARTHE, kind="maisons_relais") == 2
    assert structures_opened(Y2010, lmm, kind="maisons_relais") == 1
    assert structures_opened(Y2010, rest, kind="maisons_relais") == 1
    assert structures_opened(Y2010, rest, kind="accueil_2g") == 1
    assert structures_opened.by_commune(Y2010, "72", kind="maisons_relais") == {
        le_mans.insee_code: 1,
        flèche.insee_code: 1,
    }


def test_projects_by_stage_counted_in_projects_or_dwellings():
    ProjectFactory(dwellings_planned=1, studied_on=dt.date(2010, 3, 1))
    ProjectFactory(
        dwellings_planned=3,
        studied_on=dt.date(2010, 5, 1),
        setup_on=dt.date(2010, 9, 1),
        funded_on=dt.date(2010, 11, 1),
        delivered_on=dt.date(2010, 12, 1),
    )
    ProjectFactory(dwellings_planned=2, studied_on=dt.date(2010, 5, 1), guide_method=False)
    ProjectFactory(
        kind=ProjectKind.MAISON_RELAIS,
        places_planned=18,
        spotted_on=dt.date(2009, 1, 1),
        studied_on=dt.date(2009, 6, 1),
        funded_on=dt.date(2009, 12, 1),
    )
    assert projects(Y2010, SARTHE, stage="etudie") == 3
    assert projects(Y2010, SARTHE, stage="etudie", guide="oui", count="logements") == 4
    assert projects(Y2010, SARTHE, stage="livre", count="logements") == 3
    assert projects(Period.year(2009), SARTHE, stage="finance", kind="maison_relais", count="places") == 18
    assert sum(projects.by_commune(Y2010, "72", stage="etudie", count="logements").values()) == 6


def test_youth_offer_splits_accommodation_and_housing():
    YouthOfferFactory(kind=YouthOfferKind.ALT, units=4, made_available_on=dt.date(2010, 3, 1))
    YouthOfferFactory(kind=YouthOfferKind.FJT_SOLEIL, units=12, made_available_on=dt.date(2010, 9, 1))
    YouthOfferFactory(kind=YouthOfferKind.SOCIAL_T2, units=6, made_available_on=dt.date(2010, 10, 1))
    YouthOfferFactory(kind=YouthOfferKind.SOCIAL_T2, units=5, made_available_on=dt.date(2011, 1, 1))
    assert youth_offer(Y2010, SARTHE, category="hebergement") == 16
    assert youth_offer(Y2010, SARTHE, category="logement") == 6
    assert sum(youth_offer.by_commune(Y2010, "72").values()) == 22


def test_the_grouped_mean_length_of_stay_equals_the_direct_one():
    home = StructureFactory()
    other = StructureFactory()
    _stay(home, dt.date(2010, 1, 1), dt.date(2010, 1, 11), ExitDestination.FAMILY)
    _stay(other, dt.date(2010, 6, 1), dt.date(2010, 7, 1), ExitDestination.FAMILY)
    _stay(other, dt.date(2010, 6, 1), dt.date(2010, 6, 3), ExitDestination.FAMILY)
    days, counts = mean_length_of_stay.by_commune_parts(Y2010, "72")
    assert days == {home.commune.insee_code: 10, other.commune.insee_code: 32}
    assert mean_length_of_stay.combine(sum(days.values()), sum(counts.values())) == Decimal("14.00")
    assert mean_length_of_stay(Y2010, SARTHE) == Decimal("14.00")
