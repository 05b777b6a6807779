from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.plans.sample import SAMPLE_PLAN
from toit.metrics.registry import registry
from toit.organisations.models import Organisation
from toit.plans.loader import PlanValidationError, load, load_file, parse
from toit.plans.measurements import record_measurement
from toit.plans.models import Action, Indicator, Measurement, Orientation, Plan, Target


def write(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def nothing_written():
    return not (
        Plan.objects.exists()
        or Orientation.objects.exists()
        or Action.objects.exists()
        or Indicator.objects.exists()
        or Target.objects.exists()
        or Organisation.objects.exists()
    )


def test_sample_loads(tmp_path):
    report = load_file(write(tmp_path, SAMPLE_PLAN))
    plan = report.plan
    assert plan.orientations.count() == 2
    assert list(plan.actions.values_list("code", flat=True)) == ["1A", "2A"]
    assert plan.indicators.count() == 3
    action = plan.actions.get(code="1A")
    assert list(action.responsible.values_list("code", flat=True)) == ["CAF72"]
    assert action.cost_amounts.get().amount == Decimal(42000)
    target = Target.objects.get(indicator__code="2A-1")
    assert target.territory.code == "LMM"
    assert target.describe() == "au moins 30 sur la durée du plan (Le Mans Métropole)"


def test_malformed_yaml_is_refused_with_line(tmp_path):
    broken = SAMPLE_PLAN.replace("  title: PDALPD de test\n", "  title: [PDALPD de test\n")
    path = write(tmp_path, broken)
    with pytest.raises(PlanValidationError) as excinfo:
        load_file(path)
    message = excinfo.value.format()
    assert "YAML mal formé" in message
    assert "ligne" in message
    assert "Rien n'a été enregistré" in message
    assert nothing_written()


def test_unknown_organisation_code(tmp_path):
    path = write(tmp_path, SAMPLE_PLAN.replace("partners: [DDE72]", "partners: [DDE72, ANAH]"))
    with pytest.raises(PlanValidationError) as excinfo:
        load_file(path)
    (error,) = excinfo.value.errors
    assert error.path == "orientations[0].actions[0].partners[1]"
    assert error.line == 27
    assert error.message.startswith("organisation « ANAH » inconnue")
    assert f"{path}, ligne 27 — champ orientations[0].actions[0].partners[1]" in excinfo.value.format()
    assert nothing_written()


def test_duplicate_action_code(tmp_path):
    path = write(tmp_path, SAMPLE_PLAN.replace("      - code: 2A\n", "      - code: 1A\n"))
    with pytest.raises(PlanValidationError) as excinfo:
        load_file(path)
    messages = [e.message for e in excinfo.value.errors]
    assert "l'action « 1A » est déclarée deux fois. Chaque code doit être unique." in messages
    assert excinfo.value.errors[0].path == "orientations[1].actions[0].code"
    assert nothing_written()


def test_target_on_unknown_indicator(tmp_path):
    path = write(tmp_path, SAMPLE_PLAN.replace("  - indicator: 2A-1\n", "  - indicator: 2A-9\n"))
    with pytest.raises(PlanValidationError) as excinfo:
        load_file(path)
    (error,) = excinfo.value.errors
    assert error.path == "targets[2].indicator"
    assert error.message == (
        "cible rattachée à l'indicateur « 2A-9 », qui n'existe pas dans ce plan ; vouliez-vous dire 2A-1 ?"
    )
    assert nothing_written()


def test_shape_errors_are_in_french_with_paths():
    text = SAMPLE_PLAN.replace("unit: percent", "unit: pourcent").replace('  department: "72"\n', "")
    with pytest.raises(PlanValidationError) as excinfo:
        parse(text, "x.yaml")
    by_path = {e.path: e for e in excinfo.value.errors}
    assert by_path["plan.department"].message == "champ obligatoire absent."
    unit_error = by_path["orientations[0].actions[0].indicators[1].unit"]
    assert unit_error.message == (
        "valeur « pourcent » inconnue ; vouliez-vous dire percent ? (admises : count, ratio, percent, eur, days, text)."
    )
    assert unit_error.line == 39  # one line above was removed


def test_unknown_metric_is_refused():
    text = SAMPLE_PLAN.replace(
        "            unit: percent\n            periodicity: year\n",
        "            unit: percent\n            periodicity: year\n            kind: computed\n"
        "            metric: eviction.nexiste_pas\n",
    )
    with pytest.raises(PlanValidationError) as excinfo:
        parse(text)
    (error,) = excinfo.value.errors
    assert error.path == "orientations[0].actions[0].indicators[1].metric"
    assert "métrique « eviction.nexiste_pas » inconnue" in error.message


def test_known_metric_and_unknown_param():
    @registry.register("test.constant", label="Constante", unit="count", params={"sector": "secteur"})
    def constant(period, scope, sector=None):
        return 7

    try:
        computed = SAMPLE_PLAN.replace(
            "            unit: percent\n            periodicity: year\n",
            "            unit: percent\n            periodicity: year\n            kind: computed\n"
            "            metric: test.constant\n            params: {colour: red}\n",
        )
        with pytest.raises(PlanValidationError) as excinfo:
            parse(computed)
        assert excinfo.value.errors[0].message.startswith("paramètre « colour » inconnu de la métrique test.constant")
        spec = parse(computed.replace("colour: red", "sector: private"))
        load(spec)
        assert Indicator.objects.get(code="1A-2").metric_params == {"sector": "private"}
    finally:
        registry.unregister("test.constant")


def test_empty_and_non_utf8_files(tmp_path):
    with pytest.raises(PlanValidationError, match="le fichier est vide"):
        load_file(write(tmp_path, "  \n"))
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(SAMPLE_PLAN.encode("cp1252"))
    with pytest.raises(PlanValidationError, match="n'est pas en UTF-8"):
        load_file(latin)
    assert nothing_written()


def test_reload_updates_in_place_and_keeps_measurements(tmp_path):
    plan = load_file(write(tmp_path, SAMPLE_PLAN)).plan
    indicator = Indicator.objects.get(code="1A-1")
    record_measurement(user=None, indicator=indicator, period="2009", value="12", source="CAF")
    edited = SAMPLE_PLAN.replace("Nombre de séances d'information", "Nombre de séances d'information réalisées")
    report = load_file(write(tmp_path, edited))
    assert report.plan.pk == plan.pk
    assert report.updated["indicateurs"] == 1
    indicator.refresh_from_db()
    assert indicator.label == "Nombre de séances d'information réalisées"
    assert Measurement.objects.get().indicator_id == indicator.pk
    assert Plan.objects.count() == 1


def test_removing_an_indicator_with_measurements_is_refused(tmp_path):
    load_file(write(tmp_path, SAMPLE_PLAN))
    record_measurement(user=None, indicator=Indicator.objects.get(code="2A-1"), period="2010", value="4", source="DDE")
    without = SAMPLE_PLAN.replace(
        "        indicators:\n          - code: 2A-1\n            label: Nombre de logements mis à disposition\n"
        "            unit: count\n            periodicity: year\n",
        "        indicators: []\n",
    ).replace('  - indicator: 2A-1\n    comparator: ">="\n    value: 30\n    period: plan\n    territory: LMM\n', "")
    with pytest.raises(PlanValidationError, match="l'indicateur « 2A-1 » a disparu du fichier"):
        load_file(write(tmp_path, without))
    assert Indicator.objects.filter(code="2A-1").exists()
    assert Target.objects.count() == 3


def test_command_check_and_load(tmp_path, capsys):
    path = write(tmp_path, SAMPLE_PLAN)
    call_command("toit_plan", "check", str(path))
    assert "est valide : 2 orientations, 2 actions, 3 indicateurs, 3 cibles" in capsys.readouterr().out
    assert nothing_written()
    call_command("toit_plan", "load", str(path))
    assert Plan.objects.filter(code="pdalpd-test").exists()
    assert "; 3 cibles ; rapports de suivi : contenu par défaut (pas de section report)." in capsys.readouterr().out
    with pytest.raises(CommandError) as excinfo:
        call_command("toit_plan", "load", str(write(tmp_path, "format: 2\n", "bad.yaml")))
    assert "format" in str(excinfo.value)
    assert "Rien n'a été enregistré" in str(excinfo.value)


def test_an_unknown_key_with_nothing_close_lists_the_keys_allowed_there():
    with pytest.raises(PlanValidationError) as excinfo:
        parse(SAMPLE_PLAN.replace("  title: PDALPD de test\n", "  title: PDALPD de test\n  couleur: bleu\n"))
    (error,) = excinfo.value.errors
    assert (error.path, error.line) == ("plan.couleur", 5)
    assert error.message == "couleur : clé inconnue ; clés admises ici : code, title, department, period, source."


def test_a_french_date_in_the_plan_period_gets_its_iso_spelling():
    with pytest.raises(PlanValidationError) as excinfo:
        parse(SAMPLE_PLAN.replace("period: {start: 2008, end: 2012}", 'period: {start: "1/7/2008", end: 2012}'))
    (error,) = excinfo.value.errors
    assert error.message == "« 1/7/2008 » : date au format AAAA-MM-JJ attendue ; vouliez-vous dire 2008-07-01 ?"
    spec = parse(SAMPLE_PLAN.replace("period: {start: 2008, end: 2012}", "period: {start: 2008-07-01, end: 2012}"))
    assert (spec.plan.period.starts_on.isoformat(), spec.plan.period.ends_on.isoformat()) == (
        "2008-07-01",
        "2012-12-31",
    )
