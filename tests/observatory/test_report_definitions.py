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
    assert not any(line.indicator for line in all_lines())


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
