from collections import defaultdict

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.organisations.factories import UserFactory
from tests.territory.factories import CommuneFactory, EPCIFactory
from toit.eviction.chronology import Act, violations
from toit.eviction.demo import DemoDataError, generate
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import Event, FileParticipant, Household, PreventionFile, Report
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.territory.cog import load_file
from toit.territory.scopes import TerritoryScope

DEPARTMENT = TerritoryScope.department_scope("72")


@pytest.fixture
def communes():
    lmm = EPCIFactory(siren="247200132", name="Le Mans Métropole")
    return [
        CommuneFactory(name="Le Mans", epci=lmm, population=145000),
        CommuneFactory(name="Allonnes", epci=lmm, population=11000),
        CommuneFactory(name="La Flèche", population=15000),
        CommuneFactory(name="Sillé-le-Guillaume", population=2200),
    ]


def test_small_demo(communes):
    user = UserFactory()
    result = generate(scale=0.05, seed=3, user=user)
    assert result.created
    assert "Données de démonstration créées" in result.message
    # 5 years of 11 assignations (220 × 0.05), plus the 2 years before that carry on.
    by_year = defaultdict(int)
    for day in Event.objects.filter(kind=EventKind.SUMMONS).values_list("date", flat=True):
        by_year[day.year] += 1
    assert dict(by_year) == {year: 11 for year in range(2006, 2013)}
    reports = Report.objects.count()
    assert 170 <= reports <= 230  # about 4 000 × 0.05
    assert result.counts["signalements"] == reports
    assert not Household.objects.filter(is_synthetic=False).exists()
    assert not Report.objects.filter(is_synthetic=False).exists()
    assert Event.objects.filter(date__year__gt=2012).count() == 0
    assert set(PreventionFile.objects.values_list("created_by", flat=True)) == {user.pk}


def test_demo_respects_the_chronology_and_the_participation_rules(communes):
    generate(scale=0.1, seed=11)
    timelines = defaultdict(list)
    for event in Event.objects.all():
        timelines[event.file_id].append(Act.from_event(event))
    assert [v.message for acts in timelines.values() for v in violations(acts)] == []
    # From the assignation on, the préfecture takes part in every file.
    with_summons = set(Event.objects.filter(kind=EventKind.SUMMONS).values_list("file", flat=True))
    with_prefecture = set(
        FileParticipant.objects.filter(reason=ParticipantReason.PREFECTURE).values_list("file", flat=True)
    )
    assert with_summons and with_summons <= with_prefecture
    # Every matched report's organisation takes part in its file.
    for report in Report.objects.filter(file__isnull=False):
        assert FileParticipant.objects.filter(file=report.file_id, organisation=report.reporting_organisation_id)


def test_second_call_does_nothing(communes):
    generate(scale=0.05, seed=3)
    events = Event.objects.count()
    result = generate(scale=0.05, seed=3)
    assert not result.created
    assert "existent déjà" in result.message
    assert Event.objects.count() == events


def test_same_seed_same_data(communes):
    class Rollback(Exception):
        pass

    def run():
        generate(scale=0.05, seed=8)
        return sorted(Event.objects.values_list("kind", "date", "amount"))

    with pytest.raises(Rollback), transaction.atomic():
        first = run()
        raise Rollback
    assert not Event.objects.exists()
    assert run() == first


def test_refused_without_communes_or_outside_demo_settings(communes):
    with pytest.raises(DemoDataError, match="Aucune commune du département 53"):
        generate(plan_department="53")
    with override_settings(TOIT_DEMO_ALLOWED=False), pytest.raises(DemoDataError, match="TOIT_DEMO_ALLOWED"):
        generate()


def test_full_scale_on_the_sarthe_is_realistic():
    # Its speed is measured by bench/eviction.py --build, never asserted here (shared machine).
    load_file(settings.BASE_DIR / "data" / "territory" / "cog-72.json")
    result = generate()
    assert 3800 <= result.counts["signalements"] <= 4200
    rate = registry.get("eviction.order_to_leave_rate")
    assignations = registry.get("eviction.assignations")
    assert [assignations.compute(Period.year(y), DEPARTMENT) for y in range(2008, 2013)] == [220] * 5
    first, last = rate.compute(Period.year(2008), DEPARTMENT), rate.compute(Period.year(2012), DEPARTMENT)
    # The plan's aim (fiche 1B): back towards the 33 % of 1999.
    assert first > last
    assert 30 <= last <= 38


def test_replicate_doubles_the_demo_and_keeps_it_consistent(communes):
    from django.core.management import call_command

    from toit.eviction.demo_replicate import replicate
    from toit.eviction.models import HouseholdMember, RepaymentPayment, RepaymentPlan
    from toit.eviction.references import PATTERN

    generate(scale=0.05, seed=3)
    models = (Household, HouseholdMember, PreventionFile, FileParticipant, Event, Report, RepaymentPlan)
    before = {model: model.objects.count() for model in models}
    paid = RepaymentPayment.objects.count()
    first = PreventionFile.objects.order_by("pk").first()
    span = PreventionFile.objects.order_by("-pk").values_list("pk", flat=True).first()
    households = replicate(2)
    assert households == 2 * before[Household]
    assert {model: model.objects.count() for model in models} == {model: 2 * n for model, n in before.items()}
    assert RepaymentPayment.objects.count() == 2 * paid
    references = list(PreventionFile.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    assert all(PATTERN.match(reference) for reference in references)
    # The copy of a file is another household with the same members, events and state.
    copy = PreventionFile.objects.get(pk=first.pk + span)
    assert copy.household_id != first.household_id
    assert copy.reference != first.reference
    assert copy.stage == first.stage and copy.last_summons_on == first.last_summons_on
    assert [(e.kind, e.date) for e in copy.events.order_by("date", "pk")] == [
        (e.kind, e.date) for e in first.events.order_by("date", "pk")
    ]
    assert [m.name_key for m in copy.household.members.all()] == [m.name_key for m in first.household.members.all()]
    call_command("toit_procedure_state", "check")  # raises on any difference
    # The sequences moved past the copies: a new row takes the next id.
    assert Household.objects.create(street="1 rue Neuve", commune=communes[0], sector="parc_prive").pk > households


def test_replicate_refuses_real_data(communes):
    from toit.eviction.demo_replicate import replicate

    generate(scale=0.05, seed=3)
    Household.objects.update(is_synthetic=False)
    with pytest.raises(DemoDataError, match="réels"):
        replicate(2)
