"""Retention (RGPD): households inactive for two years are anonymised. Every eviction
metric gives the same value before and after, for several periods and territories, and no
identity string is left anywhere in the database (history tables included)."""

import calendar
import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tests.eviction.factories import (
    EventFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
    ReportFactory,
)
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction import demo, followup, intake, procedure, retention
from toit.eviction.enums import (
    ContactChannel,
    ContactOutcome,
    EventKind,
    FslAidForm,
    FslPurpose,
    FslResult,
    HomeownerSource,
    HousingSector,
    MemberRelationship,
    RepaymentPlanKind,
)
from toit.eviction.models import (
    Event,
    FslDecision,
    Household,
    HouseholdMember,
    PreventionFile,
    PrivateLandlord,
    Report,
)
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.organisations.enums import OrganisationKind
from toit.territory.cog import load_file
from toit.territory.models import Commune
from toit.territory.scopes import ScopeKind, TerritoryScope

D = datetime.date
LMM = "247200132"
# What identifies the household of the test: none of it may survive anonymisation.
IDENTITY = {
    "Zorglubienne": "nom d'usage",
    "Philomenix": "prénom",
    "Quetzalcoatle": "nom de naissance",
    "impasse Xylophonique": "adresse",
    "Bâtiment Ouréa": "complément d'adresse",
    "0243998877": "téléphone",
    "philomenix@exemple.test": "courriel",
    "SCI Vlaminckxx": "bailleur privé",
    "Gérant Vlaminckxx": "coordonnées du bailleur",
    "Observation Zorglub": "texte libre",
    "Banque Zorglub": "établissement prêteur",
}
BIRTH_DATE = D(1971, 3, 14)
# The same for a household still followed: it must all stay.
KEPT = "Kermadecienne"


def text_fields(model):
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]


def where_found(text):
    """Every (table, column) of the database holding `text`, history tables included."""
    found = []
    for model in apps.get_models():
        for name in text_fields(model):
            if model._base_manager.filter(**{f"{name}__contains": text}).exists():
                found.append(f"{model._meta.db_table}.{name}")
    return found


def birth_date_found(day):
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            is_birth_date = isinstance(f, models.DateField) and "birth" in f.name
            if is_birth_date and model._base_manager.filter(**{f.name: day}).exists():
                found.append(f"{model._meta.db_table}.{f.name}")
    return found


@pytest.fixture
def sarthe():
    load_file(settings.BASE_DIR / "data" / "territory" / "cog-72.json")


def scopes():
    communes = Commune.objects.filter(insee_code__in=["72181", "72003", "72264"]).order_by("insee_code")
    return [
        TerritoryScope.department_scope("72"),
        TerritoryScope(ScopeKind.EPCI, "72", LMM, "Le Mans Métropole"),
        TerritoryScope(ScopeKind.OUTSIDE_EPCI, "72", LMM, "Reste du département"),
        *(TerritoryScope(ScopeKind.COMMUNE, "72", c.insee_code, c.name) for c in communes),
    ]


PERIODS = [
    *(Period.year(y) for y in range(2008, 2013)),
    Period.quarter(2010, 2),
    Period.quarter(2011, 4),
    Period.span(2008, 2012),
]


def variants(metric):
    """Every combination of one parameter's documented values (« a | b | c (défaut : a) »)."""
    yield {}
    for name, help_text in metric.params.items():
        for value in help_text.split(" (défaut")[0].split(" | "):
            yield {name: value.strip()}


def every_metric_value():
    values = {}
    for metric in registry:
        if not metric.key.startswith("eviction."):
            continue
        for params in variants(metric):
            for period in PERIODS:
                for scope in scopes():
                    values[(metric.key, tuple(params.items()), period.code, str(scope))] = metric.compute(
                        period, scope, **params
                    )
                by_commune = getattr(metric.func, "by_commune", None)
                if by_commune is not None:
                    values[(metric.key, tuple(params.items()), period.code, "communes")] = by_commune(
                        period, "72", **params
                    )
    return values


OLD = {
    "last_name": "Zorglubienne",
    "first_name": "Philomenix",
    "birth_name": "Quetzalcoatle",
    "street": "3 impasse Xylophonique",
    "complement": "Bâtiment Ouréa",
    "phone": "0243998877",
    "email": "philomenix@exemple.test",
    "note": "Observation Zorglub : rappel du bailleur.",
    "lender": "Banque Zorglub",
}
CURRENT = {
    "last_name": KEPT,
    "first_name": "Kermadine",
    "birth_name": "Kermadecois",
    "street": "5 rue Kermadec",
    "complement": "",
    "phone": "0243112233",
    "email": "kermadine@exemple.test",
    "note": "Observation Kermadec",
    "lender": "Banque Kermadec",
}


def followed_household(organisation, user, commune, *, identity, dated, landlord):
    """A household with every kind of record, each carrying identity or free text, the
    way the pages write them (domain functions), so that history rows exist."""
    household = HouseholdFactory(
        commune=commune,
        street=identity["street"],
        address_complement=identity["complement"],
        phone=identity["phone"],
        email=identity["email"],
        private_landlord=landlord,
        monthly_resources=Decimal("950.00"),
    )
    member = HouseholdMemberFactory(
        household=household,
        last_name=identity["last_name"],
        first_name=identity["first_name"],
        birth_name=identity["birth_name"],
        birth_date=BIRTH_DATE,
    )
    HouseholdMemberFactory(
        household=household,
        last_name=identity["last_name"],
        first_name="Ondine",
        birth_date=D(2001, 5, 2),
        relationship=MemberRelationship.CHILD,
    )
    member.first_name = identity["first_name"]  # an edit: a second history row with the names
    member.save()
    file = intake.open_file(household, [], user, organisation, opened_on=dated(0))
    note = identity["note"]
    procedure.add_event(file, EventKind.ORDER_TO_PAY, dated(30), user, organisation, amount=Decimal("1800"), note=note)
    procedure.add_event(
        file, EventKind.SUMMONS, dated(90), user, organisation, hearing_date=dated(150), amount=Decimal("2400")
    )
    followup.record_contact_attempt(
        file, user, organisation, date=dated(100), channel=ContactChannel.PHONE, outcome=ContactOutcome.ESTABLISHED
    )
    diagnosis = followup.request_diagnosis(file, user, organisation, requested_on=dated(100))
    followup.record_diagnosis(diagnosis, user, organisation, done_on=dated(120), complete=True, orientation=note)
    plan = followup.set_up_repayment_plan(
        file,
        user,
        organisation,
        kind=RepaymentPlanKind.AMICABLE,
        debt_amount=Decimal("300"),
        start_date=dated(160),
        instalment_amount=Decimal("100"),
        instalment_count=3,
        note=note,
    )
    for month in range(3):
        followup.record_payment(plan, user, organisation, date=dated(160 + 30 * month), amount=Decimal("100"))
    fsl = OrganisationFactory(code="FSL72", kind=OrganisationKind.FSL)
    followup.record_fsl_decision(
        file,
        user,
        organisation,
        fsl_organisation=fsl,
        purpose=FslPurpose.STAY,
        result=FslResult.GRANTED,
        aid_form=FslAidForm.GRANT,
        amount=Decimal("700"),
        decided_on=dated(140),
        under_guarantee=True,
    )
    case = followup.record_overindebtedness_case(file, user, organisation, filed_on=dated(110))
    followup.update_overindebtedness_case(
        case, user, organisation, admissibility_on=dated(130), admissible=True, measures_on=dated(200), measures=note
    )
    followup.record_homeowner_difficulty(
        file,
        user,
        organisation,
        source=HomeownerSource.CAF,
        reported_on=dated(20),
        lender_name=identity["lender"],
        note=note,
    )
    report = ReportFactory(
        reporting_organisation=organisation,
        reported_on=dated(10),
        last_name=identity["last_name"],
        first_name=identity["first_name"],
        birth_name=identity["birth_name"],
        birth_date=BIRTH_DATE,
        street=identity["street"],
        commune=commune,
        private_landlord_name=landlord.name,
    )
    intake.attach_report(report, file, user)
    return file


@pytest.fixture
def world(sarthe):
    """Synthetic data for 2008-2012 (every kind of record, by bulk), the household of the
    test in 2010 with identity everywhere, and one household still followed today."""
    demo.generate(scale=0.03, seed=11)
    organisation = OrganisationFactory(code="ADIL72", kind=OrganisationKind.ASSOCIATION)
    user = member_of(organisation)
    le_mans = Commune.objects.get(insee_code="72181")
    shared = PrivateLandlordFactory(name="SCI Bailleur partagé", contact="Gérant partagé")
    own = PrivateLandlordFactory(name="SCI Vlaminckxx", contact="Gérant Vlaminckxx, 02 43 00 00 00")
    old = followed_household(
        organisation,
        user,
        le_mans,
        identity=OLD,
        dated=lambda days: D(2010, 1, 4) + datetime.timedelta(days=days),
        landlord=own,
    )
    today = timezone.localdate()
    recent = followed_household(
        organisation,
        user,
        le_mans,
        identity=CURRENT,
        dated=lambda days: today - datetime.timedelta(days=300 - days),
        landlord=shared,
    )
    # Another old household of the shared landlord: anonymised, the landlord is kept.
    neighbour = PreventionFileFactory(
        household=HouseholdFactory(commune=le_mans, private_landlord=shared), opened_on=D(2009, 5, 1)
    )
    old_unmatched = ReportFactory(reported_on=D(2009, 6, 1), last_name="Zorglubienne", commune=le_mans)
    new_unmatched = ReportFactory(reported_on=today - datetime.timedelta(days=20), last_name=KEPT, commune=le_mans)
    return {
        "old": old,
        "recent": recent,
        "neighbour": neighbour,
        "shared": shared,
        "own": own,
        "old_unmatched": old_unmatched,
        "new_unmatched": new_unmatched,
        "user": user,
    }


def test_every_metric_is_unchanged_and_no_identity_is_left(world):
    # The scan finds what it looks for: identity is there before, in history tables too.
    assert "eviction_householdmember.last_name" in where_found("Zorglubienne")
    assert "eviction_historicalhouseholdmember.last_name" in where_found("Zorglubienne")
    assert "eviction_historicalhousehold.phone" in where_found("0243998877")
    assert where_found("Observation Zorglub")
    before = every_metric_value()
    assert sum(1 for v in before.values() if v not in (None, 0, {}, Decimal(0))) > 200  # the data is not empty

    result = retention.anonymise(user=world["user"])

    assert every_metric_value() == before
    leaks = {text: where_found(text) for text in IDENTITY}
    assert {text: tables for text, tables in leaks.items() if tables} == {}
    # Only the household still followed keeps its members' birth dates.
    assert sorted(birth_date_found(BIRTH_DATE)) == [
        "eviction_historicalhouseholdmember.birth_date",
        "eviction_historicalreport.birth_date",
        "eviction_householdmember.birth_date",
        "eviction_report.birth_date",
    ]
    assert HouseholdMember.objects.filter(birth_date=BIRTH_DATE, household=world["recent"].household).count() == 1
    # The household still followed keeps everything, history included.
    assert "eviction_householdmember.last_name" in where_found(KEPT)
    assert "eviction_historicalhouseholdmember.last_name" in where_found(KEPT)
    assert "eviction_historicalevent.note" in where_found("Observation Kermadec")
    assert Report.objects.get(pk=world["new_unmatched"].pk).last_name == KEPT
    assert result.households >= 3 and result.unmatched_reports >= 1


def test_what_is_marked_kept_and_removed(world):
    retention.anonymise(user=world["user"])
    old = PreventionFile.objects.select_related("household").get(pk=world["old"].pk)
    assert old.anonymised_at is not None and old.household.anonymised_at is not None
    assert old.household.commune.insee_code == "72181" and old.household.sector == HousingSector.PRIVATE
    assert old.household.private_landlord is None
    assert old.household.monthly_resources == Decimal("950.00")
    members = list(old.household.members.order_by("relationship"))
    assert [(m.relationship, m.last_name, m.birth_date) for m in members] == [
        (MemberRelationship.CHILD, "", None),
        (MemberRelationship.REFERENCE, "", None),
    ]
    assert set(Event.objects.filter(file=old).values_list("note", flat=True)) == {""}
    assert Event.objects.filter(file=old, kind=EventKind.SUMMONS).get().amount == Decimal("2400")
    assert FslDecision.objects.get(file=old).amount == Decimal("700")
    report = Report.objects.get(file=old)
    assert (report.last_name, report.birth_date, report.street, report.anonymised_at is not None) == (
        "",
        None,
        "",
        True,
    )
    assert Report.objects.get(pk=world["old_unmatched"].pk).anonymised_at is not None
    # The landlord of the test household had no other tenant: deleted; the shared one stays.
    assert not PrivateLandlord.objects.filter(pk=world["own"].pk).exists()
    assert PrivateLandlord.objects.filter(pk=world["shared"].pk).exists()
    assert Household.objects.get(pk=world["recent"].household_id).private_landlord_id == world["shared"].pk
    recent = PreventionFile.objects.get(pk=world["recent"].pk)
    assert recent.anonymised_at is None
    # One history entry is left per file: when and why it was anonymised, and by whom.
    entry = old.history.get()
    assert entry.history_change_reason == retention.ANONYMISED_REASON
    assert entry.history_user == world["user"]
    assert entry.anonymised_at is not None
    assert not old.household.history.exists()
    assert recent.history.exists() and recent.household.history.exists()
    # Nothing is due a second time.
    assert retention.plan().households == 0


def test_a_household_is_kept_while_any_of_its_files_is_active(sarthe):
    today = timezone.localdate()
    household = HouseholdFactory()
    HouseholdMemberFactory(household=household, last_name="Zorglubienne")
    PreventionFileFactory(household=household, opened_on=D(2009, 1, 5))
    current = PreventionFileFactory(household=household, opened_on=D(2009, 1, 5))
    # The day after the one-month cutoff, whatever the length of the previous month.
    last_activity = retention.cutoff_for(1, today) + datetime.timedelta(days=1)
    EventFactory(file=current, kind=EventKind.ORDER_TO_PAY, date=last_activity)
    assert retention.plan().households == 0
    retention.anonymise()
    assert HouseholdMember.objects.get().last_name == "Zorglubienne"
    # Two years after that last event, it is due: the delay counts from the last activity.
    later = today + datetime.timedelta(days=2 * 366)
    assert retention.plan(today=later).households == 1
    assert retention.plan(months=1).households == 0
    assert retention.plan(months=1, today=today + datetime.timedelta(days=1)).households == 1


def month_ends(year):
    return [D(year, month, calendar.monthrange(year, month)[1]) for month in range(1, 13)]


BOUNDARY_DAYS = [*month_ends(2027), D(2028, 2, 29), D(2028, 3, 1), D(2026, 12, 6), D(2027, 1, 1)]


@pytest.mark.parametrize("today", BOUNDARY_DAYS, ids=str)
@pytest.mark.parametrize("months", [1, 24])
def test_the_cutoff_on_month_ends_and_leap_days(today, months):
    """A file whose last activity falls on the cutoff is due; the day after, it is kept.
    The cutoff is the same day `months` earlier, or the month's last day when that month is
    shorter (31 March less one month is 28 or 29 February)."""
    cutoff = retention.cutoff_for(months, today)
    back = (today.year * 12 + today.month - 1) - months
    year, month = divmod(back, 12)
    assert cutoff == D(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))
    due = PreventionFileFactory(opened_on=D(2008, 1, 7))
    EventFactory(file=due, kind=EventKind.ORDER_TO_PAY, date=cutoff)
    kept = PreventionFileFactory(opened_on=D(2008, 1, 7))
    EventFactory(file=kept, kind=EventKind.ORDER_TO_PAY, date=cutoff + datetime.timedelta(days=1))
    assert set(retention.due_households(cutoff)) == {due.household}
    report = retention.anonymise(months=months, today=today)
    assert report.households == 1
    due.household.refresh_from_db()
    kept.household.refresh_from_db()
    assert due.household.anonymised_at is not None
    assert kept.household.anonymised_at is None


def test_dry_run_reports_in_french_and_changes_nothing(world):
    out = io.StringIO()
    call_command("toit_retention", "anonymise", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Durée de conservation : 24 mois après la dernière activité" in text
    assert "seraient anonymisés" in text
    assert "la plus ancienne le " in text and "la plus récente le " in text
    assert "jamais rattaché(s) à un dossier seraient anonymisés" in text
    assert where_found("Zorglubienne")
    assert not PreventionFile.objects.filter(anonymised_at__isnull=False).exists()

    out = io.StringIO()
    call_command("toit_retention", "anonymise", stdout=out)
    assert "ont été anonymisés" in out.getvalue()
    assert "ligne(s) d'historique des modifications effacée(s)" in out.getvalue()
    assert not where_found("Zorglubienne")
    out = io.StringIO()
    call_command("toit_retention", "anonymise", "--dry-run", "--months", "600", stdout=out)
    assert "Aucun ménage ni signalement à anonymiser." in out.getvalue()


def test_dry_run_span_of_last_activities(sarthe):
    first = PreventionFileFactory(opened_on=D(2009, 1, 5))
    EventFactory(file=first, kind=EventKind.ORDER_TO_PAY, date=D(2010, 3, 1))
    PreventionFileFactory(opened_on=D(2008, 6, 2))
    report = retention.plan(today=D(2013, 1, 1))
    assert (report.households, report.files, report.oldest, report.newest) == (2, 2, D(2008, 6, 2), D(2010, 3, 1))
    assert report.cutoff == D(2011, 1, 1)


def test_months_must_be_positive():
    with pytest.raises(CommandError, match="au moins un mois"):
        call_command("toit_retention", "anonymise", "--months", "0")


def test_the_file_page_says_the_household_was_anonymised(client, world):
    retention.anonymise()
    organisation = world["old"].opened_by
    client.force_login(member_of(organisation))
    response = client.get(reverse("eviction:file", args=[world["old"].reference]))
    assert response.status_code == 200
    assert "ménage anonymisé" in response.text and "Ménage anonymisé le " in response.text
    assert "Zorglub" not in response.text
