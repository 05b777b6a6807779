"""A plan territory is the perimeter of its period (issue 16, item 12): the plan file declares
an EPCI's composition of past years and lists the communes of a sheet's territory; the
loader refuses a commune the département does not have, with the file, line and field."""

import datetime

import pytest

from tests.plans.sample import SAMPLE_PLAN
from toit.metrics.periods import Period
from toit.plans.loader import PlanValidationError, load, parse
from toit.plans.models import Indicator, PlanTerritory, Target

NINE = ["72003", "72008", "72054", "72095", "72181", "72213", "72257", "72260", "72328"]

PERIMETER = """    ref: "247200132"
    perimeters:
      - from: 2008
        until: 2012
        label: "communauté urbaine 2008-2012 : 9 communes"
        communes: [{communes}]
  - code: HORS-LMM
    label: Reste du département
    kind: hors_epci
    ref: "247200132"
  - code: LCA
    label: Le Mans, Coulaines et Allonnes
    kind: communes
    communes: ["72181", "72095", "72003"]
"""


def with_perimeter(communes=NINE):
    listed = ", ".join(f'"{c}"' for c in communes)
    text = SAMPLE_PLAN.replace('    ref: "247200132"\n', PERIMETER.format(communes=listed), 1)
    # 1A-2 is the sheet's rate, on its own territory; 2A-1's target names LMM.
    return text.replace(
        "            label: Taux de commandement de quitter les lieux / assignations\n",
        "            label: Taux de commandement de quitter les lieux / assignations\n            territory: LCA\n",
    )


def errors_of(text):
    with pytest.raises(PlanValidationError) as excinfo:
        parse(text, "plan.yaml")
    return {e.path: e for e in excinfo.value.errors}


def test_the_perimeter_is_the_epci_and_its_complement_for_the_periods_inside_its_dates():
    plan = load(parse(with_perimeter())).plan
    lmm, rest = plan.territories.get(code="LMM"), plan.territories.get(code="HORS-LMM")
    # Declared on LMM, it holds for its complement too: the split of the département is one.
    assert rest.perimeters == lmm.perimeters
    assert lmm.perimeters[0]["starts_on"] == "2008-01-01" and lmm.perimeters[0]["ends_on"] == "2012-12-31"
    for code in ("2010", "2012T4", "2008-2012"):
        assert lmm.scope().at(Period.parse(code)).communes == tuple(NINE)
        assert rest.scope().at(Period.parse(code)).communes == tuple(NINE)
    # Aigné joined later: outside Le Mans Métropole in 2010, inside after the declared dates.
    assert not lmm.scope().at(Period.parse("2010")).contains("72001", "247200132")
    assert rest.scope().at(Period.parse("2010")).contains("72001", "247200132")
    for code in ("2013", "2007", "2012-2013"):  # outside, or not entirely inside, the dates
        assert lmm.scope().at(Period.parse(code)).communes is None
        assert lmm.scope().at(Period.parse(code)).contains("72001", "247200132")
    assert str(lmm.scope().at(Period.parse("2010"))) == (
        "Le Mans Métropole — communauté urbaine 2008-2012 : 9 communes"
    )
    assert str(lmm.scope().at(Period.parse("2013"))) == "Le Mans Métropole"
    target = Target.objects.select_related("territory", "indicator__plan").get(indicator__code="2A-1")
    assert target.describe() == (
        "au moins 30 sur la durée du plan (Le Mans Métropole — communauté urbaine 2008-2012 : 9 communes)"
    )


def test_a_sheet_territory_of_communes_and_the_targets_judged_there():
    plan = load(parse(with_perimeter())).plan
    lca = PlanTerritory.objects.get(plan=plan, code="LCA")
    assert lca.communes == ["72181", "72095", "72003"]
    scope = lca.scope()
    assert (scope.kind, scope.code, scope.communes) == ("communes", "LCA", ("72181", "72095", "72003"))
    assert scope.contains("72095", "247200132") and not scope.contains("72008", "247200132")
    rate = Indicator.objects.get(code="1A-2")
    assert rate.territory == lca
    # A target without a territory of its own is judged on its indicator's.
    assert Target.objects.get(indicator=rate).territory == lca
    assert Indicator.objects.get(code="1A-1").territory is None


def test_a_commune_unknown_or_outside_the_departement_is_refused_where_it_is_written():
    by_path = errors_of(with_perimeter([*NINE[:8], "72999", "61001"]))
    unknown = by_path["territories[0].perimeters[0].communes[8]"]
    assert unknown.message.startswith("commune « 72999 » inconnue dans le département 72 : citez le code INSEE")
    assert unknown.line == 16
    outside = by_path["territories[0].perimeters[0].communes[9]"]
    assert outside.message.startswith("la commune « 61001 » n'est pas du département du plan (72) : citez")
    assert len(by_path) == 2


def test_perimeters_and_communes_belong_to_their_kinds():
    text = SAMPLE_PLAN.replace('    ref: "247200132"\n', '    ref: "247200132"\n    communes: ["72181"]\n', 1)
    assert "pour la composition passée d'un EPCI, déclarez perimeters" in errors_of(text)["territories[0]"].message
    reversed_dates = with_perimeter().replace("from: 2008\n        until: 2012", "from: 2012\n        until: 2008")
    message = errors_of(reversed_dates)["territories[0].perimeters[0]"].message
    assert "la fin du périmètre (until) précède son début (from)" in message
    typo = with_perimeter().replace("        until: 2012", "        jusqu_a: 2012")
    assert "territories[0].perimeters[0].jusqu_a" in errors_of(typo)


def test_two_declarations_of_one_epcis_past_must_agree():
    text = with_perimeter().replace(
        '    kind: hors_epci\n    ref: "247200132"\n',
        '    kind: hors_epci\n    ref: "247200132"\n    perimeters:\n'
        '      - {from: 2008, until: 2011, communes: ["72181"]}\n',
    )
    message = errors_of(text)["territories[1].perimeters"].message
    assert "un EPCI a une seule composition passée" in message


def test_the_perimeter_dates_may_be_days():
    text = with_perimeter().replace("from: 2008\n        until: 2012", "from: 2009-07-01\n        until: 2012")
    plan = load(parse(text)).plan
    perimeter = plan.territories.get(code="LMM").scope().perimeters[0]
    assert (perimeter.starts_on, perimeter.ends_on) == (datetime.date(2009, 7, 1), datetime.date(2012, 12, 31))
    assert perimeter.holds_for(Period.parse("2009T3")) and not perimeter.holds_for(Period.parse("2009"))
