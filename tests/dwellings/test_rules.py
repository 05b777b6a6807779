import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.dwellings.factories import ActFactory, CaseFactory, EnergyDiagnosisFactory
from toit.dwellings import rules
from toit.dwellings.enums import ActKind, DpeMethod, Regime

EVE = datetime.date(2020, 12, 31)
DAY = datetime.date(2021, 1, 1)
DOC = Path(__file__).resolve().parents[2] / "docs" / "habitat-indigne-rules.md"


def test_the_regime_changes_on_the_first_of_january_2021():
    assert rules.regime_on(EVE) == Regime.BEFORE_2021
    assert rules.regime_on(DAY) == Regime.FROM_2021


@pytest.mark.parametrize("kind", [ActKind.UNFIT_REMEDIABLE, ActKind.UNFIT_IRREMEDIABLE, ActKind.DANGER_IMMINENT])
def test_an_old_code_act_is_accepted_the_day_before_and_refused_from_2021(kind):
    rules.check_act(kind, EVE)
    with pytest.raises(ValidationError, match=r"L\. 511-11"):
        rules.check_act(kind, DAY)


@pytest.mark.parametrize("kind", [ActKind.SAFETY, ActKind.SAFETY_URGENT])
def test_a_safety_arrete_is_refused_before_2021(kind):
    rules.check_act(kind, DAY)
    with pytest.raises(ValidationError, match=r"L\. 1331-26"):
        rules.check_act(kind, EVE)


@pytest.mark.parametrize("kind", [ActKind.RSD_NOTICE, ActKind.NON_DECENCY_NOTICE, ActKind.LEAD_WORKS])
def test_acts_outside_the_reform_are_accepted_at_any_date(kind):
    rules.check_act(kind, EVE)
    rules.check_act(kind, DAY)


def test_a_lifting_follows_the_act_it_lifts():
    arrete = ActFactory(kind=ActKind.UNFIT_REMEDIABLE, signed_on=datetime.date(2019, 6, 1))
    lifting = ActFactory(case=arrete.case, kind=ActKind.LIFTING, lifts=arrete, signed_on=datetime.date(2022, 3, 1))
    lifting.full_clean()
    assert lifting.regime == Regime.BEFORE_2021
    assert "L. 1331-28 II" in lifting.legal_basis
    with pytest.raises(ValidationError, match="précéder"):
        rules.check_act(ActKind.LIFTING, datetime.date(2019, 1, 1), arrete)
    with pytest.raises(ValidationError, match="désigne"):
        rules.check_act(ActKind.LIFTING, DAY, None)


def test_an_act_stores_its_regime_and_basis_and_full_clean_refuses_the_wrong_code():
    act = ActFactory(kind=ActKind.SAFETY, signed_on=datetime.date(2021, 2, 1), case=CaseFactory(opened_on=DAY))
    assert (act.regime, act.legal_basis.startswith("CCH art. L. 511-1")) == (Regime.FROM_2021, True)
    act.signed_on = EVE
    with pytest.raises(ValidationError):
        act.full_clean()


def test_the_case_records_the_code_in_force_at_its_opening():
    assert CaseFactory(opened_on=EVE).regime == Regime.BEFORE_2021
    assert CaseFactory(opened_on=DAY).regime == Regime.FROM_2021


def test_the_dpe_method_changes_on_the_first_of_july_2021():
    assert EnergyDiagnosisFactory(made_on=datetime.date(2021, 6, 30)).method == DpeMethod.BEFORE_JULY_2021
    assert EnergyDiagnosisFactory(made_on=datetime.date(2021, 7, 1)).method == DpeMethod.FROM_JULY_2021


def test_the_rules_page_names_every_act_and_its_dates():
    text = DOC.read_text()
    for kind in ActKind:
        assert kind.label.split(" (")[0] in text, kind
    for needle in ("1er janvier 2021", "1er juillet 2021", "2020-1144", "L. 511-11", "L. 511-19", "L. 1331-26"):
        assert needle in text
