"""The transcription of the PDALPD de la Sarthe 2008-2012 (plans/pdalpd-sarthe-2008-2012.yaml).

The expected counts and values below were read by hand from the plan's text (the 20 "fiches
objectifs"), not from the YAML, so that a slip in the transcription shows up here."""

import os
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from toit.plans.schema import PlanFile

REPO = Path(__file__).resolve().parents[2]
PLAN_FILE = REPO / "plans" / "pdalpd-sarthe-2008-2012.yaml"
# The seeds live beside the repository (../shared/seeds); TOIT_SEEDS_DIR points elsewhere
# (a git worktree one level deeper). Tests that need them are skipped when absent.
SEEDS_DIR = Path(os.environ.get("TOIT_SEEDS_DIR") or REPO.parent / "shared" / "seeds")
SEED_FILE = SEEDS_DIR / "000_659bda0e9022f028.txt"

ORIENTATIONS = {
    "1": "La prévention de la perte du logement",
    "2": "L'amélioration de l'offre de logements pour les plus défavorisés",
    "3": "L'accès au logement des ménages cumulant des difficultés",
    "4": "Pilotage et connaissance",
}
ACTIONS = {
    "1": ["1A", "1B", "1C", "1D", "1E", "1F"],
    "2": ["2A", "2B", "2C", "2D", "2E", "2F", "2G"],
    "3": ["3A", "3B", "3C", "3D"],
    "4": ["4A", "4B", "4C"],
}
# One indicator per measure named in each sheet's "Indicateurs d'évaluation" (sentences that
# list several measures are split; 4B has one indicator, the data sent to the committee).
INDICATORS_PER_SHEET = {
    "1A": 3,  # tiers payant, séances d'information, ménages aidés par le FSL
    "1B": 6,  # plans mis en place, respectés, relogements, diagnostics, concours accordés, taux
    "1C": 5,  # assignations, commandements, réquisitions, concours demandés, concours refusés
    "1D": 2,
    "1E": 3,
    "1F": 5,
    "2A": 1,
    # signalements, sortis de l'indignité, dont maintenus, observatoire, interdits, bailleurs, then the
    # PO/PB split of « sortis » and « dont maintenus » the sheet asks for (2B-7 to 2B-10)
    "2B": 10,
    "2C": 1,
    # maisons relais, places, partenariats, entrées, sorties, motifs d'entrée (4 groupes) et de
    # sortie (4 groupes), taux d'occupation: the motives are counted per group of reasons
    "2D": 14,
    "2E": 2,  # hébergements, logements
    "2F": 2,
    "2G": 16,  # établissements, places, taux, coût place, entrées, sorties, motifs 4 + 4, durée, partenariats
    "3A": 5,  # définition, suivi du contingent, ACD, suivi PLA-I, charte
    "3B": 2,
    "3C": 7,  # the six bullets, « Nombre et part » split in two
    "3D": 2,
    "4A": 4,
    "4B": 1,  # « Données trimestriellement et annuellement envoyées aux membres du Comité responsable »
    "4C": 2,
}
TOTAL_INDICATORS = 93

EVICTION_COUNTS = (
    "Évolution du nombre : - des assignations, commandement de quitter les lieux, réquisition de la force "
    "publique, - de concours de la force publique demandés, - de concours de la force publique refusés"
)
PO_PB = (
    "Nombre de logements occupés sortis de l'indignité dont occupants maintenus dans les lieux "
    "(en distinguant Propriétaires occupants et Propriétaires bailleurs)"
)
# Labels made by splitting one sentence of the sheet: the sentence fragment they come from.
SPLIT_FROM = {
    "1B-2": "Nombre de plans d'apurement mis en place et respectés",
    "1C-1": EVICTION_COUNTS,
    "1C-2": EVICTION_COUNTS,
    "1C-3": EVICTION_COUNTS,
    "1C-4": EVICTION_COUNTS,
    "1C-5": EVICTION_COUNTS,
    **{f"2B-{n}": PO_PB for n in range(7, 11)},
    "2D-1": "Nombre de maison relais et de places créées",
    "2D-2": "Nombre de maison relais et de places créées",
    "2D-4": "Nombre et motifs d'entrée et de sortie",
    "2D-5": "Nombre et motifs d'entrée et de sortie",
    "2E-1": "Nombre d'hébergement, de logements mis en place",
    "2E-2": "Nombre d'hébergement, de logements mis en place",
    "2G-1": "Nombre d'établissements et de places créées",
    "2G-2": "Nombre d'établissements et de places créées",
    "2G-5": "Nombre et motifs des entrées et sorties",
    "2G-6": "Nombre et motifs des entrées et sorties",
    "3A-1": "Définition et suivi du contingent préfectoral",
    "3A-2": "Définition et suivi du contingent préfectoral",
    "3A-4": "Mise en place de l'ACD, du suivi de l'attribution des PLA-I",
    "3C-3": "Nombre et part des baux glissants conclus suivant le nouveau type de document",
    "3C-4": "Nombre et part des baux glissants conclus suivant le nouveau type de document",
}


# Motives are split by group of reasons: « Motifs d'entrée : rue ou hébergement d'urgence ».
# The part before the colon comes from the sheet; the groups are Toit's (toit.accommodation.enums).
MOTIVES = {
    **{f"2D-{n}": "Nombre et motifs d'entrée et de sortie" for n in range(6, 14)},
    **{f"2G-{n}": "Nombre et motifs des entrées et sorties" for n in range(7, 15)},
}


def _plan():
    return PlanFile.model_validate(YAML(typ="safe").load(PLAN_FILE.read_text(encoding="utf-8")))


def _actions(plan):
    return {a.code: a for o in plan.orientations for a in o.actions}


def _indicators(plan):
    return {i.code: i for o in plan.orientations for a in o.actions for i in a.indicators}


def _targets(plan, indicator):
    return [t for t in plan.targets if t.indicator == indicator]


def _normalise(text):
    return re.sub(r"\s+", " ", text).strip().casefold()


def _stems(text):
    """Words of 3+ letters, with a trailing plural "s" then a trailing "e" dropped, so that a
    split label ("Nombre d'établissements créés") matches its fragment ("... places créées")."""
    stems = set()
    for word in re.findall(r"\w+", unicodedata.normalize("NFC", text.casefold())):
        if len(word) >= 3:
            word = word.removesuffix("s").removesuffix("e")
            stems.add(word)
    return stems


def test_orientations_and_their_codes():
    plan = _plan()
    assert {o.code: o.title for o in plan.orientations} == ORIENTATIONS
    assert [o.code for o in plan.orientations] == ["1", "2", "3", "4"]


def test_exactly_the_twenty_action_sheets():
    plan = _plan()
    assert {o.code: [a.code for a in o.actions] for o in plan.orientations} == ACTIONS
    assert len(_actions(plan)) == 20


def test_indicator_counts_per_sheet_and_in_total():
    plan = _plan()
    assert {code: len(a.indicators) for code, a in _actions(plan).items()} == INDICATORS_PER_SHEET
    assert sum(INDICATORS_PER_SHEET.values()) == TOTAL_INDICATORS
    assert len(_indicators(plan)) == TOTAL_INDICATORS


COMPUTED_1A_1F = {
    "1A-3": "eviction.fsl_private_stay_households",
    "1B-1": "eviction.repayment_plans_started",
    "1B-2": "eviction.repayment_plans_respected",
    "1B-3": "eviction.rehousings",
    "1B-4": "eviction.complete_diagnoses",
    "1B-5": "eviction.assistance_granted",
    "1B-6": "eviction.order_to_leave_rate",
    "1C-1": "eviction.assignations",
    "1C-2": "eviction.orders_to_leave",
    "1C-3": "eviction.requisitions",
    "1C-4": "eviction.assistance_requested",
    "1C-5": "eviction.assistance_refused",
    "1D-1": "eviction.homeowners_in_difficulty",
    "1E-1": "eviction.overindebted_fsl_households",
    "1F-1": "eviction.debt_remissions",
    "1F-2": "eviction.agreements_after_compensation",
    "1F-3": "eviction.contentious_amicable_ratio",
    "1F-4": "eviction.occupation_indemnities",
    "1F-5": "eviction.assistance_granted",
    # Dwellings, substandard housing, PST and energy (toit.dwellings).
    "2A-1": "dwellings.pst_made_available",
    "2B-1": "dwellings.landlord_reports",
    "2B-2": "dwellings.occupied_exits",
    "2B-3": "dwellings.occupied_exits_kept",
    "2B-4": "dwellings.followed",
    "2B-5": "dwellings.interdictions",
    "2B-6": "dwellings.indelicate_landlords",
    "2B-7": "dwellings.occupied_exits",
    "2B-8": "dwellings.occupied_exits",
    "2B-9": "dwellings.occupied_exits_kept",
    "2B-10": "dwellings.occupied_exits_kept",
    "2C-1": "dwellings.energy_renovated",
    # Steering data kept by Toit (committees, observatory orders).
    "4A-2": "steering.meetings_held",
    "4A-3": "steering.observatory_orders",
    "4C-1": "steering.observatory_orders",
    # The follow-up reports the observatory publishes.
    "4B-1": "observatory.reports_published",
    # Priority access (issue 13); 3A-1, 3A-3, 3A-4, 3A-5 are judgements and stay manual.
    "3A-2": "priority_access.contingent_allocations",
    "3B-1": "priority_access.project_followed",
    "3B-2": "priority_access.project_rehoused",
    "3C-1": "priority_access.sliding_lease_charter_signatories",
    "3C-2": "priority_access.sliding_lease_operators",
    "3C-3": "priority_access.sliding_leases_standard_contract",
    "3C-4": "priority_access.sliding_leases_standard_contract_share",
    "3C-5": "priority_access.sliding_leases_glided_on_time",
    "3C-6": "priority_access.sliding_lease_disputes",
    "3C-7": "priority_access.sliding_lease_exit_ratio",
    "3D-1": "priority_access.mous_coverage",
    "3D-2": "priority_access.mous_rehoused",
}


COMPUTED_2D_2G = {
    "2D-1": "accommodation.structures_opened",
    "2D-2": "accommodation.places_created",
    "2D-3": "accommodation.partnerships",
    "2D-4": "accommodation.entries",
    "2D-5": "accommodation.exits",
    **{f"2D-{n}": "accommodation.entries" for n in range(6, 10)},
    **{f"2D-{n}": "accommodation.exits" for n in range(10, 14)},
    "2D-14": "accommodation.occupancy_rate",
    "2E-1": "accommodation.youth_offer",
    "2E-2": "accommodation.youth_offer",
    "2F-1": "accommodation.projects",
    "2F-2": "accommodation.projects",
    "2G-1": "accommodation.structures_opened",
    "2G-2": "accommodation.places_created",
    "2G-3": "accommodation.occupancy_rate",
    "2G-4": "accommodation.cost_per_place",
    "2G-5": "accommodation.entries",
    "2G-6": "accommodation.exits",
    **{f"2G-{n}": "accommodation.entries" for n in range(7, 11)},
    **{f"2G-{n}": "accommodation.exits" for n in range(11, 15)},
    "2G-15": "accommodation.mean_length_of_stay",
    "2G-16": "accommodation.partnerships",
}


def test_accommodation_indicators_are_all_computed_with_a_metric_of_their_unit():
    from toit.metrics.registry import registry

    indicators = _indicators(_plan())
    sheets = [i for code, i in indicators.items() if code[:2] in ("2D", "2E", "2F", "2G")]
    assert {i.code for i in sheets} == set(COMPUTED_2D_2G)
    for indicator in sheets:
        assert indicator.kind == "computed", indicator.code
        assert indicator.metric == COMPUTED_2D_2G[indicator.code], indicator.code
        assert registry.get(indicator.metric).unit == indicator.unit, indicator.code
    origins = [indicators[f"2D-{n}"].params["origin"] for n in range(6, 10)]
    assert origins == ["sans_abri", "institution", "logement", "parcours"]


def test_eviction_indicators_name_registered_metrics_of_the_right_unit():
    from toit.metrics.registry import registry

    indicators = _indicators(_plan())
    for code, key in COMPUTED_1A_1F.items():
        assert indicators[code].metric == key
        assert registry.get(key).unit == indicators[code].unit, code
    # What Toit has no data for stays a manual entry.
    assert {indicators[c].kind for c in ("1A-2", "1D-2", "1E-2", "1E-3")} == {"manual"}
    # 1A-1 is the CAF's statistic of all its recipients, entered with its provenance: counting
    # the households that have a file would only follow the opening of files.
    assert indicators["1A-1"].kind == "manual"
    # 1B's plans are its instrument's: the debt settlement contract against the force publique.
    assert indicators["1B-1"].params == indicators["1B-2"].params == {"kind": "contre_non_octroi"}
    assert "CAF" in indicators["1A-1"].note


def test_references_are_declared_and_codes_unique():
    plan = _plan()
    organisations = [o.code for o in plan.organisations]
    assert len(set(organisations)) == len(organisations)
    codes = [i.code for o in plan.orientations for a in o.actions for i in a.indicators]
    assert len(set(codes)) == len(codes)
    for action in _actions(plan).values():
        assert set(action.responsible) <= set(organisations), action.code
        assert set(action.partners) <= set(organisations), action.code
        for n, indicator in enumerate(action.indicators, start=1):
            assert indicator.code == f"{action.code}-{n}"
            # Sheets 1A-1F are computed from the eviction data where Toit holds it.
            computed = indicator.code in COMPUTED_1A_1F or indicator.code in COMPUTED_2D_2G
            assert indicator.kind == ("computed" if computed else "manual"), indicator.code
    territories = {t.code for t in plan.territories}
    for target in plan.targets:
        assert target.indicator in codes
        assert target.territory is None or target.territory in territories


def test_header_and_territories():
    plan = _plan()
    assert plan.plan.code == "pdalpd-sarthe-2008-2012"
    assert plan.plan.department == "72"
    assert (plan.plan.period.start, plan.plan.period.end) == (2008, 2012)
    territories = {t.code: (t.kind, t.ref) for t in plan.territories}
    assert territories["LMM"] == ("epci", "247200132")
    assert territories["HORS-LMM"] == ("hors_epci", "247200132")


def test_cost_amounts():
    actions = _actions(_plan())

    def amounts(code):
        return [(c.amount, c.per) for c in actions[code].cost.amounts]

    assert amounts("1B") == [(Decimal(42000), "year")]
    assert actions["1B"].cost.text == "42 000 € annuels en co-financement État et Conseil général."
    assert amounts("2B") == [(Decimal(5000), "year")]
    assert "10 diagnostics" in actions["2B"].cost.amounts[0].note
    assert amounts("2D") == [(Decimal(16), "place_day")]
    assert "État" in actions["2D"].cost.amounts[0].note
    assert amounts("3D") == [(Decimal(35000), "year")]
    # « Coût de fonctionnement de l'observatoire (50 467 €) »: the sheet gives no period.
    assert amounts("4C") == [(Decimal(50467), "unspecified")]
    # « Autres partenaires à associer par la suite » are not current partners.
    assert not {"CCAS", "CALS-PACT", "HD72"} & set(actions["2B"].partners)
    assert "par la suite" in actions["2B"].partners_note
    assert actions["1C"].cost.text == ""
    assert actions["3A"].cost.text == "Pas de coût induit"


def test_targets():
    plan = _plan()
    indicators = _indicators(plan)

    (rate,) = _targets(plan, "1B-6")
    assert indicators["1B-6"].label == "Taux de commandement de quitter les lieux/Assignations"
    assert indicators["1B-6"].unit == "percent"
    # A rate is judged on the plan's last year, not pooled over five years.
    assert (rate.comparator, rate.value, rate.period) == ("<=", Decimal(33), "2012")

    by_territory = {t.territory: (t.comparator, t.value, t.period) for t in _targets(plan, "2A-1")}
    assert by_territory == {"LMM": (">=", Decimal(30), "plan"), "HORS-LMM": (">=", Decimal(10), "plan")}

    (indignity,) = _targets(plan, "2B-2")
    assert (indignity.comparator, indignity.value, indignity.period) == (">=", Decimal(10), "yearly")

    adgesti, places = _targets(plan, "2D-2")
    assert (adgesti.value, adgesti.period) == (Decimal(17), "2010")
    # 17 places and 3 maisons relais of 15 to 20 places: the bounds are kept.
    assert (places.comparator, places.value, places.value_max, places.period) == (
        "between",
        Decimal(62),
        Decimal(77),
        "plan",
    )
    maisons_relais = {t.territory: t.value for t in _targets(plan, "2D-1")}
    assert maisons_relais == {None: Decimal(3), "LMM": Decimal(2), "HORS-LMM": Decimal(1)}

    # « une vingtaine par an » counts the projects that emerge (studied), not those set up.
    assert _targets(plan, "2F-1") == []
    (habitat_adapte,) = _targets(plan, "2F-2")
    assert (habitat_adapte.comparator, habitat_adapte.value, habitat_adapte.period) == (
        "about",
        Decimal(20),
        "yearly",
    )

    (rehousing,) = _targets(plan, "3B-2")
    assert (rehousing.value, rehousing.period) == (Decimal(10), "yearly")
    assert indicators["3B-2"].label == "Nombre de ménages effectivement relogés"

    # « Réduire » / « Diminuer »: lower than 2007, the year before the plan, judged on 2012.
    reductions = {t.indicator: (t.comparator, t.value, t.reference, t.period) for t in plan.targets if t.reference}
    assert reductions == {
        code: ("below_reference", Decimal(0), "2007", "2012") for code in ("1B-5", "1C-1", "1C-2", "1C-5")
    }

    assert len(plan.targets) == 15
    assert all(t.note for t in plan.targets)


def test_local_practices_are_declared_with_their_source():
    practices = {p.code: p for p in _plan().local_practices}
    assert {code: p.days for code, p in practices.items()} == {
        "diagnosis_before_hearing_days": 42,
        "contact_after_summons_days": 15,
    }
    assert all("fiche 1B ne fixe" in p.source or "sans fixer de délai" in p.source for p in practices.values())


def test_responsibles():
    plan = _plan()
    actions = _actions(plan)
    kinds = {o.code: o.kind for o in plan.organisations}
    names = {o.code: o.name for o in plan.organisations}
    (caf,) = actions["1A"].responsible
    assert kinds[caf] == "caf_msa"
    assert "allocations familiales" in names[caf]
    (prefecture,) = actions["1C"].responsible
    assert kinds[prefecture] == "etat"
    assert names[prefecture].startswith("Préfecture")
    assert actions["1C"].responsible_label == "Préfecture"
    assert actions["1E"].responsible_label == "Conseil général (Direction des Réseaux et du Logement)"
    # "\u2013" is the en dash the sheet puts between the two responsible bodies.
    assert actions["3C"].responsible_label == "Le Mans Métropole \u2013 Conseil Général"
    assert len(actions["3C"].responsible) == 2


def test_sample_labels_verbatim():
    indicators = _indicators(_plan())
    assert indicators["1A-2"].label == ("Nombre de séances d'information réalisées auprès des intervenants sociaux")
    assert indicators["1D-2"].label == "Effectivité des outils d'observation"
    assert indicators["1E-2"].label == "Adaptation du règlement intérieur du FSL"
    assert indicators["1E-2"].unit == "text"
    assert indicators["2D-3"].label == "Niveau de formalisation des partenariats"
    assert indicators["2B-6"].label == "Nombre de bailleurs indéclicats répertoriés"
    assert indicators["4B-1"].label == (
        "Données trimestriellement et annuellement envoyées aux membres du Comité responsable"
    )


def test_every_indicator_label_comes_from_the_text():
    if not SEED_FILE.exists():
        pytest.skip(
            f"the plan's source text ({SEED_FILE}) is not available in this checkout, so labels "
            "cannot be compared with it; the other tests still check the transcription"
        )
    seed = _normalise(SEED_FILE.read_text(encoding="utf-8"))
    for code, indicator in _indicators(_plan()).items():
        if code in MOTIVES:
            head = indicator.label.split(" : ")[0]
            assert not _stems(head) - _stems(MOTIVES[code]) - {"entrée", "sorti"}, (code, indicator.label)
        elif code in SPLIT_FROM:
            fragment = SPLIT_FROM[code]
            assert _normalise(fragment) in seed, (code, fragment)
            missing = _stems(indicator.label) - _stems(fragment)
            assert not missing, (code, indicator.label, missing)
        else:
            assert _normalise(indicator.label) in seed, (code, indicator.label)
