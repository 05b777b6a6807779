"""Synthetic priority-access data for a demo Sarthe, 2008-2012, and a cross-matching run.

The same fictitious people appear in several partners' files, each partner spelling them
its own way (accents dropped, upper case, « née X », compound first names cut, first and
last names typed in the wrong boxes, day and month swapped, birth date missing, a typo):
what sheet 3A's cross-matching has to see through. Some DALO appellants are households of
the eviction demo, threatened with eviction. Volumes grow over the plan (DALO appeals
rise after 2008, the MOUS covers Le Mans Métropole from 1 July 2010).

Everything is marked is_synthetic; names come from toit.eviction.demo_names (common
names, no real person). Nothing here is real.
"""

import datetime
import random

from django.conf import settings
from django.db import transaction

from toit.demo.places import DemoPlace
from toit.eviction import demo_names
from toit.eviction.enums import MemberRelationship
from toit.eviction.models import HouseholdMember
from toit.linkage.synthetic import Person, spelled_by_a_partner
from toit.organisations.models import Organisation
from toit.priority_access.enums import (
    AllocationChannel,
    CharterKind,
    DaloDecision,
    DaloEndReason,
    LeaseOutcome,
    MousEndReason,
    PriorityGround,
    ProjectOutcome,
    ProjectPriority,
    ProposalOutcome,
)
from toit.priority_access.models import (
    AbnormalDelay,
    Charter,
    CharterSignature,
    CollectiveAgreementTarget,
    ContingentProposal,
    DaloAgglomeration,
    DaloAppeal,
    HousingDemand,
    MousCoverage,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
)
from toit.territory.models import Commune, Department

# Who holds each file, by the Sarthe's codes (toit.demo.places gives another département's).
HOLDERS = {
    "demand": "DDE72",
    "dalo": "DDE72",
    "contingent": "PREF72",
    "project": "CG72",
    "lease": "ASSOCIATIONS",
    "mous": "MOUS-PP",
    "landlord": "BAILLEURS-PUBLICS",
}
MOUS_EXTENSION = datetime.date(2010, 7, 1)
D = datetime.date


class DemoDataError(Exception):
    pass


# What the demo command prints, in French: the builder's keys are internal.
SUMMARY_LABELS = {
    "demand": "demandes de logement social",
    "dalo": "recours DALO",
    "contingent": "propositions sur le contingent préfectoral",
    "project": "suivis de démarche projet",
    "lease": "baux glissants",
    "mous": "suivis MOUS relogement",
}


class _Builder:
    def __init__(self, rng, department, communes, years, scale, eviction_people):
        self.rng, self.department, self.communes, self.years = rng, department, communes, list(years)
        self.scale = scale
        self.eviction_people = eviction_people
        self.place = DemoPlace.of(department, communes)
        codes = {self.place.code(key) for key in HOLDERS.values()}
        self.organisations = {
            o.code: o for o in Organisation.objects.for_department(department.code).filter(code__in=codes)
        }
        missing = sorted(codes - set(self.organisations))
        if missing:
            raise DemoDataError(
                f"Organisation(s) absente(s) : {', '.join(missing)}. Chargez d'abord le plan du département "
                f"{department.code} (manage.py toit_plan load …)."
            )
        self.rows = {name: [] for name in ("demand", "dalo", "contingent", "project", "lease", "mous")}
        self.serial = 0

    def org(self, key):
        return self.organisations[self.place.code(HOLDERS[key])]

    def n(self, base):
        return max(1, round(base * self.scale))

    def day_in(self, year):
        return D(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def person(self):
        rng = self.rng
        female = rng.random() < 0.55
        first = rng.choice(demo_names.FEMALE_FIRST_NAMES if female else demo_names.MALE_FIRST_NAMES)
        if rng.random() < 0.08:
            first = f"{first}-{rng.choice(demo_names.FEMALE_FIRST_NAMES if female else demo_names.MALE_FIRST_NAMES)}"
        last = rng.choice(demo_names.LAST_NAMES)
        birth = rng.choice(demo_names.LAST_NAMES) if female and rng.random() < 0.4 else ""
        if birth == last:
            birth = ""
        born = D(1940 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28))
        commune = rng.choices(self.communes, weights=[c.population or 1 for c in self.communes])[0]
        return Person(last, first, birth, born, commune)

    def common(self, key, person, size=None):
        return {
            "department": self.department,
            "holder": self.org(key),
            "last_name": person.last_name,
            "first_name": person.first_name,
            "birth_name": person.birth_name,
            "birth_date": person.birth_date,
            "commune": person.commune,
            "household_size": size or 1 + self.rng.randrange(6),
            "is_synthetic": True,
        }

    def number(self, prefix):
        self.serial += 1
        return f"{prefix}{self.serial:07d}"

    def build(self):
        rng = self.rng
        landlord = self.org("landlord")
        demanders = []
        for year in self.years:
            for _ in range(self.n(400)):
                person = self.person()
                filed = self.day_in(year)
                waited = rng.choice([60, 150, 300, 500, 800, 1200, None])
                allocated = filed + datetime.timedelta(days=waited) if waited else None
                if allocated and allocated > D(self.years[-1], 12, 31):
                    allocated = None
                grounds = rng.sample(PriorityGround.values, k=rng.choice([0, 0, 0, 1, 1, 2]))
                channel = ""
                if allocated:
                    channel = rng.choices(
                        [AllocationChannel.COMMON, AllocationChannel.ACD, AllocationChannel.CONTINGENT],
                        weights=[70, 20 if grounds else 2, 10 if grounds else 1],
                    )[0]
                self.rows["demand"].append(
                    HousingDemand(
                        **self.common("demand", person),
                        number=self.number(self.department.code.zfill(3)),
                        filed_on=filed,
                        renewed_on=filed + datetime.timedelta(days=365) if not allocated or waited > 365 else None,
                        monthly_resources=rng.randrange(400, 2200),
                        priority_grounds=grounds,
                        allocated_on=allocated,
                        allocated_landlord=landlord if allocated else None,
                        allocation_channel=channel,
                        plai_dwelling=bool(allocated) and rng.random() < 0.12,
                    )
                )
                demanders.append((person, filed))
        self.dalo(demanders)
        self.followups(demanders)

    def dalo(self, demanders):
        rng = self.rng
        last_day = D(self.years[-1], 12, 31)
        # DALO appeals rise from 2008 (the commission's first year) to 2012.
        for index, year in enumerate(self.years):
            count = self.n(40 + 25 * index)
            pool = [(p, f) for p, f in demanders if f.year <= year]
            for _ in range(count):
                roll = rng.random()
                if roll < 0.75 and pool:
                    person = spelled_by_a_partner(rng.choice(pool)[0], rng)
                elif roll < 0.85 and self.eviction_people:
                    person = spelled_by_a_partner(rng.choice(self.eviction_people), rng)
                else:
                    person = self.person()
                filed = self.day_in(year)
                decided = filed + datetime.timedelta(days=rng.randrange(40, 120))
                decision, rehoused = "", None
                if decided <= last_day:
                    decision = rng.choices(
                        [DaloDecision.PRIORITY, DaloDecision.REJECTED, DaloDecision.ACCOMMODATION], weights=[45, 45, 10]
                    )[0]
                else:
                    decided = None
                if decision == DaloDecision.PRIORITY and rng.random() < 0.8:
                    rehoused = decided + datetime.timedelta(days=rng.randrange(30, 200))
                    if rehoused > last_day:
                        rehoused = None
                ended, end_reason = None, ""
                if decision == DaloDecision.PRIORITY and rehoused is None and rng.random() < 0.6:
                    # About one priority household in eight leaves without a rehousing through
                    # the appeal: an adapted offer refused, rehoused by its own means…
                    ended = decided + datetime.timedelta(days=rng.randrange(60, 400))
                    end_reason = rng.choices(list(DaloEndReason), weights=[35, 30, 15, 10, 10])[0]
                    if ended > last_day:
                        ended, end_reason = None, ""
                self.rows["dalo"].append(
                    DaloAppeal(
                        **self.common("dalo", person),
                        number=self.number(f"DALO{self.department.code}-"),
                        filed_on=filed,
                        decided_on=decided,
                        decision=decision,
                        housing_offered_on=offered_on(rehoused, ended, end_reason),
                        rehoused_on=rehoused,
                        ended_on=ended,
                        end_reason=end_reason,
                    )
                )
                if decision == DaloDecision.PRIORITY:
                    refused = end_reason == DaloEndReason.REFUSED_OFFER
                    self.contingent(spelled_by_a_partner(person, rng), decided, rehoused, refused)

    def contingent(self, person, decided, rehoused, refused=False):
        accepted = rehoused is not None
        outcome = ProposalOutcome.ACCEPTED if accepted else ProposalOutcome.PENDING
        self.rows["contingent"].append(
            ContingentProposal(
                **self.common("contingent", person),
                landlord=self.org("landlord"),
                proposed_on=decided + datetime.timedelta(days=10),
                outcome=ProposalOutcome.REFUSED if refused else outcome,
                allocated_on=rehoused if accepted else None,
                plai_dwelling=self.rng.random() < 0.15,
            )
        )

    def followups(self, demanders):
        rng = self.rng
        last_day = D(self.years[-1], 12, 31)

        def someone():
            return spelled_by_a_partner(rng.choice(demanders)[0], rng) if rng.random() < 0.6 else self.person()

        for index, year in enumerate(self.years):
            for _ in range(self.n(14)):
                start = self.day_in(year)
                outcome = rng.choices(list(ProjectOutcome), weights=[30, 55, 15])[0]
                ended = start + datetime.timedelta(days=rng.randrange(90, 500))
                if ended > last_day:
                    outcome, ended = ProjectOutcome.ONGOING, None
                if outcome == ProjectOutcome.ONGOING:
                    ended = None
                self.rows["project"].append(
                    ProjectFollowup(
                        **self.common("project", someone()),
                        taken_in_on=start,
                        diagnosis_on=start + datetime.timedelta(days=30),
                        priority=rng.choice(list(ProjectPriority)),
                        outcome=outcome,
                        ended_on=ended,
                    )
                )
            for _ in range(self.n(20 + 3 * index)):
                start = self.day_in(year)
                planned = start + datetime.timedelta(days=rng.choice([365, 540, 730]))
                outcome = rng.choices(list(LeaseOutcome), weights=[30, 50, 12, 8])[0]
                glided = ended = None
                end_day = start + datetime.timedelta(days=rng.randrange(200, 900))
                if end_day > last_day:
                    outcome = LeaseOutcome.ONGOING
                elif outcome == LeaseOutcome.GLIDED:
                    glided = end_day
                elif outcome != LeaseOutcome.ONGOING:
                    ended = end_day
                self.rows["lease"].append(
                    SlidingLease(
                        **self.common("lease", someone()),
                        landlord=self.org("landlord"),
                        started_on=start,
                        planned_glide_on=planned,
                        glided_on=glided,
                        outcome=outcome,
                        ended_on=ended,
                        # The common standard contract spreads after the charter (2009).
                        standard_contract=year >= 2009 and rng.random() < 0.3 + 0.15 * index,
                    )
                )
            for _ in range(self.n(50 + 10 * index)):
                mediated = self.day_in(year)
                rehoused = mediated + datetime.timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.6 else None
                if rehoused and rehoused > last_day:
                    rehoused = None
                ended, end_reason = None, ""
                if rehoused is None and rng.random() < 0.55:
                    # Mediations that stop without a private-stock rehousing: the household gives
                    # up, contact is lost, or social housing or an accommodation comes first.
                    ended = mediated + datetime.timedelta(days=rng.randrange(60, 400))
                    end_reason = rng.choices(list(MousEndReason), weights=[30, 25, 45])[0]
                    if ended > last_day:
                        ended, end_reason = None, ""
                person = someone()
                self.rows["mous"].append(
                    MousFollowup(
                        **self.common("mous", person),
                        children=rng.choices([0, 1, 2, 3, 4, 5], weights=[20, 25, 25, 15, 10, 5])[0],
                        mediated_on=mediated,
                        rehoused_on=rehoused,
                        ended_on=ended,
                        end_reason=end_reason,
                    )
                )

    def save(self):
        models = {  # the keys are those of SUMMARY_LABELS
            "demand": HousingDemand,
            "dalo": DaloAppeal,
            "contingent": ContingentProposal,
            "project": ProjectFollowup,
            "lease": SlidingLease,
            "mous": MousFollowup,
        }
        for key, rows in self.rows.items():
            models[key].objects.bulk_create(rows, batch_size=500)
        self.settings()
        return {key: len(rows) for key, rows in self.rows.items()}

    def settings(self):
        department = self.department
        source = "Arrêté préfectoral fictif (données de démonstration)"
        AbnormalDelay.objects.create(department=department, since=D(2008, 1, 1), months=24, source=source)
        AbnormalDelay.objects.create(department=department, since=D(2011, 1, 1), months=18, source=source)
        DaloAgglomeration.objects.create(
            department=department,
            since=D(2008, 1, 1),
            large_agglomeration=False,
            source=self.place.label("Agglomération {of_main} sous 300 000 habitants (démonstration)"),
        )
        landlord = self.org("landlord")
        for index, year in enumerate(self.years):
            CollectiveAgreementTarget.objects.create(
                department=department, year=year, landlord=landlord, target=70 + 5 * index
            )
        for kind, title, adopted in (
            (
                CharterKind.COORDINATION,
                "Charte de coordination de l'attribution prioritaire (démonstration)",
                D(2010, 3, 15),
            ),
            (CharterKind.SLIDING_LEASE, "Charte d'utilisation des baux glissants (démonstration)", D(2009, 6, 1)),
        ):
            charter = Charter.objects.create(
                department=department,
                kind=kind,
                title=f"{title} (démonstration)",
                adopted_on=adopted,
                is_synthetic=True,
            )
            for offset, key in enumerate(("CG72", "LMM", "BAILLEURS-PUBLICS", "ASSOCIATIONS", "DDE72")):
                organisation = Organisation.objects.resolve(self.place.code(key), department.code)
                if organisation:
                    CharterSignature.objects.create(
                        charter=charter,
                        organisation=organisation,
                        signed_on=adopted + datetime.timedelta(days=60 * offset),
                    )
        operator = self.org("mous")
        metropole = self.place.metropole_siren
        extension = self.place.label(
            (
                "Extension de la MOUS à Le Mans Métropole (démonstration)",
                "Extension de la MOUS à {metropole} (démonstration)",
            )
        )
        for commune in self.communes:
            in_metropole = commune.epci is not None and commune.epci.siren == metropole
            if in_metropole:
                since = MOUS_EXTENSION
            elif self.rng.random() < 0.7:
                since = D(2008, 1, 1)
            else:
                continue
            MousCoverage.objects.create(
                department=department,
                operator=operator,
                commune=commune,
                since=since,
                source=extension if in_metropole else "",
            )


def offered_on(rehoused, ended, end_reason):
    """The day a dwelling was offered: before the rehousing, or before the refusal that ended
    the State's obligation."""
    if rehoused:
        return rehoused - datetime.timedelta(days=20)
    if end_reason == DaloEndReason.REFUSED_OFFER:
        return ended - datetime.timedelta(days=30)
    return None


def generate(plan_department="72", years=range(2008, 2013), scale=1.0, seed=72):
    """Build the synthetic data, or do nothing (and say so) when it already exists."""
    if not settings.TOIT_DEMO_ALLOWED:
        raise DemoDataError("Les données de démonstration sont refusées par ce déploiement (TOIT_DEMO_ALLOWED).")
    existing = HousingDemand.objects.filter(is_synthetic=True, department__code=plan_department).count()
    if existing:
        return (
            False,
            f"Des données de démonstration d'accès prioritaire existent déjà ({existing} demandes) : rien créé.",
        )
    department = Department.objects.filter(code=plan_department).first()
    communes = list(
        Commune.objects.filter(department__code=plan_department, population__gt=0)
        .select_related("epci")
        .order_by("insee_code")
    )
    if department is None or not communes:
        raise DemoDataError(
            f"Aucune commune du département {plan_department} n'est chargée : chargez d'abord le référentiel "
            "territorial."
        )
    members = HouseholdMember.objects.filter(
        relationship=MemberRelationship.REFERENCE,
        household__is_synthetic=True,
        household__commune__department=department,
        household__files__isnull=False,
    ).select_related("household__commune")[:300]
    eviction_people = [
        Person(m.last_name, m.first_name, m.birth_name, m.birth_date, m.household.commune) for m in members
    ]
    with transaction.atomic():
        # Reproducible synthetic data, not secrets: a seeded PRNG is what is wanted.
        builder = _Builder(random.Random(seed), department, communes, years, scale, eviction_people)  # noqa: S311
        builder.build()
        counts = builder.save()
    summary = ", ".join(f"{counts[key]} {label}" for key, label in SUMMARY_LABELS.items())
    return True, f"Données de démonstration d'accès prioritaire créées : {summary}."
