from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.factories import load_sample_plan
from toit.organisations.enums import Role
from toit.organisations.models import Organisation
from toit.plans.measurements import parse_decimal, record_measurement
from toit.plans.models import Indicator, Measurement


@pytest.fixture
def plan():
    return load_sample_plan()


def record(indicator_code, **kwargs):
    defaults = {"user": None, "period": "2010", "value": "12", "source": "CAF"}
    return record_measurement(indicator=Indicator.objects.get(code=indicator_code), **(defaults | kwargs))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", "12"), ("1 234,5", "1234.5"), ("1\u202f234,50", "1234.50"), ("33 %", "33"), ("42 000 €", "42000")],
)
def test_parse_decimal_accepts_french_input(text, expected):
    assert parse_decimal(text) == Decimal(expected)


def test_records_with_provenance(plan):
    caf = Organisation.objects.get(code="CAF72")
    agent = member_of(caf)
    measurement = record("1A-1", user=agent, value="14", comment="Bilan annuel", organisation=caf)
    assert measurement.value == Decimal(14)
    assert measurement.period.code == "2010"
    assert measurement.recorded_by == agent
    assert measurement.recorded_for == caf
    assert measurement.display_value == "14"


@pytest.mark.parametrize(
    ("indicator", "value", "field", "message"),
    [
        ("1A-1", "douze", "value", "« douze » n'est pas un nombre. Cet indicateur attend un nombre entier positif."),
        ("1A-1", "2,5", "value", "« 2,5 » n'est pas un nombre entier ; cet indicateur compte des unités."),
        ("1A-1", "-3", "value", "La valeur ne peut pas être négative ; attendu un nombre entier positif."),
        ("1A-2", "120", "value", "« 120 » dépasse 100 % ; indiquez un pourcentage entre 0 et 100."),
        ("1A-2", "", "value", "Indiquez une valeur."),
    ],
)
def test_wrong_value_for_unit(plan, indicator, value, field, message):
    with pytest.raises(ValidationError) as excinfo:
        record(indicator, value=value)
    assert excinfo.value.message_dict[field] == [message]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2014", "La période 2014 est hors du plan (2008-2012). Choisissez une période du plan."),
        ("2010T5", "Période « 2010T5 » non reconnue"),
        ("2010T2", "Cet indicateur est suivi de façon annuelle : une mesure pour « 2e trimestre 2010 »"),
    ],
)
def test_wrong_period(plan, period, message):
    with pytest.raises(ValidationError) as excinfo:
        record("1A-1", period=period)
    assert excinfo.value.message_dict["period"][0].startswith(message)
    assert not Measurement.objects.exists()


def test_duplicate_is_refused_and_territory_is_distinct(plan):
    record("2A-1", value="3")
    with pytest.raises(ValidationError) as excinfo:
        record("2A-1", value="4")
    assert excinfo.value.message_dict["period"][0].startswith("Une mesure existe déjà pour Année 2010 : 3")
    lmm = plan.territories.get(code="LMM")
    record("2A-1", value="2", territory=lmm)
    assert Measurement.objects.count() == 2


def test_source_required(plan):
    with pytest.raises(ValidationError) as excinfo:
        record("1A-1", source="  ")
    assert "source" in excinfo.value.message_dict


def test_who_may_record(plan):
    caf = Organisation.objects.get(code="CAF72")
    assert Indicator.objects.recordable_by(member_of(caf)).filter(code="1A-1").exists()
    outsider = member_of(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        record("1A-1", user=outsider)
    # The DDE is responsible for 2A, not for 1A.
    dde_agent = member_of(Organisation.objects.get(code="DDE72"))
    assert set(Indicator.objects.recordable_by(dde_agent).values_list("code", flat=True)) == {"2A-1"}
    observatory = member_of(OrganisationFactory(), role=Role.OBSERVATORY)
    assert Indicator.objects.recordable_by(observatory).count() == 3
    assert not Measurement.objects.exists()


def test_a_measurement_is_corrected_with_its_reason_and_history(plan, django_capture_on_commit_callbacks):
    from toit.observatory.models import ComputationRun
    from toit.plans.measurements import cancel_measurement, correct_measurement

    caf = Organisation.objects.get(code="CAF72")
    agent = member_of(caf)
    measurement = record("1A-1", user=agent, value="41", organisation=caf)
    with django_capture_on_commit_callbacks(execute=True):
        correct_measurement(measurement, agent, "Chiffres inversés : 14 et non 41", value="14")
    measurement.refresh_from_db()
    assert measurement.value == Decimal(14)
    versions = list(measurement.history.order_by("history_id"))
    assert [v.value for v in versions] == [Decimal(41), Decimal(14)]
    assert versions[-1].history_change_reason == "Chiffres inversés : 14 et non 41"
    assert ComputationRun.objects.filter(plan=measurement.indicator.plan, requested_by=agent).count() == 1
    with pytest.raises(ValidationError) as error:
        correct_measurement(measurement, agent, "Chiffres inversés", value="douze")
    assert "n'est pas un nombre" in error.value.message_dict["value"][0]
    with pytest.raises(ValidationError, match="motif"):
        correct_measurement(measurement, agent, "", value="15")
    with pytest.raises(ValidationError, match="Aucune modification"):
        correct_measurement(measurement, agent, "Chiffres inversés", value="14")
    cancel_measurement(measurement, agent, "Saisie en double")
    assert not Measurement.objects.filter(pk=measurement.pk).exists()


def test_a_measurement_of_another_organisation_is_not_corrected(plan):
    from toit.plans.measurements import cancel_measurement, correct_measurement

    caf = Organisation.objects.get(code="CAF72")
    measurement = record("1A-1", user=member_of(caf), value="41", organisation=caf)
    stranger = member_of(OrganisationFactory(code="AUTRE"))
    with pytest.raises(PermissionDenied):
        correct_measurement(measurement, stranger, "Chiffres inversés", value="14")
    # Another organisation responsible for the same action records it, but does not
    # correct what the CAF recorded.
    other = OrganisationFactory(code="CO-RESPONSABLE")
    measurement.indicator.action.responsible.add(other)
    colleague_elsewhere = member_of(other)
    with pytest.raises(PermissionDenied, match="CAF"):
        cancel_measurement(measurement, colleague_elsewhere, "Saisie en double")
    observatory = member_of(OrganisationFactory(code="OBS"), role=Role.OBSERVATORY)
    correct_measurement(measurement, observatory, "Chiffres inversés", value="14")


# --- Base of a non-count value (issue 10): the count of units the rate or amount rests on.


def test_a_rate_is_recorded_with_its_base_and_a_count_has_none(plan):
    rate = record("1A-2", value="33,5", base="1 230")
    assert (rate.value, rate.base, rate.lacks_base) == (Decimal("33.5"), 1230, False)
    without = record("1A-2", period="2011", value="40")
    assert (without.base, without.lacks_base) == (None, True)
    count = record("1A-1", value="14")
    assert (count.base, count.lacks_base) == (None, False)


@pytest.mark.parametrize(
    ("indicator", "value", "base", "message"),
    [
        ("1A-2", "40", "-3", "L'effectif de base ne peut pas être négatif ; indiquez un entier (ex. 42)."),
        (
            "1A-2",
            "40",
            "2,5",
            "« 2,5 » n'est pas un nombre entier ; l'effectif de base compte des ménages, logements ou places.",
        ),
        (
            "1A-2",
            "40",
            "trente",
            "« trente » n'est pas un nombre. Indiquez le nombre d'unités concernées, un entier (ex. 42).",
        ),
        (
            "1A-2",
            "40",
            "0",
            "Une valeur non nulle ne peut pas porter sur 0 unité : indiquez l'effectif réel, "
            "ou laissez le champ vide s'il n'est pas connu.",
        ),
        (
            "1A-1",
            "14",
            "14",
            "Cet indicateur est un effectif (ou un texte) : il n'a pas d'effectif de base ; laissez ce champ vide.",
        ),
    ],
)
def test_wrong_base(plan, indicator, value, base, message):
    with pytest.raises(ValidationError) as excinfo:
        record(indicator, value=value, base=base)
    assert excinfo.value.message_dict["base"] == [message]
    assert not Measurement.objects.exists()


def test_a_zero_rate_may_rest_on_zero_units(plan):
    assert record("1A-2", value="0", base="0").base == 0


def test_the_base_is_corrected_with_its_reason_and_history(plan):
    from toit.plans.measurements import correct_measurement

    caf = Organisation.objects.get(code="CAF72")
    agent = member_of(caf)
    measurement = record("1A-2", user=agent, value="40", organisation=caf)
    correct_measurement(measurement, agent, "Effectif du bilan CAF reçu", base="30")
    measurement.refresh_from_db()
    assert (measurement.value, measurement.base) == (Decimal(40), 30)
    with pytest.raises(ValidationError) as error:
        correct_measurement(measurement, agent, "Effectif corrigé", base="-1")
    assert error.value.message_dict["base"] == [
        "L'effectif de base ne peut pas être négatif ; indiquez un entier (ex. 42)."
    ]
    with pytest.raises(ValidationError, match="Aucune modification"):
        correct_measurement(measurement, agent, "Effectif corrigé", base="30")
    # A new value is checked against the base it keeps.
    correct_measurement(measurement, agent, "Effectif inconnu finalement", base="0", value="0")
    with pytest.raises(ValidationError) as error:
        correct_measurement(measurement, agent, "Taux corrigé", value="12")
    assert "0 unité" in error.value.message_dict["base"][0]
    # An empty base removes it: the value goes back to unpublished.
    correct_measurement(measurement, agent, "Effectif douteux", base="", value="12")
    measurement.refresh_from_db()
    assert (measurement.value, measurement.base, measurement.lacks_base) == (Decimal(12), None, True)
    versions = list(measurement.history.order_by("history_id"))
    assert [(v.value, v.base) for v in versions] == [
        (Decimal(40), None),
        (Decimal(40), 30),
        (Decimal(0), 0),
        (Decimal(12), None),
    ]
    assert [v.history_change_reason for v in versions[1:]] == [
        "Effectif du bilan CAF reçu",
        "Effectif inconnu finalement",
        "Effectif douteux",
    ]


def test_the_admin_corrects_the_base_with_a_reason_and_refuses_one_for_a_count(plan, admin_client):
    from django.urls import reverse

    rate = record("1A-2", value="40")
    url = reverse("admin:plans_measurement_change", args=[rate.pk])
    data = {"value": "40", "text_value": "", "source": "CAF", "comment": "", "reason": "Effectif du bilan reçu"}
    assert admin_client.post(url, data | {"base": "30"}).status_code == 302
    rate.refresh_from_db()
    assert rate.base == 30
    assert rate.history.order_by("-history_id").first().history_change_reason == "Effectif du bilan reçu"
    refused = admin_client.post(url, data | {"value": "41", "base": "0"})
    assert refused.status_code == 200 and "ne peut pas porter sur 0 unité" in refused.text
    count = record("1A-1", value="14")
    url = reverse("admin:plans_measurement_change", args=[count.pk])
    refused = admin_client.post(url, data | {"value": "14", "base": "14"})
    assert refused.status_code == 200 and "il n&#x27;a pas d&#x27;effectif de base" in refused.text
    count.refresh_from_db()
    assert count.base is None
    rate.refresh_from_db()
    assert (rate.value, rate.base) == (Decimal(40), 30)
