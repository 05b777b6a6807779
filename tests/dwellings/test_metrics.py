"""Every 2A-2C metric on hand-made data: each row below is there to be counted or to be
left out for one stated reason."""

import datetime

import pytest

from tests.dwellings.factories import (
    ActFactory,
    CaseFactory,
    CaseReportFactory,
    DwellingFactory,
    EnergyDiagnosisFactory,
    HousingPoleFactory,
    OwnerFactory,
    PstDwellingFactory,
)
from tests.territory.factories import CommuneFactory, EPCIFactory
from toit.dwellings.enums import ActKind, Convention, DpeStage, ExitMode, Interdiction, Tenure
from toit.dwellings.models import IndelicacyDecision
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.territory.scopes import ScopeKind, TerritoryScope

LMM = "247200132"
Y2010 = Period.year(2010)
DEPT = TerritoryScope.department_scope("72")
IN_LMM = TerritoryScope(ScopeKind.EPCI, "72", LMM)
OUT_LMM = TerritoryScope(ScopeKind.OUTSIDE_EPCI, "72", LMM)


def d(y, m, day=1):
    return datetime.date(y, m, day)


def value(key, scope=DEPT, period=Y2010, **params):
    return registry.get(key).compute(period, scope, **params)


@pytest.fixture
def communes():
    lmm = EPCIFactory(siren=LMM, name="Le Mans Métropole")
    return CommuneFactory(insee_code="72181", name="Le Mans", epci=lmm), CommuneFactory(
        insee_code="72003", name="Allonnes-test"
    )


def test_pst_made_available(communes):
    le_mans, rural = communes
    PstDwellingFactory(dwelling=DwellingFactory(commune=le_mans), available_on=d(2010, 2))
    PstDwellingFactory(
        dwelling=DwellingFactory(commune=le_mans), available_on=d(2010, 12, 31), convention=Convention.SOCIAL
    )
    PstDwellingFactory(dwelling=DwellingFactory(commune=rural), available_on=d(2010, 1))
    PstDwellingFactory(dwelling=DwellingFactory(commune=le_mans), available_on=d(2011, 1))  # next year
    PstDwellingFactory(dwelling=DwellingFactory(commune=rural), available_on=None)  # not yet available
    assert value("dwellings.pst_made_available") == 3
    assert value("dwellings.pst_made_available", IN_LMM) == 2
    assert value("dwellings.pst_made_available", OUT_LMM) == 1
    assert value("dwellings.pst_made_available", convention="tres_social") == 2
    assert value("dwellings.pst_made_available", period=Period.span(2008, 2012)) == 4
    with pytest.raises(MetricError, match="convention"):
        value("dwellings.pst_made_available", convention="tres")


def test_landlord_reports(communes):
    let = CaseFactory(dwelling=DwellingFactory(commune=communes[0]), tenure=Tenure.LET)
    CaseReportFactory(case=let, received_on=d(2010, 3))
    CaseReportFactory(case=let, received_on=d(2010, 9))
    CaseReportFactory(case=let, received_on=d(2009, 12, 31))  # the year before
    owner_occupied = CaseFactory(tenure=Tenure.OWNER_OCCUPIED)
    CaseReportFactory(case=owner_occupied, received_on=d(2010, 3))  # not a landlord
    assert value("dwellings.landlord_reports") == 2
    assert value("dwellings.landlord_reports", OUT_LMM) == 0


def _exit(dwelling, on, tenure, occupied=True, kept=False):
    return CaseFactory(
        dwelling=dwelling,
        opened_on=d(2009, 1),
        tenure=tenure,
        exit_on=on,
        exit_mode=ExitMode.WORKS_OWNER,
        occupied_at_exit=occupied,
        occupants_kept=kept if occupied else None,
    )


def test_occupied_exits_with_the_po_pb_split_and_occupants_kept(communes):
    le_mans, rural = communes
    twice = DwellingFactory(commune=le_mans)
    _exit(twice, d(2010, 4), Tenure.LET, kept=True)
    _exit(twice, d(2010, 10), Tenure.LET, kept=True)  # the same dwelling: counted once
    _exit(DwellingFactory(commune=rural), d(2010, 6), Tenure.OWNER_OCCUPIED, kept=False)
    _exit(DwellingFactory(commune=rural), d(2010, 6), Tenure.LET, occupied=False)  # vacant at exit
    _exit(DwellingFactory(commune=rural), d(2011, 1), Tenure.LET, kept=True)  # next year
    assert value("dwellings.occupied_exits") == 2
    assert value("dwellings.occupied_exits", tenure="po") == 1
    assert value("dwellings.occupied_exits", tenure="pb") == 1
    assert value("dwellings.occupied_exits", IN_LMM) == 1
    assert value("dwellings.occupied_exits_kept") == 1
    assert value("dwellings.occupied_exits_kept", tenure="pb") == 1
    assert value("dwellings.occupied_exits_kept", tenure="po") == 0


def test_followed_dwellings(communes):
    CaseFactory(opened_on=d(2009, 5), exit_on=d(2011, 2), exit_mode=ExitMode.WORKS_OWNER)  # across the year
    CaseFactory(opened_on=d(2010, 12, 31))  # opened on the last day
    CaseFactory(opened_on=d(2008, 5), closed_on=d(2010, 1, 1))  # closed on the first day
    CaseFactory(opened_on=d(2008, 5), exit_on=d(2009, 12, 31), exit_mode=ExitMode.WORKS_OWNER)  # out before
    CaseFactory(opened_on=d(2011, 1, 1))  # after
    assert value("dwellings.followed") == 3


def test_interdictions(communes):
    temporary = ActFactory(signed_on=d(2010, 5), interdiction=Interdiction.TEMPORARY, interdiction_until=d(2011, 5))
    ActFactory(
        case=temporary.case, signed_on=d(2010, 7), interdiction=Interdiction.DEFINITIVE, kind=ActKind.UNFIT_IRREMEDIABLE
    )
    ActFactory(signed_on=d(2010, 8), interdiction=Interdiction.DEFINITIVE, kind=ActKind.UNFIT_IRREMEDIABLE)
    ActFactory(signed_on=d(2009, 8), interdiction=Interdiction.DEFINITIVE, kind=ActKind.UNFIT_IRREMEDIABLE)
    ActFactory(signed_on=d(2010, 8))  # no interdiction
    assert value("dwellings.interdictions") == 2  # the first dwelling twice, counted once
    assert value("dwellings.interdictions", interdiction="temporaire") == 1
    assert value("dwellings.interdictions", interdiction="definitive") == 2


def test_indelicate_landlords_in_force_at_the_end_of_the_period(communes):
    le_mans, rural = communes
    pole = HousingPoleFactory()
    both, withdrawn, later = OwnerFactory(), OwnerFactory(), OwnerFactory()
    DwellingFactory(owner=both, commune=le_mans)
    DwellingFactory(owner=both, commune=rural)
    DwellingFactory(owner=withdrawn, commune=le_mans)
    DwellingFactory(owner=later, commune=le_mans)

    def decide(owner, on, withdrawn_on=None):
        IndelicacyDecision.objects.create(
            pole=pole,
            owner=owner,
            decided_on=on,
            grounds="Refus répétés d'exécuter les travaux prescrits",
            review_due_on=on + datetime.timedelta(days=365),
            withdrawn_on=withdrawn_on,
        )

    decide(both, d(2009, 3))
    decide(withdrawn, d(2010, 2), withdrawn_on=d(2010, 11))
    decide(later, d(2011, 1))
    assert value("dwellings.indelicate_landlords") == 1
    assert value("dwellings.indelicate_landlords", IN_LMM) == 1
    assert value("dwellings.indelicate_landlords", OUT_LMM) == 1
    assert value("dwellings.indelicate_landlords", period=Period.quarter(2010, 3)) == 2  # before the withdrawal


def _renovation(dwelling, before_on, before_kwh, after_on, after_kwh):
    EnergyDiagnosisFactory(dwelling=dwelling, stage=DpeStage.BEFORE, made_on=before_on, kwh_per_m2_year=before_kwh)
    EnergyDiagnosisFactory(
        dwelling=dwelling, stage=DpeStage.AFTER, made_on=after_on, kwh_per_m2_year=after_kwh, energy_class="D"
    )


def test_energy_renovated_counts_a_gain_within_one_method(communes):
    very_social = PstDwellingFactory(convention=Convention.VERY_SOCIAL).dwelling
    _renovation(very_social, d(2009, 4), 400, d(2010, 6), 190)
    worse = PstDwellingFactory(convention=Convention.VERY_SOCIAL).dwelling
    _renovation(worse, d(2009, 4), 200, d(2010, 6), 250)  # no gain
    social = PstDwellingFactory(convention=Convention.SOCIAL).dwelling
    _renovation(social, d(2009, 4), 400, d(2010, 6), 190)  # not very social
    across = PstDwellingFactory(convention=Convention.VERY_SOCIAL).dwelling
    _renovation(across, d(2021, 3), 400, d(2021, 9), 190)  # two methods: no gain to read
    same = PstDwellingFactory(convention=Convention.VERY_SOCIAL).dwelling
    _renovation(same, d(2021, 7, 1), 400, d(2021, 9), 190)  # both under the 2021 method
    assert value("dwellings.energy_renovated") == 1
    assert value("dwellings.energy_renovated", stock="prive") == 2
    assert value("dwellings.energy_renovated", period=Period.year(2021)) == 1


GROUPED = sorted(m.key for m in registry if m.key.startswith("dwellings.") and hasattr(m.func, "by_commune"))


def test_every_additive_metric_has_a_grouped_form_that_adds_up(communes):
    for commune in communes:
        PstDwellingFactory(dwelling=DwellingFactory(commune=commune), available_on=d(2010, 2))
        case = _exit(DwellingFactory(commune=commune), d(2010, 4), Tenure.LET, kept=True)
        CaseReportFactory(case=case, received_on=d(2010, 3))
        ActFactory(
            case=case, signed_on=d(2010, 2), interdiction=Interdiction.DEFINITIVE, kind=ActKind.UNFIT_IRREMEDIABLE
        )
    assert set(GROUPED) == {m.key for m in registry if m.key.startswith("dwellings.")} - {
        "dwellings.indelicate_landlords"
    }
    for key in GROUPED:
        by_commune = registry.get(key).func.by_commune(Y2010, "72")
        assert sum(by_commune.values()) == value(key), key
        assert by_commune.get("72181", 0) == value(key, IN_LMM), key
