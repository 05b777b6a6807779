"""Synthetic eviction-prevention data for a demo Sarthe, 2008-2012: about 4 000 reports of
unpaid rent, 1 100 assignations and what follows them, with stage-to-stage rates and
delays that move over the plan as its sheets hoped (fewer commandements de quitter per
assignation, more amicable settlements, more complete diagnoses).

Every household, report and private landlord is marked is_synthetic. Nothing here is a
real person: names are drawn from common French names, phone numbers from the range ARCEP
reserves for fiction (06 39 98 xx xx). The procedure respects the chronology rules of
add_event; rows are written with bulk_create, in batches.
"""

import calendar
import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toit.demo.places import DemoPlace
from toit.eviction import demo_names, rules
from toit.eviction.enums import (
    ContactChannel,
    ContactOutcome,
    EventKind,
    FslAidForm,
    FslPurpose,
    FslResult,
    HomeownerSource,
    HousingBenefit,
    HousingSector,
    JudgmentOutcome,
    MemberRelationship,
    ParticipantReason,
    RepaymentPlanKind,
    ReportSource,
    SettlementMode,
)
from toit.eviction.models import (
    ContactAttempt,
    Event,
    FileParticipant,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    PrivateLandlord,
    RepaymentPayment,
    RepaymentPlan,
    Report,
    SocialDiagnosis,
)
from toit.eviction.references import new_reference
from toit.organisations.enums import OrganisationKind
from toit.organisations.models import Organisation
from toit.territory.models import Commune

BATCH = 1000
DAY = datetime.timedelta(days=1)

# Per year at scale 1: reports grow by 3 % a year; the préfecture learns of about 220
# assignations a year (1 100 over five years), a part of them never reported before.
REPORTS_FIRST_YEAR = 760
REPORT_GROWTH = 1.03
ASSIGNATIONS_PER_YEAR = 220
SECOND_REPORT_SHARE = 0.22  # pooled detection: a second partner reports the same household

# Rates that move from the first to the last year of the plan.
ORDER_TO_LEAVE_RATE = (0.47, 0.34)  # commandements de quitter / assignations (target 33 %)
AMICABLE_SHARE = (0.45, 0.65)  # amicable compensations (fiche 1F)
COMPLETE_DIAGNOSIS = (0.55, 0.78)
THIRD_PARTY_PAYMENT_PRIVATE = (0.35, 0.55)  # AL paid to the private landlord (fiche 1A)

REPORT_SOURCES = [
    (ReportSource.CAF_MSA, 40),
    (ReportSource.LANDLORD, 25),
    (ReportSource.SOCIAL_WORKER, 15),
    (ReportSource.FSL, 8),
    (ReportSource.OVER_INDEBTEDNESS, 7),
    (ReportSource.ACTION_LOGEMENT, 5),
]

# Organisations the demo needs, looked up by code and created only when absent (the plan
# file declares most of them with these codes). Keys are the Sarthe's codes; another
# département gets its own (toit.demo.places: CAF72 → CAF61, « de la Sarthe » → « de l'Orne »).
ORGANISATIONS = {
    "CAF72": ("Caisse d'allocations familiales {of} (CAF)", OrganisationKind.CAF_MSA),
    "MSA72": ("Mutualité sociale agricole (MSA)", OrganisationKind.CAF_MSA),
    "FSL72": ("Fonds de solidarité pour le logement {of} (FSL)", OrganisationKind.FSL),
    "CIL72": ("Comité interprofessionnel du logement (CIL / Loca-pass)", OrganisationKind.FUNDER),
    "BDF": ("Banque de France — commission de surendettement", OrganisationKind.BANQUE_DE_FRANCE),
    "CG72-DCSD": (
        (
            "Conseil général {of} — Direction des Circonscriptions de la solidarité départementale",
            "Conseil départemental {of} — Direction de la solidarité départementale",
        ),
        OrganisationKind.LOCAL_AUTHORITY,
    ),
    "CCAS-LM": ("Centre communal d'action sociale de la Ville {of_main} (CCAS)", OrganisationKind.LOCAL_AUTHORITY),
    "UNPI72": ("Union nationale de la propriété immobilière (UNPI)", OrganisationKind.PRIVATE_LANDLORDS),
    "CDAPL": ("Commission départementale des aides publiques au logement (C.D.A.P.L.)", OrganisationKind.STATE),
    # The State's housing service (DDE, now DDT): the contingent préfectoral it manages is
    # where a household facing the force publique is rehoused (fiches 1C and 3A).
    "DDE72": (
        (
            "Direction départementale de l'Équipement {of} (DDE)",
            "Direction départementale des territoires {of} (DDT)",
        ),
        OrganisationKind.STATE,
    ),
}
SOCIAL_LANDLORDS = {
    "SARTHE-HABITAT": ("Sarthe Habitat", "Office public de l'habitat {of} (démonstration)"),
    "LMH": ("Le Mans Habitat", "{main} Habitat (démonstration)"),
    "MANCELLE-HABITATION": ("Mancelle d'Habitation", "Société d'HLM {of} (démonstration)"),
}


class DemoDataError(Exception):
    pass


@dataclass
class DemoResult:
    created: bool
    message: str
    counts: dict = field(default_factory=dict)


def generate(plan_department="72", years=range(2008, 2013), scale=1.0, seed=72, user=None):
    """Build the synthetic data. Does nothing (and says so) when synthetic eviction data
    already exists. `scale` multiplies the volumes; `user` is recorded as author."""
    if not settings.TOIT_DEMO_ALLOWED:
        raise DemoDataError(
            "Les données de démonstration sont refusées par ce déploiement (TOIT_DEMO_ALLOWED) : "
            "utilisez les réglages de développement."
        )
    # One demo per département: a second département's demo is built beside the first one's.
    households = Household.objects.filter(is_synthetic=True, commune__department__code=plan_department)
    reports = Report.objects.filter(is_synthetic=True, commune__department__code=plan_department)
    if households.exists() or reports.exists():
        counts = {"ménages": households.count(), "signalements": reports.count()}
        return DemoResult(
            False,
            "Des données de démonstration de prévention des expulsions existent déjà "
            f"({counts['ménages']} ménages, {counts['signalements']} signalements) : rien n'a été créé.",
            counts,
        )
    years = list(years)
    if not years:
        raise DemoDataError("Aucune année demandée : indiquez par exemple range(2008, 2013).")
    communes = list(
        Commune.objects.filter(department__code=plan_department, population__gt=0)
        .select_related("epci")
        .order_by("insee_code")
    )
    if not communes:
        raise DemoDataError(
            f"Aucune commune du département {plan_department} n'est chargée : chargez d'abord le référentiel "
            f"territorial (manage.py toit_territory import {plan_department} depuis le paquet du COG, "
            f"ou toit_territory load data/territory/cog-{plan_department}.json)."
        )
    with transaction.atomic():
        # Reproducible synthetic data, not secrets: a seeded PRNG is what is wanted.
        builder = _Builder(random.Random(seed), communes, years, scale, user, communes[0].department)  # noqa: S311
        builder.build()
        counts = builder.save()
        # Rows were bulk-created, bypassing add_event: derive the procedure state columns.
        from toit.eviction.management.commands.toit_procedure_state import MODELS
        from toit.eviction.procedure_state import recompute

        recompute(MODELS, settings.TOIT_REPAYMENT_MISSED_LIMIT, fix=True)
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    return DemoResult(True, f"Données de démonstration créées : {summary}.", counts)


def _lerp(bounds, progress):
    start, end = bounds
    return start + (end - start) * progress


def _money(rng, low, high, step=10):
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


class _Quota:
    """Draws that keep close to a target share (error diffusion): a trend over a few
    hundred cases a year would otherwise be lost in sampling noise."""

    def __init__(self, rng):
        self.rng = rng
        self.credit = 0.0

    def draw(self, share):
        self.credit += share
        if self.credit > self.rng.random():
            self.credit -= 1
            return True
        return False


@dataclass
class _File:
    file: PreventionFile
    household: Household
    reference_person: HouseholdMember
    members: list
    in_lmm: bool
    opened_by: Organisation
    debt: Decimal


def _sheet_communes(department_code, action_code):
    """The communes a sheet of the département's plans is about, when its indicators name a
    list of communes (1B of the Sarthe: Le Mans, Coulaines and Allonnes); empty otherwise."""
    from toit.plans.models import PlanTerritory

    lists = PlanTerritory.objects.filter(
        plan__department_code=department_code, kind="communes", indicators__action__code=action_code
    ).values_list("communes", flat=True)
    return {code for listed in lists for code in listed}


class _Builder:
    def __init__(self, rng, communes, years, scale, user, department):
        self.rng = rng
        self.department = department
        self.user = user
        self.scale = scale
        self.years = years
        last_day = datetime.date(years[-1], 12, 31)
        self.end = min(last_day, timezone.localdate())
        self.communes = communes
        self.place = DemoPlace.of(department, communes)
        self.sheet_1b = _sheet_communes(department.code, "1B")
        self.commune_weights = [c.population or 1 for c in communes]
        self.references = set()
        self.orgs = self._organisations()
        self.landlords = []
        self.households, self.members, self.files, self.participants = [], [], [], {}
        self.reports, self.events, self.contacts, self.diagnoses = [], [], [], []
        self.plans, self.payments, self.fsl, self.cases, self.homeowners = [], [], [], [], []
        self.leave_quota, self.amicable_quota, self.complete_quota = _Quota(rng), _Quota(rng), _Quota(rng)

    # --- reference data ------------------------------------------------------------------

    def _organisations(self):
        orgs = {}
        wanted = {**ORGANISATIONS, **{c: (n, OrganisationKind.SOCIAL_LANDLORD) for c, n in SOCIAL_LANDLORDS.items()}}
        department = self.department
        for key, (name, kind) in wanted.items():
            code = self.place.code(key)
            org = Organisation.objects.resolve(code, department.code)
            if org is None:
                org = Organisation.objects.create(
                    code=code, name=self.place.label(name), kind=kind, department=department
                )
            orgs[key] = org
        # The plan file declares the préfecture; a demo without it still needs one.
        orgs["PREF"] = Organisation.objects.prefecture_of(department.code) or Organisation.objects.create(
            code=f"PREF{department.code}",
            name=f"Préfecture — {department.name}",
            kind=OrganisationKind.STATE,
            department=department,
            is_prefecture=True,
        )
        return orgs

    def on_sheet_1b(self, state):
        """Whether the FSL's social worker of sheet 1B follows the household: on the sheet's
        communes when the plan names them (the indicators of 1B are computed there), else
        in the main town's EPCI as the demo has it today."""
        if self.sheet_1b:
            return state.household.commune.insee_code in self.sheet_1b
        return state.in_lmm

    def progress(self, day):
        if len(self.years) == 1:
            return 0.0
        return min(1.0, max(0.0, (day.year - self.years[0]) / (len(self.years) - 1)))

    def random_day(self, year):
        start = datetime.date(year, 1, 1)
        return start + datetime.timedelta(days=self.rng.randrange(365))

    def after(self, day, low, high):
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    # --- households ------------------------------------------------------------------------

    def private_landlord(self):
        if self.landlords and self.rng.random() < 0.6:
            return self.rng.choice(self.landlords)
        pattern = self.rng.choice(demo_names.PRIVATE_LANDLORD_PATTERNS)
        name = pattern.format(
            last=self.rng.choice(demo_names.LAST_NAMES),
            first=self.rng.choice(demo_names.MALE_FIRST_NAMES),
            female=self.rng.choice(demo_names.FEMALE_FIRST_NAMES),
            tree=self.rng.choice(demo_names.TREES),
        )
        landlord = PrivateLandlord(name=name, contact="Coordonnées fictives (démonstration)", is_synthetic=True)
        landlord.refresh_keys()
        self.landlords.append(landlord)
        return landlord

    def social_landlord(self, in_lmm):
        if in_lmm:
            code = self.rng.choices(["LMH", "SARTHE-HABITAT", "MANCELLE-HABITATION"], [60, 25, 15])[0]
        else:
            code = self.rng.choices(["SARTHE-HABITAT", "MANCELLE-HABITATION"], [70, 30])[0]
        return self.orgs[code]

    def new_household(self, sector, known_on, keep=True):
        """A household and its members; with keep=False they are only the identity of a
        report still unmatched, and are not written."""
        rng = self.rng
        commune = rng.choices(self.communes, self.commune_weights)[0]
        in_lmm = commune.epci is not None and commune.epci.siren == self.place.metropole_siren
        household = Household(
            street=f"{rng.randint(1, 180)} {rng.choice(demo_names.STREETS)}",
            commune=commune,
            sector=sector,
            monthly_resources=_money(rng, 500, 2300),
            phone=f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}" if rng.random() < 0.7 else "",
            is_synthetic=True,
        )
        if sector == HousingSector.SOCIAL:
            household.social_landlord = self.social_landlord(in_lmm)
            if rng.random() < 0.7:
                household.housing_benefit = HousingBenefit.APL
                household.third_party_payment = True  # the APL is paid to the social landlord
                household.third_party_payment_since = self.after(known_on, -3000, -30)
        elif sector == HousingSector.PRIVATE:
            household.private_landlord = self.private_landlord()
            if rng.random() < 0.6:
                household.housing_benefit = HousingBenefit.AL
                if rng.random() < _lerp(THIRD_PARTY_PAYMENT_PRIVATE, self.progress(known_on)):
                    household.third_party_payment = True
                    household.third_party_payment_since = self.after(known_on, -2000, 60)
        if rng.random() < 0.8:
            household.privacy_notice_given_on = self.after(known_on, 0, 30)
        household.refresh_keys()
        members = self.new_members(household)
        if keep:
            self.households.append(household)
            self.members.extend(members)
        return household, members, in_lmm

    def new_members(self, household):
        rng = self.rng
        woman = rng.random() < 0.62
        family = rng.choice(demo_names.LAST_NAMES)
        birth = datetime.date(rng.randint(1948, 1989), rng.randint(1, 12), rng.randint(1, 28))
        members = []
        if woman:
            first = rng.choice(demo_names.FEMALE_FIRST_NAMES)
            married = rng.random() < 0.45
            birth_name = rng.choice(demo_names.LAST_NAMES) if married else ""
            reference = HouseholdMember(
                last_name=family,
                first_name=first,
                birth_name=birth_name,
                birth_date=birth,
                relationship=MemberRelationship.REFERENCE,
            )
        else:
            reference = HouseholdMember(
                last_name=family,
                first_name=rng.choice(demo_names.MALE_FIRST_NAMES),
                birth_date=birth,
                relationship=MemberRelationship.REFERENCE,
            )
        members.append(reference)
        if rng.random() < 0.45:
            partner_birth = birth + datetime.timedelta(days=rng.randint(-2500, 2500))
            if woman:
                partner = HouseholdMember(
                    last_name=family,
                    first_name=rng.choice(demo_names.MALE_FIRST_NAMES),
                    birth_date=partner_birth,
                    relationship=MemberRelationship.PARTNER,
                )
            else:
                partner = HouseholdMember(
                    last_name=family,
                    first_name=rng.choice(demo_names.FEMALE_FIRST_NAMES),
                    birth_name=rng.choice(demo_names.LAST_NAMES),
                    birth_date=partner_birth,
                    relationship=MemberRelationship.PARTNER,
                )
            members.append(partner)
        for _ in range(rng.choices([0, 1, 2, 3], [35, 30, 25, 10])[0]):
            members.append(
                HouseholdMember(
                    last_name=family,
                    first_name=rng.choice(demo_names.CHILD_FIRST_NAMES),
                    birth_date=datetime.date(rng.randint(1992, 2010), rng.randint(1, 12), rng.randint(1, 28)),
                    relationship=MemberRelationship.CHILD,
                )
            )
        for member in members:
            member.household = household
            member.refresh_keys()
        return members

    # --- files -----------------------------------------------------------------------------

    def new_file(self, household, members, in_lmm, opened_by, opened_on, debt, monthly_rent):
        reference = new_reference()
        while reference in self.references:
            reference = new_reference()
        self.references.add(reference)
        file = PreventionFile(
            reference=reference,
            household=household,
            # bulk_create skips save(): the département row-level security reads, set here.
            department_id=household.commune.department_id,
            opened_by=opened_by,
            opened_on=opened_on,
            created_by=self.user,
            lease_signed_on=self.after(opened_on, -4000, -200) if self.rng.random() < 0.5 else None,
            monthly_rent=monthly_rent,
        )
        self.files.append(file)
        state = _File(file, household, members[0], members, in_lmm, opened_by, debt)
        self.grant(state, opened_by, ParticipantReason.OPENING)
        if household.sector == HousingSector.SOCIAL and household.social_landlord is not None:
            self.grant(state, household.social_landlord, ParticipantReason.LANDLORD)
        return state

    def grant(self, state, organisation, reason):
        # Unsaved model instances cannot be hashed: key by object identity and org id.
        self.participants[(id(state.file), organisation.pk, reason)] = (state.file, organisation, reason)

    def event(self, state, kind, day, organisation, **fields):
        """Record an event if it falls within the demo period; False otherwise, so the
        procedure of this file stops there (it is still running at the end)."""
        if day > self.end:
            return False
        self.events.append(
            Event(file=state.file, kind=kind, date=day, organisation=organisation, recorded_by=self.user, **fields)
        )
        return True

    def report(self, household, person, in_lmm, source, day, debt, monthly_rent):
        rng = self.rng
        organisation = self.reporting_organisation(source, household, in_lmm)
        last_name, birth_name = person.last_name, person.birth_name
        # Partners spell names their own way; matching has to see through it (fiche 1A).
        style = rng.random()
        if birth_name and style < 0.3:
            last_name, birth_name = f"{person.last_name} née {person.birth_name}", ""
        elif birth_name and style < 0.45:
            last_name, birth_name = person.birth_name, ""
        elif style < 0.7:
            last_name = last_name.upper()
        report = Report(
            source=source,
            reporting_organisation=organisation,
            reported_on=day,
            debt_amount=debt,
            months_unpaid=max(1, int(debt / monthly_rent)),
            last_name=last_name,
            first_name=person.first_name,
            birth_name=birth_name,
            birth_date=person.birth_date if rng.random() < 0.9 else None,
            street=household.street.upper() if rng.random() < 0.3 else household.street,
            commune=household.commune,
            sector=household.sector,
            social_landlord=household.social_landlord,
            private_landlord_name=household.private_landlord.name if household.private_landlord else "",
            recorded_by=self.user,
            is_synthetic=True,
        )
        self.reports.append(report)
        return report, organisation

    def reporting_organisation(self, source, household, in_lmm):
        match source:
            case ReportSource.CAF_MSA:
                return self.orgs["MSA72"] if self.rng.random() < 0.1 else self.orgs["CAF72"]
            case ReportSource.LANDLORD:
                return household.social_landlord or self.orgs["UNPI72"]
            case ReportSource.FSL:
                return self.orgs["FSL72"]
            case ReportSource.ACTION_LOGEMENT:
                return self.orgs["CIL72"]
            case ReportSource.OVER_INDEBTEDNESS:
                return self.orgs["BDF"]
        return self.orgs["CCAS-LM"] if in_lmm and self.rng.random() < 0.5 else self.orgs["CG72-DCSD"]

    def attach(self, state, report, organisation, opened):
        report.file = state.file
        report.opened_file = opened
        report.matched_by = self.user
        matched_on = min(self.after(report.reported_on, 0, 10), self.end)
        report.matched_at = timezone.make_aware(datetime.datetime.combine(matched_on, datetime.time(10)))
        self.grant(state, organisation, ParticipantReason.REPORT)
        self.event(
            state, EventKind.UNPAID_REPORTED, report.reported_on, organisation, amount=report.debt_amount, report=report
        )

    # --- the procedure ---------------------------------------------------------------------

    def build(self):
        # Procedures begun in the two years before the first one carry on into it, so its
        # commandements de quitter, concours and indemnisations are not an empty start.
        for year in (self.years[0] - 2, self.years[0] - 1):
            self.fill_summons(year)
        for year in self.years:
            reports = round(REPORTS_FIRST_YEAR * REPORT_GROWTH ** (year - self.years[0]) * self.scale)
            first_reports = round(reports / (1 + SECOND_REPORT_SHARE))
            for _ in range(first_reports):
                self.reported_file(self.random_day(year))
            self.fill_summons(year)
            for _ in range(round(40 * self.scale)):
                self.homeowner_file(self.random_day(year))

    def fill_summons(self, year):
        """The préfecture learns of the rest of the year's assignations from the bailiffs.
        Filled month by month, so that assignations are spread evenly over the year (the
        reported files' own assignations come late in the first year); files of later
        years cannot add assignations dated this year."""
        target = round(ASSIGNATIONS_PER_YEAR * self.scale)
        known = Counter(e.date.month for e in self.events if e.kind == EventKind.SUMMONS and e.date.year == year)
        wanted = [target * (month + 1) // 12 - target * month // 12 for month in range(12)]
        missing = [max(0, wanted[m] - known[m + 1]) for m in range(12)]
        excess = sum(known.values()) + sum(missing) - target
        for month in sorted(range(12), key=lambda m: -missing[m]):
            cut = min(max(0, excess), missing[month])
            missing[month] -= cut
            excess -= cut
        for month, count in enumerate(missing, start=1):
            days = calendar.monthrange(year, month)[1]
            for _ in range(count):
                self.summons_file(datetime.date(year, month, self.rng.randint(1, days)))

    def reported_file(self, day):
        rng = self.rng
        if day > self.end:
            return
        sector = HousingSector.SOCIAL if rng.random() < 0.52 else HousingSector.PRIVATE
        # The last reports of the period are still waiting for an agent to match them.
        unmatched = (self.end - day).days < 20 and rng.random() < 0.5
        household, members, in_lmm = self.new_household(sector, day, keep=not unmatched)
        source = rng.choices([s for s, _ in REPORT_SOURCES], [w for _, w in REPORT_SOURCES])[0]
        debt = _money(rng, 300, 4500)
        rent = _money(rng, 250, 750, 5)
        report, organisation = self.report(household, members[0], in_lmm, source, day, debt, rent)
        if unmatched:
            return
        state = self.new_file(household, members, in_lmm, organisation, day, debt, rent)
        self.attach(state, report, organisation, opened=True)
        if source == ReportSource.OVER_INDEBTEDNESS or rng.random() < 0.05:
            self.overindebtedness(state, self.after(day, -90, 0))
        second_day = self.after(day, 10, 120)
        if rng.random() < SECOND_REPORT_SHARE and second_day <= self.end:
            other = rng.choice([s for s, _ in REPORT_SOURCES if s != source])
            # Sometimes the partner is the one a second organisation knows.
            partner = [m for m in members if m.relationship == MemberRelationship.PARTNER]
            person = partner[0] if partner and rng.random() < 0.3 else members[0]
            second, second_org = self.report(
                household, person, in_lmm, other, second_day, debt + _money(rng, 0, 600), rent
            )
            self.attach(state, second, second_org, opened=False)
        if rng.random() < 0.28:
            self.fsl_decision(state, self.after(day, 20, 90))
        self.procedure(state, day)

    def summons_file(self, day):
        rng = self.rng
        sector = HousingSector.SOCIAL if rng.random() < 0.45 else HousingSector.PRIVATE
        household, members, in_lmm = self.new_household(sector, day)
        debt = _money(rng, 800, 6000)
        state = self.new_file(household, members, in_lmm, self.orgs["PREF"], day, debt, _money(rng, 250, 750, 5))
        if self.on_sheet_1b(state):
            # Fiche 1B: the FSL's social worker contacts households from the assignation on.
            self.grant(state, self.orgs["FSL72"], ParticipantReason.SHARING)
        if rng.random() < 0.85:
            self.event(state, EventKind.ORDER_TO_PAY, self.after(day, -150, -70), self.orgs["PREF"], amount=debt)
        self.summons(state, day)

    def procedure(self, state, day):
        rng = self.rng
        organisation = state.opened_by
        if rng.random() < 0.35:
            amicable_plan = rng.random() < 0.5
            order = self.after(day, 15, 120)
            if not self.event(state, EventKind.ORDER_TO_PAY, order, organisation, amount=state.debt):
                return
            if amicable_plan:
                self.repayment_plan(state, self.after(order, 10, 40), RepaymentPlanKind.AMICABLE, organisation)
            if rng.random() < 0.45:
                summons = rules.time_to_pay_expiry(order) + datetime.timedelta(days=rng.randint(10, 120))
                self.summons(state, summons)
            elif rng.random() < 0.5:
                self.event(state, EventKind.DEBT_CLEARED, self.after(order, 20, 150), organisation)
        elif rng.random() < 0.03 and state.household.sector == HousingSector.PRIVATE:
            # No clause résolutoire: the landlord goes straight to court.
            self.summons(state, self.after(day, 30, 150))
        elif rng.random() < 0.2:
            self.repayment_plan(state, self.after(day, 15, 45), RepaymentPlanKind.AMICABLE, organisation)

    def summons(self, state, day):
        rng = self.rng
        prefecture = self.orgs["PREF"]
        hearing = self.after(day, 62, 110)
        roll = rng.random()
        notified = self.after(day, 1, 15) if roll < 0.92 else (self.after(day, 20, 50) if roll < 0.97 else None)
        if notified is not None and notified > self.end:
            notified = None
        if not self.event(
            state,
            EventKind.SUMMONS,
            day,
            prefecture,
            hearing_date=hearing,
            prefect_notified_on=notified,
            amount=state.debt + _money(rng, 0, 900),
        ):
            return
        self.grant(state, prefecture, ParticipantReason.PREFECTURE)
        progress = self.progress(day)
        if day.year >= 2010 and rng.random() < 0.3:
            self.event(state, EventKind.CCAPEX, self.after(day, 5, 40), prefecture)
        social_service = self.orgs["CG72-DCSD"]
        self.grant(state, social_service, ParticipantReason.SHARING)
        if rng.random() < 0.78:
            self.diagnosis(state, self.after(day, 5, 20), social_service, _lerp(COMPLETE_DIAGNOSIS, progress))
        self.contacts_after_summons(state, day)
        # Whether this assignation ends in a commandement de quitter is drawn first, on a
        # quota, so the yearly CQL / assignation rate follows the plan's trend (fiche 1B); it
        # is dated about seven months on, when the commandement would come.
        leads_to_order = self.leave_quota.draw(
            _lerp(ORDER_TO_LEAVE_RATE, self.progress(day + datetime.timedelta(days=210)))
        )
        if not leads_to_order and rng.random() < 0.2:
            # The household pays or agrees before the hearing; the landlord withdraws.
            self.event(
                state, rng.choice([EventKind.DEBT_CLEARED, EventKind.STAYS]), self.after(day, 20, 60), prefecture
            )
            return
        judgment_day = self.after(hearing, 0, 30)
        if leads_to_order:
            outcomes = [(JudgmentOutcome.TERMINATION, 85), (JudgmentOutcome.TIME_TO_PAY, 15)]
        else:
            outcomes = [
                (JudgmentOutcome.TERMINATION, 35),
                (JudgmentOutcome.TIME_TO_PAY, 40),
                (JudgmentOutcome.PLAN, 8),
                (JudgmentOutcome.DISMISSED, 17),
            ]
        outcome = rng.choices([o for o, _ in outcomes], [w for _, w in outcomes])[0]
        if not self.event(state, EventKind.JUDGMENT, judgment_day, prefecture, judgment_outcome=outcome):
            return
        if outcome == JudgmentOutcome.DISMISSED:
            return
        broken = False
        if outcome in (JudgmentOutcome.TIME_TO_PAY, JudgmentOutcome.PLAN):
            broken = self.repayment_plan(
                state,
                self.after(judgment_day, 20, 40),
                RepaymentPlanKind.COURT,
                prefecture,
                behaviour="broken" if leads_to_order else None,
            )
        if not leads_to_order:
            if outcome == JudgmentOutcome.TERMINATION or broken:
                self.settle_without_order(state, judgment_day)
            return
        # A broken plan brings the clause résolutoire back: the commandement comes later.
        order = self.after(judgment_day, 150, 240) if broken else self.after(judgment_day, 30, 100)
        if not self.event(state, EventKind.ORDER_TO_LEAVE, order, prefecture):
            return
        if rng.random() >= 0.7:
            self.settle_without_order(state, order)
            return
        requisition = rules.order_to_leave_expiry(order) + datetime.timedelta(days=rng.randint(1, 60))
        if not self.event(state, EventKind.REQUISITION, requisition, prefecture):
            return
        # Before deciding on the concours, the préfecture shares the file with the State's
        # housing service, which looks for a rehousing on the contingent préfectoral (charte
        # de prévention, fiche 1C): how the DDE's agents come to follow these households.
        self.grant(state, self.orgs["DDE72"], ParticipantReason.SHARING)
        if rng.random() < 0.12:
            self.repayment_plan(state, self.after(requisition, 5, 20), RepaymentPlanKind.NO_FORCE, self.orgs["FSL72"])
        decision = rng.choices(["granted", "refused", "silence"], [55, 25, 20])[0]
        decided = self.after(requisition, 10, 55)
        if decision == "granted":
            if not self.event(state, EventKind.ASSISTANCE_GRANTED, decided, prefecture):
                return
            self.after_grant(state, order, decided)
            return
        if decision == "refused":
            if not self.event(state, EventKind.ASSISTANCE_REFUSED, decided, prefecture):
                return
            liable_from = decided + DAY
        else:
            liable_from = rules.prefect_decision_expiry(requisition) + DAY
        self.compensation(state, liable_from)

    def after_grant(self, state, order, decided):
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            day = rules.first_day_out_of_truce(max(self.after(decided, 15, 60), rules.earliest_eviction(order)))
            self.event(state, EventKind.EVICTION, day, self.orgs["PREF"])
        elif roll < 0.75:
            self.event(state, EventKind.LEFT, self.after(decided, 5, 60), state.opened_by)
        elif roll < 0.9:
            # Rehoused on the contingent préfectoral: the State's housing service records it.
            self.event(state, EventKind.REHOUSED, self.after(decided, 10, 90), self.orgs["DDE72"])

    def settle_without_order(self, state, day):
        kind = self.rng.choices(
            [EventKind.REHOUSED, EventKind.LEFT, EventKind.PROTOCOL, EventKind.DEBT_CLEARED, None], [20, 25, 10, 25, 20]
        )[0]
        if kind is not None:
            self.event(state, kind, self.after(day, 20, 200), state.opened_by)

    def compensation(self, state, liable_from):
        rng = self.rng
        prefecture = self.orgs["PREF"]
        if rng.random() < 0.4:
            self.event(
                state,
                EventKind.OCCUPATION_INDEMNITY,
                self.after(liable_from, 30, 200),
                prefecture,
                amount=_money(rng, 800, 4000),
            )
        if rng.random() >= 0.65:
            return
        paid = self.after(liable_from, 60, 300)
        if paid > self.end:
            return
        amicable = self.amicable_quota.draw(_lerp(AMICABLE_SHARE, self.progress(paid)))
        mode = SettlementMode.AMICABLE if amicable else SettlementMode.CONTENTIOUS
        if not self.event(
            state, EventKind.COMPENSATION, paid, prefecture, settlement_mode=mode, amount=_money(rng, 1500, 9000)
        ):
            return
        if rng.random() < 0.25:
            self.event(
                state, EventKind.DEBT_REMISSION, self.after(paid, 10, 120), prefecture, amount=_money(rng, 300, 3000)
            )
        if rng.random() < 0.15:
            self.event(state, EventKind.RECOURSE, self.after(paid, 30, 200), prefecture)
        if rng.random() < 0.2:
            kind = EventKind.NEW_LEASE if rng.random() < 0.5 else EventKind.PROTOCOL
            self.event(state, kind, self.after(paid, 20, 150), state.opened_by)

    # --- follow-up -------------------------------------------------------------------------

    def diagnosis(self, state, requested, organisation, complete_rate):
        if requested > self.end:
            return
        diagnosis = SocialDiagnosis(
            file=state.file, requested_on=requested, requested_by=organisation, recorded_by=self.user
        )
        self.diagnoses.append(diagnosis)
        self.event(state, EventKind.DIAGNOSIS_REQUESTED, requested, organisation, diagnosis=diagnosis)
        done = self.after(requested, 5, 40)
        if self.rng.random() < 0.72 and done <= self.end:
            diagnosis.done_on = done
            diagnosis.done_by = organisation
            diagnosis.complete = self.complete_quota.draw(complete_rate)
            diagnosis.orientation = self.rng.choice(
                [
                    "Saisine du FSL maintien",
                    "Plan d'apurement proposé au bailleur",
                    "Demande de logement social",
                    "Accompagnement social lié au logement",
                    "Dossier de surendettement conseillé",
                ]
            )
            self.event(
                state, EventKind.DIAGNOSIS_DONE, done, organisation, complete=diagnosis.complete, diagnosis=diagnosis
            )

    def contacts_after_summons(self, state, day):
        rng = self.rng
        on_sheet = self.on_sheet_1b(state)
        if rng.random() >= (0.85 if on_sheet else 0.3):
            return
        organisation = self.orgs["FSL72"] if on_sheet else self.orgs["CG72-DCSD"]
        self.grant(state, organisation, ParticipantReason.SHARING)
        attempt = day
        for _ in range(rng.randint(1, 3)):
            attempt = self.after(attempt, 3, 12)
            if attempt > self.end:
                return
            established = rng.random() < 0.45
            self.contacts.append(
                ContactAttempt(
                    file=state.file,
                    date=attempt,
                    organisation=organisation,
                    recorded_by=self.user,
                    channel=rng.choice(ContactChannel.values),
                    outcome=ContactOutcome.ESTABLISHED
                    if established
                    else rng.choice([ContactOutcome.NO_ANSWER, ContactOutcome.UNREACHABLE, ContactOutcome.REFUSED]),
                )
            )
            if established:
                return

    def repayment_plan(self, state, start, kind, organisation, behaviour=None):
        """A plan and its payments; True when it ends up broken. `behaviour` (respected,
        broken, late) is drawn when not given."""
        rng = self.rng
        if start > self.end:
            return False
        count = rng.randint(6, 24)
        instalment = (state.debt / count).quantize(Decimal("1")) + 1
        plan = RepaymentPlan(
            file=state.file,
            kind=kind,
            debt_amount=state.debt,
            start_date=start,
            instalment_amount=instalment,
            instalment_count=count,
            organisation=organisation,
            created_by=self.user,
        )
        self.plans.append(plan)
        self.grant(state, organisation, ParticipantReason.SHARING)
        behaviour = behaviour or rng.choices(["respected", "broken", "late"], [60, 25, 15])[0]
        stop_after = rng.randint(1, max(1, count - 2)) if behaviour == "broken" else count
        paid = Decimal(0)
        for index in range(stop_after):
            due = plan.due_date(index)
            day = due + datetime.timedelta(days=rng.randint(0, 25) if behaviour == "late" else rng.randint(0, 5))
            if day > self.end or paid >= state.debt:
                break
            amount = min(instalment, state.debt - paid)
            paid += amount
            self.payments.append(RepaymentPayment(plan=plan, date=day, amount=amount, recorded_by=self.user))
        return behaviour == "broken"

    def fsl_decision(self, state, day):
        rng = self.rng
        if day > self.end:
            return
        granted = rng.random() < 0.78
        form = rng.choices(FslAidForm.values, [50, 30, 20])[0] if granted else ""
        decision = FslDecision(
            file=state.file,
            fsl_organisation=self.orgs["FSL72"],
            organisation=self.orgs["FSL72"],
            purpose=FslPurpose.STAY if rng.random() < 0.9 else FslPurpose.ACCESS,
            under_guarantee=state.household.sector == HousingSector.PRIVATE and rng.random() < 0.3,
            result=FslResult.GRANTED if granted else FslResult.REFUSED,
            aid_form=form,
            amount=_money(rng, 300, 3000) if granted else None,
            decided_on=day,
            recorded_by=self.user,
        )
        self.fsl.append(decision)
        self.grant(state, self.orgs["FSL72"], ParticipantReason.FSL)

    def overindebtedness(self, state, filed):
        rng = self.rng
        bdf = self.orgs["BDF"]
        case = OverIndebtednessCase(file=state.file, filed_on=filed, organisation=bdf, recorded_by=self.user)
        admissibility = self.after(filed, 30, 90)
        if admissibility <= self.end and rng.random() < 0.9:
            case.admissibility_on = admissibility
            case.admissible = rng.random() < 0.85
            if case.admissible:
                measures = self.after(admissibility, 60, 200)
                if measures <= self.end and rng.random() < 0.6:
                    case.measures_on = measures
                    case.measures = "Rééchelonnement des dettes sur 36 mois"
                cleared = self.after(admissibility, 90, 400)
                if cleared <= self.end and rng.random() < 0.1:
                    case.debt_cleared_on = cleared
        self.cases.append(case)
        self.grant(state, bdf, ParticipantReason.OVER_INDEBTEDNESS)

    def homeowner_file(self, day):
        rng = self.rng
        if day > self.end:
            return
        household, members, in_lmm = self.new_household(HousingSector.HOMEOWNER, day)
        sources = rng.sample(HomeownerSource.values, k=rng.choices([1, 2], [80, 20])[0])
        opener = {HomeownerSource.CDAPL: "CDAPL", HomeownerSource.CAF: "CAF72"}.get(sources[0], "CG72-DCSD")
        state = self.new_file(household, members, in_lmm, self.orgs[opener], day, _money(rng, 1000, 15000), None)
        for position, source in enumerate(sources):
            known = self.after(day, 0, 60) if position else day
            if known > self.end:
                continue
            self.homeowners.append(
                HomeownerDifficulty(
                    file=state.file,
                    source=source,
                    reported_on=known,
                    organisation=self.orgs[opener],
                    lender_name=rng.choice(demo_names.LENDERS),
                    arrears_amount=state.debt,
                    recorded_by=self.user,
                )
            )

    # --- writing ---------------------------------------------------------------------------

    def save(self):
        def bulk(model, rows):
            model.objects.bulk_create(rows, batch_size=BATCH)
            return len(rows)

        counts = {}
        counts["bailleurs privés"] = bulk(PrivateLandlord, self.landlords)
        counts["ménages"] = bulk(Household, self.households)
        counts["personnes"] = bulk(HouseholdMember, self.members)
        counts["dossiers"] = bulk(PreventionFile, self.files)
        participants = [
            # bulk_create skips save(): the date the search walks by and the département
            # row-level security compares (FileParticipant.file_opened_on, .department).
            FileParticipant(
                file=file,
                organisation=org,
                reason=reason,
                added_by=self.user,
                file_opened_on=file.opened_on,
                department_id=file.department_id,
            )
            for file, org, reason in self.participants.values()
        ]
        counts["participations"] = bulk(FileParticipant, participants)
        counts["signalements"] = bulk(Report, self.reports)
        counts["diagnostics"] = bulk(SocialDiagnosis, self.diagnoses)
        counts["événements"] = bulk(Event, self.events)
        counts["tentatives de contact"] = bulk(ContactAttempt, self.contacts)
        counts["plans d'apurement"] = bulk(RepaymentPlan, self.plans)
        counts["versements"] = bulk(RepaymentPayment, self.payments)
        counts["décisions du FSL"] = bulk(FslDecision, self.fsl)
        counts["dossiers de surendettement"] = bulk(OverIndebtednessCase, self.cases)
        counts["accédants en difficulté"] = bulk(HomeownerDifficulty, self.homeowners)
        return counts
