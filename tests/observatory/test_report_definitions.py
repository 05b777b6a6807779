"""The follow-up reports of sheet 4B name only metrics that exist: a line naming an unknown
metric would read « non disponible » for ever without anyone noticing."""

from toit.metrics.enums import Unit
from toit.observatory.reports.definitions import Line, Section, all_lines, unknown_metrics


def test_every_metric_named_by_the_reports_is_registered():
    assert unknown_metrics() == []


def test_the_eviction_lines_read_the_computed_eviction_metrics():
    metrics = {line.label: line.metric for line in all_lines()}
    assert metrics["Assignations"] == "eviction.assignations"
    assert metrics["Ordonnances et jugements d'expulsion"] == "eviction.judgments"
    assert metrics["Enquêtes sociales pour expulsion (diagnostics sociaux et financiers complets)"] == (
        "eviction.complete_diagnoses"
    )
    # No line points at an indicator of sheet 4B: its only indicator is the reports themselves.
    assert not any((line.indicator or "").startswith("4B") for line in all_lines())


def test_an_unknown_metric_or_parameter_is_reported():
    sections = [
        Section(
            key="Essai",
            title="Essai",
            lines=(
                Line("Jugements", metric="eviction.judgements"),
                Line("Plans", metric="eviction.repayment_plans_started", params={"sort": "amiable"}),
                Line("Sans source"),
            ),
            total=Line("Total", metric="eviction.assignations", unit=Unit.COUNT),
        )
    ]
    assert unknown_metrics(sections) == [
        ("Jugements", "métrique « eviction.judgements » inconnue"),
        ("Plans", "paramètre « sort » inconnu de eviction.repayment_plans_started"),
    ]


EVICTION_PLAN = """\
format: 1
plan: {code: pdalpd-4b, title: PDALPD 4B, department: "72", period: {start: 2008, end: 2012}}
organisations:
  - {code: PREF72, name: Préfecture de la Sarthe, kind: etat}
orientations:
  - code: "1"
    title: Prévenir
    actions:
      - code: 1C
        title: Actualiser la charte
        objective: Diminuer les assignations.
        responsible: [PREF72]
        indicators:
          - {code: 1C-1, label: Évolution du nombre des assignations, unit: count, periodicity: year,
             kind: computed, metric: eviction.assignations}
"""


def test_the_4b_assignations_are_the_figure_of_1c(monkeypatch, territory):
    """« Assignations » read « non renseignée » on 4B while 1C showed the count: the line now
    reads the snapshot of the plan's indicator computing the same metric."""
    import datetime

    from tests.eviction.factories import EventFactory, HouseholdFactory, PreventionFileFactory
    from toit.eviction.enums import EventKind
    from toit.metrics.periods import Period
    from toit.observatory import engine
    from toit.observatory.enums import ReportKind
    from toit.observatory.reports import build, definitions
    from toit.plans.loader import load, parse

    monkeypatch.setattr(build, "SECTIONS", definitions.SECTIONS)  # the Sarthe's own lines
    plan = load(parse(EVICTION_PLAN)).plan
    le_mans = territory["communes"][0]
    for day in (datetime.date(2010, 3, 1), datetime.date(2010, 7, 1), datetime.date(2010, 11, 2)):
        file = PreventionFileFactory(household=HouseholdFactory(commune=le_mans))
        EventFactory(file=file, kind=EventKind.SUMMONS, date=day, hearing_date=day + datetime.timedelta(days=60))
    quarter = Period.parse("2010T3")
    engine.compute(plan, periods=[quarter])
    report = build.build_report(plan, ReportKind.QUARTERLY, quarter, limit=1)
    table = next(t for t in report.tables if t.key == "Suivi trimestriel")
    summons = next(r for r in table.rows if r.label == "Assignations")
    assert (summons.cells[-1].value, summons.cells[-1].source) == (1, "calcul")
    demand = next(r for r in table.rows if r.label.startswith("Demande locative"))
    assert demand.cells[-1].display == "non disponible"
