"""The lease of a file (toit.eviction.lease): entered with a report and carried into the
file opened from it, corrected on the file by a participant with a reason (history keeps
who and why), refused with a French sentence when impossible, and read again by the
deadlines and alerts; the procedure state columns stay those the events give."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.eviction.factories import EventFactory, PreventionFileFactory, prefecture, social_landlord
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.eviction import corrections, intake
from toit.eviction.alerts import overview
from toit.eviction.enums import EventKind, LandlordKind, ReportSource
from toit.eviction.models import CcapexThreshold, Event, PreventionFile, RepaymentPayment, RepaymentPlan
from toit.eviction.procedure_state import recompute
from toit.territory.models import Department

D = datetime.date
TODAY = D(2026, 12, 6)
REASON = "Bail retrouvé dans les pièces du dossier"


@pytest.fixture
def ctx():
    caf = OrganisationFactory(code="CAF72")
    prefecture()
    return member_of(caf), caf, PreventionFileFactory(opened_by=caf)


def snapshot(file):
    file = PreventionFile.objects.get(pk=file.pk)
    return file.lease_signed_on, file.landlord_kind, file.monthly_rent, file.history.count()


def time_to_pay(file, today=TODAY):
    file = PreventionFile.objects.get(pk=file.pk)
    return next(d for d in overview(file, today).deadlines if d.code == "time_to_pay")


def test_a_participant_corrects_the_lease_with_history_and_the_deadline_follows(ctx):
    user, caf, file = ctx
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2023, 7, 29), organisation=caf)
    before = time_to_pay(file)
    assert before.date == D(2023, 9, 29) and "date du bail à vérifier" in before.label

    corrections.correct_lease(
        file, user, REASON, lease_signed_on=D(2023, 7, 29), landlord_kind=LandlordKind.NATURAL_PERSON, today=TODAY
    )

    after = time_to_pay(file)
    assert after.date == D(2023, 9, 9) and "à vérifier" not in after.label
    latest = PreventionFile.objects.get(pk=file.pk).history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (user, REASON)
    assert latest.lease_signed_on == D(2023, 7, 29) and latest.landlord_kind == LandlordKind.NATURAL_PERSON
    # The stored procedure state does not depend on the lease: the check stays green.
    models = {"file": PreventionFile, "event": Event, "plan": RepaymentPlan, "payment": RepaymentPayment}
    assert recompute(models, limit=2) == []


def test_the_rent_feeds_the_ccapex_alert(ctx):
    user, caf, file = ctx
    department = Department.objects.get(communes__households__files=file)
    CcapexThreshold.objects.create(
        department=department, since=D(2016, 1, 1), months_of_arrears=6, rent_multiple=Decimal(3), source="Arrêté A"
    )
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2017, 6, 1), amount=Decimal(1500), organisation=caf)
    assert overview(PreventionFile.objects.get(pk=file.pk), D(2017, 6, 2)).alerts == []  # no rent: nothing reached
    corrections.correct_lease(file, user, REASON, monthly_rent=Decimal(400), today=TODAY)
    (alert,) = overview(PreventionFile.objects.get(pk=file.pk), D(2017, 6, 2)).alerts
    assert alert.code == "ccapex_signal_expected"


def test_a_non_participant_cannot_correct_the_lease(ctx):
    _user, _caf, file = ctx
    outsider = member_of(OrganisationFactory(code="CCAS-ALLONNES"))
    before = snapshot(file)
    with pytest.raises(PermissionDenied):
        corrections.correct_lease(file, outsider, REASON, monthly_rent=Decimal(400), today=TODAY)
    assert snapshot(file) == before


def test_a_cancelled_file_refuses_the_correction(ctx):
    user, _caf, file = ctx
    corrections.cancel_file(file, user, "Doublon ouvert par erreur la veille")
    before = snapshot(file)
    with pytest.raises(ValidationError, match="est annulé"):
        corrections.correct_lease(file, user, REASON, monthly_rent=Decimal(400), today=TODAY)
    assert snapshot(file) == before


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"monthly_rent": Decimal("-1")}, "monthly_rent", "ne peut pas être négatif"),
        ({"lease_signed_on": D(2026, 12, 7)}, "lease_signed_on", "Date dans le futur"),
        ({"lease_signed_on": D(1899, 12, 31)}, "lease_signed_on", "antérieure à 1900"),
        ({"landlord_kind": "bailleur_inconnu"}, "landlord_kind", "inconnu"),
    ],
)
def test_impossible_values_are_refused_in_french_and_nothing_is_written(ctx, changes, field, words):
    user, _caf, file = ctx
    before = snapshot(file)
    with pytest.raises(ValidationError) as error:
        corrections.correct_lease(file, user, REASON, today=TODAY, **changes)
    assert words in " ".join(error.value.message_dict[field])
    assert snapshot(file) == before


def test_a_reason_is_required_and_only_lease_fields_change(ctx):
    user, _caf, file = ctx
    with pytest.raises(ValidationError) as error:
        corrections.correct_lease(file, user, " ", monthly_rent=Decimal(400), today=TODAY)
    assert "motif" in error.value.message_dict["reason"][0]
    with pytest.raises(TypeError):
        corrections.correct_lease(file, user, REASON, opened_on=D(2020, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="Aucune modification"):
        corrections.correct_lease(file, user, REASON, monthly_rent=None, today=TODAY)


def report_fields(**overrides):
    return {
        "source": ReportSource.CAF_MSA,
        "reported_on": D(2023, 9, 1),
        "debt_amount": Decimal(1200),
        "last_name": "Dupont",
        "first_name": "Sylvie",
        "birth_date": D(1975, 4, 12),
        "street": "12 rue de la Gare",
        "commune": CommuneFactory(),
        "sector": "parc_prive",
        **overrides,
    }


def test_the_lease_of_a_report_becomes_the_lease_of_the_file_it_opens(ctx):
    user, caf, _file = ctx
    report = intake.record_report(
        user,
        caf,
        today=TODAY,
        **report_fields(
            lease_signed_on=D(2019, 3, 1), landlord_kind=LandlordKind.FAMILY_SCI, monthly_rent=Decimal("450.50")
        ),
    )
    file = intake.open_file_from_report(report, user, today=TODAY)
    assert (file.lease_signed_on, file.landlord_kind, file.monthly_rent) == (
        D(2019, 3, 1),
        LandlordKind.FAMILY_SCI,
        Decimal("450.50"),
    )


def test_a_report_without_a_landlord_kind_keeps_the_social_landlord_default(ctx):
    user, caf, _file = ctx
    report = intake.record_report(
        user, caf, today=TODAY, **report_fields(sector="parc_social", social_landlord=social_landlord())
    )
    file = intake.open_file_from_report(report, user, today=TODAY)
    assert file.landlord_kind == LandlordKind.LEGAL_PERSON and file.lease_signed_on is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"monthly_rent": Decimal("-5")}, "monthly_rent"),
        ({"lease_signed_on": D(2027, 1, 1)}, "lease_signed_on"),
        ({"landlord_kind": "inconnu"}, "landlord_kind"),
    ],
)
def test_a_report_with_an_impossible_lease_is_refused(ctx, values, field):
    user, caf, _file = ctx
    from toit.eviction.models import Report

    with pytest.raises(ValidationError) as error:
        intake.record_report(user, caf, today=TODAY, **report_fields(**values))
    assert set(error.value.message_dict) == {field}
    assert not Report.objects.exists()
