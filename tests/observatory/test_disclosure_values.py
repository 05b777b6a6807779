"""Disclosure control of amounts, rates and durations: a value inherits the count of units
behind it (its base) and goes out only where that count would. Attacked like counts: the
reader knows every published value and, at worst, every published base (the base is often
a count indicator of the same plan), the additive relations of the territory tree, and
that counts are whole numbers with hidden ones ≥ 1."""

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.observatory.attackers import alternative_exists, by_subtraction, determined_by_linear_algebra, tree_equations
from toit.metrics.enums import Unit
from toit.metrics.periods import Period
from toit.observatory.publication import Publisher, effective_base
from toit.observatory.territories import Level

LIMIT = 11
PERIOD = Period.parse("2010")
counts = st.one_of(st.integers(0, 12), st.integers(0, 40))


@dataclass(frozen=True)
class Place:
    """A territory as the Publisher sees it."""

    key: str
    parent_key: str | None
    level: str

    @property
    def sensitive(self):
        return self.level != Level.DEPARTMENT


@st.composite
def trees(draw):
    """département → 1-3 plan territories → 0-4 communes, each with the number of households
    behind its figure and the amount paid to each of them; a base may be unknown."""
    places = [Place("dep", None, Level.DEPARTMENT)]
    payments = {}
    for i in range(draw(st.integers(1, 3))):
        places.append(Place(f"t{i}", "dep", Level.PLAN))
        communes = [Place(f"t{i}-c{j}", f"t{i}", Level.COMMUNE) for j in range(draw(st.integers(0, 4)))]
        places += communes
        for leaf in communes or [places[-1]]:
            payments[leaf.key] = draw(st.lists(st.integers(1, 5_000), min_size=0, max_size=draw(counts)))
    # Sums up the tree: households and amounts of every territory.
    households, amounts = {}, {}
    for place in reversed(places):
        below = [p.key for p in places if p.parent_key == place.key]
        if below:
            households[place.key] = sum(households[k] for k in below)
            amounts[place.key] = sum(amounts[k] for k in below)
        else:
            households[place.key] = len(payments[place.key])
            amounts[place.key] = sum(payments[place.key])
    unknown = draw(st.sets(st.sampled_from([p.key for p in places]), max_size=1))
    bases = {k: v for k, v in households.items() if k not in unknown}
    return places, households, amounts, bases


def publish(places, values, bases, unit):
    publisher = Publisher(places, LIMIT)
    return {p.key for p in places if not publisher.hidden("x", unit, "year", PERIOD, values, p.key, bases=bases)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.sampled_from([Unit.EUR, Unit.PERCENT, Unit.DAYS, Unit.RATIO]))
def test_no_value_goes_out_over_too_few_units_nor_unknown_ones(tree, unit):
    places, households, amounts, bases = tree
    values = {k: Decimal(amounts[k]) for k in amounts}
    published = publish(places, values, bases, unit)
    for key in published:
        assert bases.get(key) is not None, f"{key} publié sans effectif connu"
        assert not 0 < effective_base(values[key], bases[key]) < LIMIT, f"{key} publié sur {bases[key]} ménage(s)"
    # Large bases everywhere (or none at all): nothing is hidden, the département included.
    if len(bases) == len(households) and all(b == 0 or b >= LIMIT for b in bases.values()):
        assert published == set(households)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_no_hidden_base_or_amount_can_be_recovered(tree):
    """A total amount adds up along the tree like its households: both are attacked."""
    places, households, amounts, bases = tree
    values = {k: Decimal(amounts[k]) for k in amounts}
    published = publish(places, values, bases, Unit.EUR)
    hidden = {p.key for p in places} - published
    entries = [(p.key, p.parent_key, households[p.key], p.sensitive) for p in places]
    equations = tree_equations(entries)
    known_bases = {k: households[k] for k in published}
    assert not by_subtraction(equations, known_bases)
    assert not determined_by_linear_algebra(equations, known_bases, hidden)
    cap = max(households.values()) + 2
    # Zeros are never hidden, so a reader knows a hidden count is ≥ 1 — unless unknown
    # bases forced everything out (Publisher's fallback), zeros included.
    floor = 0 if any(households[k] == 0 for k in hidden) else 1
    for key in sorted(hidden):
        if households[key]:
            assert alternative_exists(equations, known_bases, households, key, cap=cap, floor=floor), (
                f"l'effectif de {key} ({households[key]}) est la seule valeur possible"
            )
    known_amounts = {k: amounts[k] for k in published}
    assert not by_subtraction(equations, known_amounts)
    assert not determined_by_linear_algebra(equations, known_amounts, hidden)


def test_one_household_in_a_commune_hides_its_amount_and_a_partner():
    places = [
        Place("dep", None, Level.DEPARTMENT),
        Place("a", "dep", Level.COMMUNE),
        Place("b", "dep", Level.COMMUNE),
        Place("c", "dep", Level.COMMUNE),
    ]
    values = {"dep": Decimal("43000"), "a": Decimal("1234.5"), "b": Decimal("20000"), "c": Decimal("21765.5")}
    bases = {"dep": 31, "a": 1, "b": 12, "c": 18}
    assert publish(places, values, bases, Unit.EUR) == {"dep", "c"}


def test_the_departement_is_not_exempt_for_a_value():
    places = [Place("dep", None, Level.DEPARTMENT)]
    assert publish(places, {"dep": Decimal("812")}, {"dep": 2}, Unit.EUR) == set()
    assert publish(places, {"dep": Decimal("812")}, {"dep": 11}, Unit.EUR) == {"dep"}
    # A count is: two households in the département is no secret.
    assert publish(places, {"dep": 2}, {}, Unit.COUNT) == {"dep"}


def test_unknown_base_is_never_published_and_zero_is():
    places = [Place("dep", None, Level.DEPARTMENT), Place("a", "dep", Level.COMMUNE)]
    assert publish(places, {"dep": Decimal("50"), "a": Decimal("50")}, {}, Unit.PERCENT) == set()
    # Nothing paid to nobody is no secret; an amount over « 0 » households is.
    assert publish(places, {"dep": Decimal("0"), "a": Decimal("0")}, {"dep": 0, "a": 0}, Unit.EUR) == {"dep", "a"}
    assert "a" not in publish(places, {"dep": Decimal("9"), "a": Decimal("9")}, {"dep": 40, "a": 0}, Unit.EUR)


def test_a_value_of_unknown_base_cannot_be_had_by_difference():
    places = [Place("dep", None, Level.DEPARTMENT), Place("a", "dep", Level.PLAN), Place("b", "dep", Level.PLAN)]
    values = {"dep": Decimal("20000"), "a": Decimal("12000"), "b": Decimal("8000")}
    # b's base is unknown: b is hidden, and dep − a would give it back, so a goes too.
    assert publish(places, values, {"dep": 20, "a": 12}, Unit.EUR) == {"dep"}


@st.composite
def manual_entries(draw):
    """What partners enter by hand for a rate (Measurement.base): a tree of true household
    counts, of which only some territories have a measurement, each with its base or
    without it (not known to the partner)."""
    places, households, _amounts, _bases = draw(trees())
    entered = draw(st.sets(st.sampled_from([p.key for p in places]), min_size=1))
    without_base = draw(st.sets(st.sampled_from(sorted(entered)), max_size=2))
    rates = {k: Decimal(draw(st.integers(0, 100))) if households[k] else Decimal(0) for k in entered}
    bases = {k: households[k] for k in entered if k not in without_base}
    return places, households, rates, bases


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manual_entries())
def test_manual_rates_go_out_only_over_enough_entered_units_and_hide_their_bases(entries):
    """Partners enter territories independently: the territories entered do not cover the
    tree, and some bases are missing. No rate goes out over a base that is missing or from
    1 to threshold − 1, and the reader who knows the tree's relations and the bases of the
    published rates gets none of the hidden ones back (the territories nobody entered are
    unknown to the reader as well)."""
    places, households, rates, bases = entries
    published = publish(places, rates, bases, Unit.PERCENT)
    for key in published:
        assert key in bases, f"{key} publié sans effectif de base"
        assert not 0 < effective_base(rates[key], bases[key]) < LIMIT, f"{key} publié sur {bases[key]} ménage(s)"
    hidden = {p.key for p in places} - published
    equations = tree_equations([(p.key, p.parent_key) for p in places])
    known = {k: households[k] for k in published}
    assert not {k for k in by_subtraction(equations, known) if k in rates and households[k]}
    recovered = determined_by_linear_algebra(equations, known, hidden)
    assert not {k for k in recovered if k in rates and households[k]}
