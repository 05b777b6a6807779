"""A plan written by a French-speaking newcomer (tests/plans/data/orne-newcomer.yaml) loads
after exactly the changes its errors name, and then sits beside the Sarthe's without
changing it (issue 14)."""

import datetime
import io
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from toit.metrics.periods import Period
from toit.plans.enums import ReportKind
from toit.plans.loader import PlanValidationError, load, load_file, parse
from toit.plans.models import Plan, ReportLine

ROOT = Path(__file__).resolve().parents[2]
NEWCOMER = Path(__file__).parent / "data" / "orne-newcomer.yaml"
SARTHE = ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml"

SUGGESTION = re.compile(r"vouliez-vous dire (.+?) \?")
UNKNOWN_KEY = re.compile(r"^(\S+) : clé inconnue")
QUOTED = re.compile(r"« (.+?) »")
MOVE_TARGETS = "les cibles ne se déclarent pas dans l'indicateur"


def _loc(path):
    """`orientations[0].actions[1].targets` → ("orientations", 0, "actions", 1, "targets")."""
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path))


def _move_targets(text, paths):
    """What the message asks: the indicator's targets go to the top-level `targets`, each
    with `indicator: <code>`."""
    yaml = YAML()
    tree = yaml.load(text)
    for path in paths:
        loc = _loc(path)
        node = tree
        for part in loc[:-1]:
            node = node[part]
        for target in node.pop(loc[-1]):
            target.insert(0, "indicator", node["code"])
            tree.setdefault("targets", []).append(target)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def apply_fixes(text, errors):
    """Apply to `text` exactly what each error suggests; fail on an error that names no fix."""
    lines = text.splitlines(keepends=True)
    moves = []
    for error in errors:
        if MOVE_TARGETS in error.message:
            moves.append(error.path)
            continue
        suggestion = SUGGESTION.search(error.message)
        assert suggestion, f"l'erreur ne nomme pas sa correction : {error.format('plan')}"
        wrong = UNKNOWN_KEY.match(error.message) or QUOTED.search(error.message)
        assert wrong and error.line, error.format("plan")
        pattern = rf"(?<![\w.\-/]){re.escape(wrong[1])}(?![\w.\-/])"
        fixed, count = re.subn(pattern, suggestion[1], lines[error.line - 1], count=1)
        assert count == 1, f"« {wrong[1]} » absent de la ligne {error.line} : {lines[error.line - 1]!r}"
        lines[error.line - 1] = fixed
    text = "".join(lines)
    return _move_targets(text, moves) if moves else text


def corrected_text():
    """The newcomer's file after the rounds of errors and fixes, with every round's errors."""
    text = NEWCOMER.read_text(encoding="utf-8")
    rounds = []
    for _ in range(5):
        try:
            parse(text, NEWCOMER.name)
        except PlanValidationError as exc:
            rounds.append(exc.errors)
            text = apply_fixes(text, exc.errors)
        else:
            return text, rounds
    pytest.fail("le fichier ne se charge toujours pas après cinq séries de corrections")


def test_each_newcomer_mistake_is_named_with_its_fix():
    with pytest.raises(PlanValidationError) as excinfo:
        load_file(NEWCOMER)
    messages = {error.path: error.message for error in excinfo.value.errors}
    assert messages["plan.departement"] == "departement : clé inconnue ; vouliez-vous dire department ?"
    # Said once, by the unknown key, not also as « department : champ obligatoire absent ».
    assert "plan.department" not in messages
    assert messages["plan.period.debut"] == "debut : clé inconnue ; vouliez-vous dire start ?"
    assert (
        messages["plan.period.end"]
        == "« 30/06/2029 » : date au format AAAA-MM-JJ attendue ; vouliez-vous dire 2029-06-30 ?"
    )
    assert messages["organisations[2].kind"].startswith("valeur « caf » inconnue ; vouliez-vous dire caf_msa ?")
    assert messages["organisations[3].kind"].startswith(
        "valeur « bailleur » inconnue ; vouliez-vous dire bailleur_social ?"
    )
    assert messages["organisations[0].kind"].startswith("valeur « prefecture » inconnue ; vouliez-vous dire etat ?")
    action = "orientations[0].actions[0]"
    assert messages[f"{action}.cost.amounts[0].amount_eur"] == "amount_eur : clé inconnue ; vouliez-vous dire amount ?"
    assert messages[f"{action}.indicators[0].libelle"] == "libelle : clé inconnue ; vouliez-vous dire label ?"
    assert messages[f"{action}.indicators[1].unit"].startswith("valeur « nombre » inconnue ; vouliez-vous dire count ?")
    assert messages[f"{action}.indicators[1].periodicity"].startswith(
        "valeur « annuel » inconnue ; vouliez-vous dire year ?"
    )
    assert messages[f"{action}.indicators[1].targets"].startswith(
        "targets : les cibles ne se déclarent pas dans l'indicateur. Déplacez-les dans la section targets "
        "à la racine du fichier, chacune avec indicator: 1A-2"
    )
    assert messages["targets[0].period"] == (
        '« 2028-12-31 » est une date ; la période d\'une cible est une année ("2012") ou un trimestre '
        '("2012T3") ; vouliez-vous dire "2028" ?'
    )
    assert messages["report.annual[0].lignes"] == "lignes : clé inconnue ; vouliez-vous dire lines ?"
    # Every error says where: its line in the file.
    assert all(error.line for error in excinfo.value.errors)


def test_the_newcomer_plan_loads_after_exactly_the_suggested_fixes():
    text, rounds = corrected_text()
    # The shape first; then the department code, which YAML read as a number once the key
    # was right; then what only a well-shaped file shows: a near-miss organisation code and
    # metric name.
    assert len(rounds) == 3
    assert [error.message for error in rounds[1]] == [
        '« 61 » : texte attendu ; vouliez-vous dire "61" ? (entre guillemets)'
    ]
    third = {error.path: error.message for error in rounds[2]}
    assert third["orientations[0].actions[0].responsible[0]"] == (
        "organisation « CAF-61 » inconnue ; vouliez-vous dire CAF61 ? Sinon, déclarez-la dans la section organisations."
    )
    assert third["orientations[0].actions[0].indicators[0].metric"] == (
        "métrique « eviction.assignation » inconnue ; vouliez-vous dire eviction.assignations ? "
        "(manage.py toit_metrics les liste toutes)."
    )
    spec = parse(text)
    assert spec.plan.department == "61"
    assert [(t.indicator, t.comparator, t.period) for t in spec.targets] == [
        ("1A-1", "below_reference", "2028"),
        ("1A-2", ">=", "yearly"),
    ]


def _sarthe_state(plan):
    return {
        "plan": (plan.title, plan.department_code, plan.starts_on, plan.ends_on, plan.report_action.code),
        "actions": list(plan.actions.values_list("code", "title", "orientation__code")),
        "responsible": sorted(plan.actions.values_list("code", "responsible__code", "responsible__name")),
        "indicators": list(plan.indicators.values_list("code", "label", "unit", "periodicity", "metric_key")),
        "targets": sorted(
            plan.indicators.filter(targets__isnull=False).values_list("code", "targets__value", "targets__period")
        ),
        "territories": list(plan.territories.values_list("code", "kind", "ref")),
        "report": list(
            ReportLine.objects.filter(section__plan=plan).values_list(
                "section__kind", "section__tab", "label", "indicator__code", "metric_key", "unit", "is_total"
            )
        ),
    }


def test_the_newcomer_plan_loads_beside_the_sarthe_and_changes_nothing_of_it():
    sarthe = load_file(SARTHE).plan
    before = _sarthe_state(sarthe)
    text, _ = corrected_text()
    orne = load(parse(text)).plan

    assert Plan.objects.count() == 2
    assert _sarthe_state(Plan.objects.get(pk=sarthe.pk)) == before
    assert (orne.department_code, orne.starts_on, orne.ends_on) == (
        "61",
        datetime.date(2024, 7, 1),
        datetime.date(2029, 6, 30),
    )
    assert (orne.first_year, orne.last_year) == (2024, 2029)
    assert orne.period.label == "du 01/07/2024 au 30/06/2029"
    assert orne.report_action.code == "2A"
    assert list(
        ReportLine.objects.filter(section__plan=orne).values_list("section__kind", "label", "indicator__code")
    ) == [
        (ReportKind.ANNUAL, "Assignations", "1A-1"),
        (ReportKind.ANNUAL, "Jugements d'expulsion", "2A-1"),
        (ReportKind.ANNUAL, "Ménages accompagnés", "1A-2"),
    ]
    # Reloading the Sarthe afterwards leaves the Orne plan as it was, too.
    load_file(SARTHE)
    assert list(orne.actions.values_list("code", flat=True)) == ["1A", "2A"]
    assert ReportLine.objects.filter(section__plan=orne).count() == 3


def test_a_plan_on_dates_covers_the_quarters_and_years_it_overlaps():
    text, _ = corrected_text()
    spec = parse(text)
    period = Period.between(spec.plan.period.starts_on, spec.plan.period.ends_on)
    assert period.code == "2024-07-01/2029-06-30"
    assert Period.parse(period.code) == period
    assert [q.code for q in period.quarters()][:2] == ["2024T3", "2024T4"]
    assert period.quarters()[-1].code == "2029T2"
    assert [y.code for y in period.years()] == ["2024", "2025", "2026", "2027", "2028", "2029"]
    assert period.covers(Period.parse("2024")) and period.covers(Period.parse("2024T3"))
    assert not period.covers(Period.parse("2024T2"))

    # A target period outside the plan's dates is refused, with the plan's dates.
    too_early = re.sub(r"period: '2028'", "period: '2024T2'", text)
    assert too_early != text
    with pytest.raises(PlanValidationError) as excinfo:
        parse(too_early)
    (error,) = excinfo.value.errors
    assert error.message == "la période 2024T2 est hors de la durée du plan (du 01/07/2024 au 30/06/2029)."
    parse(re.sub(r"period: '2028'", "period: '2024T3'", text))


def test_a_plan_in_whole_years_keeps_its_codes():
    sarthe = load_file(SARTHE).plan
    assert (sarthe.starts_on, sarthe.ends_on) == (datetime.date(2008, 1, 1), datetime.date(2012, 12, 31))
    assert sarthe.period == Period.span(2008, 2012)
    assert (sarthe.period.code, sarthe.period.label) == ("2008-2012", "2008-2012")
    assert len(sarthe.period.quarters()) == 20
    assert not sarthe.covers(Period.parse("2013T1"))


def test_indicators_over_the_plan_period_count_from_its_first_day():
    """The Orne plan starts on 1 July 2024: its plan-period figure leaves out a June summons,
    which the year 2024 (a calendar year the plan follows) counts."""
    from tests.eviction.factories import EventFactory, HouseholdFactory, PreventionFileFactory
    from tests.territory.factories import CommuneFactory, DepartmentFactory
    from toit.eviction.enums import EventKind
    from toit.metrics.registry import MetricError
    from toit.observatory import engine
    from toit.observatory.models import IndicatorSnapshot

    orne = DepartmentFactory(code="61", name="Orne", region_code="28")
    alencon = CommuneFactory(department=orne, name="Alençon")
    text, _ = corrected_text()
    plan = load(parse(text)).plan
    for day in (datetime.date(2024, 6, 14), datetime.date(2024, 8, 1), datetime.date(2029, 6, 30)):
        file = PreventionFileFactory(household=HouseholdFactory(commune=alencon), opened_on=day)
        EventFactory(file=file, kind=EventKind.SUMMONS, date=day, hearing_date=day + datetime.timedelta(days=60))
    indicator = plan.indicators.get(code="1A-1")
    year_2024 = Period.parse("2024")
    result = engine.compute(plan, periods=[plan.period, year_2024], indicators=[indicator])
    assert not result.errors
    department = IndicatorSnapshot.objects.filter(indicator=indicator, territory_kind="departement")
    by_period = {s.period: s.value for s in department}
    assert by_period[plan.period] == 2  # 1 August 2024 and 30 June 2029
    assert by_period[year_2024] == 2  # 14 June and 1 August 2024
    # A quarter before the plan's first day is not one of its periods.
    with pytest.raises(MetricError, match="hors du plan"):
        engine.parse_period(plan, "2024T2")


def test_measurements_of_a_dated_plan_follow_its_dates():
    """A yearly measurement for 2024 belongs to a plan starting on 1 July 2024 (a reload keeps
    it), not to one moved to 2025; a quarter before the first day is refused."""
    from django.core.exceptions import ValidationError

    from toit.plans.measurements import record_measurement

    text, _ = corrected_text()
    plan = load(parse(text)).plan
    indicator = plan.indicators.get(code="1A-2")
    record_measurement(user=None, indicator=indicator, period="2024", value="40", source="CAF de l'Orne")
    whole = record_measurement(
        user=None, indicator=indicator, period=plan.period.code, value="160", source="CAF de l'Orne"
    )
    assert whole.period == plan.period and whole.period.code == "2024-07-01/2029-06-30"
    load(parse(text))  # same dates: nothing sticks out
    with pytest.raises(PlanValidationError, match=r"sortent de la nouvelle période du plan \(du 01/01/2025"):
        load(parse(text.replace("start: 2024-07-01", "start: 2025-01-01")))
    plan.refresh_from_db()
    assert plan.starts_on == datetime.date(2024, 7, 1)  # nothing written
    with pytest.raises(ValidationError, match="hors du plan"):
        record_measurement(user=None, indicator=indicator, period="2024T2", value="1", source="CAF de l'Orne")
