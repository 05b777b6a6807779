import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.dwellings.factories import CaseFactory, DwellingFactory, OwnerFactory, PrescribedWorkFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.dwellings import energy
from toit.dwellings.enums import DpeMethod, DpeStage, ExitMode, Stage
from toit.dwellings.models import Case, EnergyDiagnosis


def test_a_dwelling_stores_its_normalised_address():
    dwelling = DwellingFactory(street_number="12", number_suffix="bis", street="Bd du Gal Leclerc")
    assert dwelling.address_key == "12|bis|boulevard general leclerc"
    assert dwelling.street_key == "boulevard general leclerc"


def test_everything_names_its_department_and_links_stay_inside_it():
    mayenne = DepartmentFactory(code="53", name="Mayenne")
    dwelling = DwellingFactory()
    dwelling.commune = CommuneFactory(department=mayenne)
    with pytest.raises(ValidationError, match="pas dans le département"):
        dwelling.full_clean()
    dwelling.refresh_from_db()
    dwelling.owner = OwnerFactory(department=mayenne)
    with pytest.raises(ValidationError, match="n'est pas dans le département"):
        dwelling.full_clean()
    case = CaseFactory.build(dwelling=DwellingFactory(), department=mayenne)
    with pytest.raises(ValidationError):
        case.full_clean()


def test_an_exit_says_how_and_occupants_kept_means_occupied():
    case = CaseFactory()
    case.exit_on, case.exit_mode = datetime.date(2011, 1, 1), ""
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(exit_on=case.exit_on)


def test_occupants_kept_without_being_occupied_is_refused():
    case = CaseFactory()
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(
            exit_on=datetime.date(2011, 1, 1),
            exit_mode=ExitMode.WORKS_OWNER,
            occupied_at_exit=False,
            occupants_kept=True,
        )


def test_the_stage_is_read_from_what_the_case_holds():
    work = PrescribedWorkFactory()
    case = work.act.case
    assert Case.objects.with_stage().get(pk=case.pk).stage == Stage.ACT
    work.done_on, work.done_by = datetime.date(2011, 1, 1), "proprietaire"
    work.save()
    assert Case.objects.with_stage().get(pk=case.pk).stage == Stage.WORKS
    case.exit_on, case.exit_mode = datetime.date(2011, 2, 1), ExitMode.WORKS_OWNER
    case.save()
    assert Case.objects.with_stage().get(pk=case.pk).stage == Stage.EXITED
    assert Case.objects.with_stage().get(pk=CaseFactory().pk).stage == Stage.REPORTED


def _dpe(stage, made_on, kwh, energy_class):
    return EnergyDiagnosis(
        stage=stage,
        made_on=made_on,
        kwh_per_m2_year=kwh,
        energy_class=energy_class,
        method=(DpeMethod.BEFORE_JULY_2021 if made_on < datetime.date(2021, 7, 1) else DpeMethod.FROM_JULY_2021),
    )


def test_a_gain_is_computed_within_one_method_only():
    before = _dpe(DpeStage.BEFORE, datetime.date(2010, 1, 1), 400, "F")
    after = _dpe(DpeStage.AFTER, datetime.date(2011, 1, 1), 180, "D")
    gain = energy.gain([after, before])
    assert (gain.kwh, gain.classes) == (220, 2)
    late = _dpe(DpeStage.AFTER, datetime.date(2021, 9, 1), 150, "C")
    across = energy.gain([before, late])
    assert not across.comparable and across.kwh is None and across.classes is None
    assert energy.gain([before]) is None
