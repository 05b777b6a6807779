"""The follow-up reports are declared by each plan file (section `report`): the Sarthe's
sheet 4B is data, read back exactly as it was once hard-wired; a line naming an unknown
metric is refused at load time, since it would read « non disponible » for ever without
anyone noticing; a plan that declares nothing gets its computed indicators, sheet by sheet,
and its report says so."""

import datetime
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from ruamel.yaml import YAML

from tests.eviction.factories import EventFactory, HouseholdFactory, PreventionFileFactory
from toit.eviction.enums import EventKind
from toit.metrics.enums import Unit
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.reports import build
from toit.observatory.reports.definitions import (
    DEFAULT_NOTE,
    Line,
    Section,
    contents_for,
    unknown_metrics,
)
from toit.observatory.reports.pdf import report_html
from toit.observatory.reports.xlsx import render_xlsx
from toit.plans.enums import ReportKind
from toit.plans.loader import PlanValidationError, load, load_file, parse

SARTHE = Path(__file__).resolve().parents[2] / "plans" / "pdalpd-sarthe-2008-2012.yaml"

# The lines of sheet 4B as toit/observatory/reports/definitions.py hard-wired them before
# issue 14 (label, metric, indicator, unit), which the Sarthe plan file now declares.
SARTHE_QUARTERLY = [
    (
        "Suivi trimestriel",
        "Suivi trimestriel (fiche 4B)",
        True,
        [
            ("Demande locative sociale (demandes enregistrées)", "", "", Unit.COUNT),
            ("Ordonnances et jugements d'expulsion", "eviction.judgments", "", Unit.COUNT),
            ("Assignations", "eviction.assignations", "", Unit.COUNT),
            (
                "Enquêtes sociales pour expulsion (diagnostics sociaux et financiers complets)",
                "eviction.complete_diagnoses",
                "",
                Unit.COUNT,
            ),
        ],
        None,
    )
]
SARTHE_ANNUAL = [
    (
        "Suivi annuel",
        "Suivi annuel (fiche 4B)",
        True,
        [
            ("Attributions de logement sur le contingent préfectoral", "", "", Unit.COUNT),
            (
                "Contribution du FSL au maintien et au relogement des ménages menacés d'expulsion (€)",
                "eviction.fsl_eviction_amount",
                "",
                Unit.EUR,
            ),
            (
                "Ménages du parc privé aidés par le FSL pour le maintien dans le logement",
                "eviction.fsl_private_stay_households",
                "",
                Unit.COUNT,
            ),
            ("Relogements effectifs de ménages menacés d'expulsion", "eviction.rehousings", "", Unit.COUNT),
        ],
        None,
    ),
    (
        "Offre supplementaire",
        "Offre supplémentaire produite par type de logement",
        False,
        [
            ("Logements très sociaux (PLAI)", "", "", Unit.COUNT),
            ("Logements sociaux (PLUS)", "", "", Unit.COUNT),
            ("Logements intermédiaires (PLS)", "", "", Unit.COUNT),
            ("Logements privés conventionnés (ANAH)", "", "", Unit.COUNT),
            ("Places en maison relais ou résidence sociale", "", "", Unit.COUNT),
        ],
        ("Total de l'offre supplémentaire", "", "", Unit.COUNT),
    ),
    (
        "Hebergement",
        "Hébergement et logement adapté (fiches 2D à 2G)",
        True,
        [
            ("Places créées en maison relais ou résidence accueil", "", "2D-2", Unit.COUNT),
            ("Taux d'occupation des maisons relais", "", "2D-14", Unit.PERCENT),
            ("Places d'hébergement créées (fiche 2G)", "", "2G-2", Unit.COUNT),
            ("Taux d'occupation de l'hébergement", "", "2G-3", Unit.PERCENT),
            ("Coût par place de l'hébergement", "", "2G-4", Unit.EUR),
            ("Entrées en hébergement", "", "2G-5", Unit.COUNT),
            ("Sorties d'hébergement", "", "2G-6", Unit.COUNT),
            ("Dont sorties vers un logement ordinaire", "", "2G-11", Unit.COUNT),
            ("Durée moyenne de séjour", "", "2G-15", Unit.DAYS),
            ("Logements adaptés mis en place selon le guide (fiche 2F)", "", "2F-1", Unit.COUNT),
        ],
        None,
    ),
]


def _as_tuples(sections):
    def line(li):
        return (li.label, li.metric, li.indicator, li.unit) if li else None

    return [(s.key, s.title, s.trend, [line(li) for li in s.lines], line(s.total)) for s in sections]


def test_the_sarthe_plan_file_declares_exactly_the_former_4b_lines():
    plan = load_file(SARTHE).plan
    quarterly = contents_for(plan, ReportKind.QUARTERLY)
    annual = contents_for(plan, ReportKind.ANNUAL)
    assert quarterly.declared and annual.declared and not annual.note
    assert (quarterly.action.code, quarterly.action.title) == (
        "4B",
        "Organiser la connaissance et le suivi des situations",
    )
    assert _as_tuples(quarterly.sections) == SARTHE_QUARTERLY
    assert _as_tuples(annual.sections) == SARTHE_ANNUAL
    # The metrics they name exist (a metric unregistered since the load would show here).
    assert unknown_metrics(quarterly.sections + annual.sections) == []
    # No line points at an indicator of sheet 4B: its only indicator is the reports themselves.
    assert not any(li.indicator.startswith("4B") for s in annual.sections + quarterly.sections for li in s.lines)


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


def _with_report(text, report):
    yaml = YAML()
    tree = yaml.load(text)
    tree["report"] = report
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def test_a_report_line_on_an_unknown_metric_indicator_or_sheet_is_refused():
    report = {
        "action": "1D",
        "annual": [
            {
                "title": "Suivi",
                "lines": [
                    {"label": "Jugements", "metric": "eviction.judgement"},
                    {"label": "Assignations", "indicator": "1C-2"},
                    {"label": "Plans", "metric": "eviction.repayment_plans_started", "params": {"sort": "x"}},
                    # Issue 15: 1C-1's name over the judgments (or, before, a measurement
                    # hidden by a metric): two figures for one indicator.
                    {"label": "Assignations (1C)", "indicator": "1C-1", "metric": "eviction.judgments"},
                    {"label": "Assignations", "indicator": "1C-1", "metric": "eviction.assignations"},
                ],
            },
            {"title": "Indicateurs du plan", "lines": [{"label": "Rien"}]},
        ],
    }
    with pytest.raises(PlanValidationError) as excinfo:
        parse(_with_report(EVICTION_PLAN, report))
    messages = {e.path: e.message for e in excinfo.value.errors}
    assert messages["report.action"] == "fiche « 1D » inconnue ; vouliez-vous dire 1C ?"
    assert messages["report.annual[0].lines[0].metric"].startswith(
        "métrique « eviction.judgement » inconnue ; vouliez-vous dire eviction.judgments ?"
    )
    assert messages["report.annual[0].lines[1].indicator"] == "indicateur « 1C-2 » inconnu ; vouliez-vous dire 1C-1 ?"
    assert messages["report.annual[0].lines[2].params.sort"].startswith("paramètre « sort » inconnu")
    assert messages["report.annual[0].lines[3].metric"] == (
        "la ligne « Assignations (1C) » nomme l'indicateur 1C-1 (calculé par eviction.assignations) et la "
        "métrique eviction.judgments : elle afficherait un autre chiffre sous le nom de l'indicateur. Retirez "
        "metric (la ligne lit l'indicateur) ou indicator (elle lit la métrique)."
    )
    assert "report.annual[0].lines[4].metric" not in messages  # the indicator's own metric
    assert messages["report.annual[1].title"].startswith("l'onglet « Indicateurs du plan » est déjà pris")


def test_the_4b_assignations_are_the_figure_of_1c(territory):
    """« Assignations » read « non renseignée » on 4B while 1C showed the count: the line now
    reads the snapshot of the plan's indicator computing the same metric."""
    # The Sarthe's own quarterly lines, as its plan file declares them.
    sarthe_report = YAML().load(SARTHE.read_text(encoding="utf-8"))["report"]
    plan = load(parse(_with_report(EVICTION_PLAN, {"quarterly": sarthe_report["quarterly"]}))).plan
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


def test_a_plan_without_report_section_gets_its_computed_indicators_and_says_so(territory):
    plan = load(parse(EVICTION_PLAN)).plan
    assert plan.report_action is None
    file = PreventionFileFactory(household=HouseholdFactory(commune=territory["communes"][0]))
    EventFactory(
        file=file,
        kind=EventKind.SUMMONS,
        date=datetime.date(2010, 7, 1),
        hearing_date=datetime.date(2010, 9, 1),
    )
    engine.compute(plan, periods=[Period.parse("2010")])
    report = build.build_report(plan, ReportKind.ANNUAL, Period.parse("2010"), limit=1)
    assert report.note == DEFAULT_NOTE and report.action is None
    table = report.tables[0]
    assert (table.key, table.title) == ("Fiche 1C", "Fiche 1C — Actualiser la charte — année 2010")
    assert [(r.label, r.cells[-1].value) for r in table.rows] == [("1C-1 — Évolution du nombre des assignations", 1)]
    html = report_html(report)
    assert DEFAULT_NOTE in html
    assert "fiche 4b" not in html.casefold()
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(report)))
    assert "Fiche 1C" in workbook.sheet_names
    cover = {row[0]: row[1] for row in workbook.get_sheet_by_name("Présentation").to_python() if row}
    assert cover["Contenu"] == DEFAULT_NOTE
    # A quarterly report has no quarterly computed indicator to show here: only the plan's table.
    quarterly = build.build_report(plan, ReportKind.QUARTERLY, Period.parse("2010T3"), limit=1)
    assert [t.key for t in quarterly.tables] == ["Indicateurs du plan"]


def test_the_report_names_the_plan_s_own_sheet(territory):
    report = {
        "action": "1C",
        "annual": [{"title": "Suivi de la charte", "lines": [{"label": "Assignations", "indicator": "1C-1"}]}],
    }
    plan = load(parse(_with_report(EVICTION_PLAN, report))).plan
    data = build.build_report(plan, ReportKind.ANNUAL, Period.parse("2010"), limit=1)
    assert (data.action.code, data.note) == ("1C", "")
    html = report_html(data)
    assert "Suivi annuel du plan, fiche 1C « Actualiser la charte »." in " ".join(html.split())
    assert "fiche 4B" not in html
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(data)))
    assert workbook.sheet_names == ["Présentation", "Suivi de la charte", "Indicateurs du plan"]
    cover = {row[0]: row[1] for row in workbook.get_sheet_by_name("Présentation").to_python() if row}
    assert cover["Fiche"] == "1C — Actualiser la charte"
