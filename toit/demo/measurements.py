"""Synthetic manual measurements for the demo, every one flagged is_synthetic."""

import random
from decimal import Decimal

from django.db import transaction

from toit.metrics.enums import Unit
from toit.plans.enums import IndicatorKind, TargetPeriod
from toit.plans.models import Indicator, Measurement

SOURCE = "Données synthétiques de démonstration (aucune donnée réelle)"


@transaction.atomic
def create_demo_measurements(plan, *, seed=72, max_indicators=12):
    """Yearly values for the manual numeric indicators that carry a target (so statuses
    show every case), plus a few others, drawn around the target."""
    if Measurement.objects.filter(indicator__plan=plan, is_synthetic=True).exists():
        return 0  # already there: rerunning the demo must not change it
    rng = random.Random(seed)  # noqa: S311 - synthetic demo values, not security
    # Bases drawn apart, so the values stay those of earlier demos. Some are below the
    # disclosure threshold and some missing, so the demo's open data show both cases.
    bases = random.Random(seed + 1)  # noqa: S311 - synthetic demo values, not security
    indicators = (
        Indicator.objects.filter(plan=plan, kind=IndicatorKind.MANUAL)
        .exclude(unit=Unit.TEXT)
        .prefetch_related("targets")
        .order_by("position")
    )
    with_targets = [i for i in indicators if i.targets.all()]
    others = [i for i in indicators if not i.targets.all()][: max(0, max_indicators - len(with_targets))]
    existing = set(
        Measurement.objects.filter(indicator__plan=plan).values_list("indicator_id", "period_start", "territory_id")
    )  # real entries win: never add a synthetic value beside one
    to_create = []
    for indicator in [*with_targets, *others]:
        yearly_targets = [t for t in indicator.targets.all() if t.period == TargetPeriod.YEARLY and not t.territory_id]
        base = yearly_targets[0].value if yearly_targets else Decimal(rng.randint(5, 60))
        if indicator.unit == Unit.PERCENT:
            base = Decimal(rng.randint(25, 45))
        for year in plan.period.years():
            if (indicator.pk, year.start, None) in existing:
                continue
            if year.start.year == plan.last_year and rng.random() < 0.3:
                continue  # leave a few gaps: "non renseigné" is part of real life
            factor = Decimal(rng.randint(60, 130)) / 100
            value = (base * factor).quantize(Decimal("1") if indicator.unit == Unit.COUNT else Decimal("0.1"))
            to_create.append(
                Measurement(
                    indicator=indicator,
                    period_start=year.start,
                    period_end=year.end,
                    periodicity=year.kind,
                    value=value,
                    base=_demo_base(indicator, bases),
                    source=SOURCE,
                    comment="Valeur tirée au hasard autour de la cible.",
                    is_synthetic=True,
                )
            )
    Measurement.objects.bulk_create(to_create)
    return len(to_create)


def _demo_base(indicator, rng):
    """The number of households a synthetic rate or amount rests on: None for a count (its
    own base), sometimes unknown, sometimes too few to be published."""
    if indicator.unit in (Unit.COUNT, Unit.TEXT):
        return None
    draw = rng.random()
    if draw < 0.15:
        return None
    return rng.randint(3, 9) if draw < 0.3 else rng.randint(15, 120)
