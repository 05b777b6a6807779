"""Synthetic accommodation data for a demo Sarthe, 2008-2012 (sheets 2D to 2G): the
structures that existed in 2008, those the plan asked for (the 17-place résidence accueil
of 2010, three maisons relais, hôtels sociaux and FJT « Soleil » antennas in the middle
towns), dated capacities and funding, conventions, stays simulated day by day, the
admission commission's applications, a pipeline of about twenty adapted-housing projects a
year, and the youth offer of sheet 2E.

Believable, not real: occupancy near 90 % with a winter peak in emergency places (the
« plan hiver »), lengths of stay by kind of structure, exits to ordinary housing that
become more frequent over the plan, a few people coming back within two years. Every
structure, person, stay, application and project is marked is_synthetic; names are drawn
from common French names (toit.eviction.demo_names)."""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from toit.accommodation.enums import (
    CommissionDecision,
    EntryOrigin,
    ExitDestination,
    FundingBasis,
    PartnershipKind,
    ProjectKind,
    Public,
    StructureKind,
    YouthOfferKind,
)
from toit.accommodation.models import (
    AdmissionCommission,
    Application,
    CapacityPeriod,
    Funding,
    Partnership,
    Project,
    Resident,
    Stay,
    Structure,
    YouthOffer,
)
from toit.demo.places import DemoPlace
from toit.eviction import demo_names
from toit.organisations.enums import OrganisationKind
from toit.organisations.models import Organisation
from toit.territory.models import Commune, Department

BATCH = 2000
DAY = datetime.timedelta(days=1)
# Simulation starts before the plan so that 2008 opens with structures already full.
WARM_UP_DAYS = 400

MANAGERS = {
    "DEMO-HEB-ADGESTI": "ADGESTI (démonstration)",
    "DEMO-HEB-INSERTION": "Association Habitat et Insertion (démonstration)",
    "DEMO-HEB-ACCUEIL": "Association Accueil {department} (démonstration)",
    "DEMO-HEB-JEUNES": "Union des foyers de jeunes travailleurs (démonstration)",
}
COMMISSION_SECRETARIAT = (
    "DDASS72",
    ("Direction départementale des affaires sanitaires et sociales", "Direction départementale de la cohésion sociale"),
    OrganisationKind.STATE,
)

# kind: (mean length of stay in days, funding basis, amount, public)
PROFILES = {
    StructureKind.MAISON_RELAIS: (900, FundingBasis.PER_PLACE_DAY, Decimal(16), Public.ALL),
    StructureKind.RESIDENCE_ACCUEIL: (1000, FundingBasis.PER_PLACE_DAY, Decimal(16), Public.MENTAL_HEALTH),
    StructureKind.RESIDENCE_SOCIALE: (330, FundingBasis.PER_PLACE_DAY, Decimal(9), Public.FAMILIES),
    StructureKind.FJT: (200, FundingBasis.PER_PLACE_DAY, Decimal(7), Public.YOUTH),
    StructureKind.FJT_SOLEIL: (180, FundingBasis.PER_PLACE_MONTH, Decimal(290), Public.YOUTH),
    StructureKind.HOTEL_SOCIAL: (35, FundingBasis.PER_PLACE_MONTH, Decimal(300), Public.ALL),
    StructureKind.CHRS: (170, FundingBasis.PER_PLACE_DAY, Decimal(42), Public.ALL),
    StructureKind.STABILISATION: (240, FundingBasis.PER_PLACE_DAY, Decimal(35), Public.ALL),
    StructureKind.ALT: (120, FundingBasis.PER_PLACE_MONTH, Decimal(300), Public.ALL),
    StructureKind.EMERGENCY: (12, FundingBasis.PER_PLACE_DAY, Decimal(30), Public.ALL),
}

# (name, kind, town: "lmm" or a rank among the other towns, places, opened, [(date, places)], manager).
# A name is a label of toit.demo.places: the Sarthe's own wording, and a template elsewhere.
PLANNED = [
    ("CHRS Le Relais", StructureKind.CHRS, "lmm", 60, datetime.date(1995, 3, 1), [(datetime.date(2011, 1, 1), 66)], 1),
    ("CHRS La Passerelle", StructureKind.CHRS, "lmm", 40, datetime.date(1998, 9, 1), [], 2),
    (("CHRS du Loir", "CHRS {of_town}"), StructureKind.CHRS, 1, 18, datetime.date(2001, 1, 1), [], 2),
    (
        "Accueil d'urgence {of_main}",
        StructureKind.EMERGENCY,
        "lmm",
        35,
        datetime.date(2000, 1, 1),
        [(datetime.date(2009, 11, 1), 45)],
        2,
    ),
    (
        ("Accueil d'urgence du Sud Sarthe", "Accueil d'urgence {of_town}"),
        StructureKind.EMERGENCY,
        0,
        10,
        datetime.date(2003, 1, 1),
        [],
        2,
    ),
    ("Maison relais Les Glycines", StructureKind.MAISON_RELAIS, "lmm", 18, datetime.date(2004, 6, 1), [], 1),
    (
        ("Maison relais du Val", "Maison relais {of_town}"),
        StructureKind.MAISON_RELAIS,
        0,
        15,
        datetime.date(2006, 2, 1),
        [],
        1,
    ),
    ("Résidence sociale des Sablons", StructureKind.RESIDENCE_SOCIALE, "lmm", 70, datetime.date(1992, 1, 1), [], 1),
    (
        "FJT {main} Centre",
        StructureKind.FJT,
        "lmm",
        110,
        datetime.date(1970, 1, 1),
        [(datetime.date(2010, 9, 1), 120)],
        3,
    ),
    (("FJT de Sablé", "FJT {of_town}"), StructureKind.FJT, 0, 40, datetime.date(1985, 1, 1), [], 3),
    (
        "Stabilisation Saint-Pavin",
        StructureKind.STABILISATION,
        "lmm",
        12,
        datetime.date(2007, 10, 1),
        [(datetime.date(2009, 4, 1), 20)],
        2,
    ),
    (
        "Logements ALT {of_main}",
        StructureKind.ALT,
        "lmm",
        30,
        datetime.date(1999, 1, 1),
        [(datetime.date(2010, 1, 1), 36)],
        2,
    ),
    (("Logements ALT du Perche", "Logements ALT {of_town}"), StructureKind.ALT, 2, 8, datetime.date(2002, 1, 1), [], 2),
    # What sheets 2D and 2G asked for.
    (
        "Maison relais Pontlieue",
        StructureKind.MAISON_RELAIS,
        "lmm",
        16,
        datetime.date(2009, 5, 1),
        [(datetime.date(2010, 5, 1), 20)],
        1,
    ),
    (
        "Résidence accueil des Sables d'Or",
        StructureKind.RESIDENCE_ACCUEIL,
        "lmm",
        17,
        datetime.date(2010, 9, 15),
        [],
        0,
    ),
    ("Maison relais de l'Huisne", StructureKind.MAISON_RELAIS, "lmm", 18, datetime.date(2011, 10, 1), [], 1),
    (
        ("Maison relais du Loir", "Maison relais {of_town}"),
        StructureKind.MAISON_RELAIS,
        1,
        15,
        datetime.date(2012, 3, 1),
        [],
        1,
    ),
    (
        "Résidence sociale familles {main}",
        StructureKind.RESIDENCE_SOCIALE,
        "lmm",
        30,
        datetime.date(2010, 2, 1),
        [],
        1,
    ),
    (
        ("Hôtel social de Sablé", "Hôtel social {of_town}"),
        StructureKind.HOTEL_SOCIAL,
        0,
        8,
        datetime.date(2009, 9, 1),
        [],
        2,
    ),
    (
        ("Hôtel social de La Flèche", "Hôtel social {of_town}"),
        StructureKind.HOTEL_SOCIAL,
        1,
        8,
        datetime.date(2010, 11, 1),
        [],
        2,
    ),
    (
        ("Hôtel social de Mamers", "Hôtel social {of_town}"),
        StructureKind.HOTEL_SOCIAL,
        2,
        6,
        datetime.date(2012, 1, 15),
        [],
        2,
    ),
    (
        ("Foyer Soleil de Château-du-Loir", "Foyer Soleil {of_town}"),
        StructureKind.FJT_SOLEIL,
        3,
        10,
        datetime.date(2010, 4, 1),
        [],
        3,
    ),
    (
        ("Foyer Soleil de Saint-Calais", "Foyer Soleil {of_town}"),
        StructureKind.FJT_SOLEIL,
        4,
        8,
        datetime.date(2011, 9, 1),
        [],
        3,
    ),
]

ORIGINS = {
    "default": [
        (EntryOrigin.STREET, 18),
        (EntryOrigin.EMERGENCY, 30),
        (EntryOrigin.OTHER_STRUCTURE, 12),
        (EntryOrigin.HOSPITAL, 8),
        (EntryOrigin.PRISON, 5),
        (EntryOrigin.FAMILY, 14),
        (EntryOrigin.LOST_HOUSING, 10),
        (EntryOrigin.UNKNOWN, 3),
    ],
    StructureKind.RESIDENCE_ACCUEIL: [
        (EntryOrigin.HOSPITAL, 55),
        (EntryOrigin.OTHER_STRUCTURE, 25),
        (EntryOrigin.FAMILY, 20),
    ],
    StructureKind.FJT: [
        (EntryOrigin.FAMILY, 60),
        (EntryOrigin.LOST_HOUSING, 10),
        (EntryOrigin.OTHER_STRUCTURE, 20),
        (EntryOrigin.UNKNOWN, 10),
    ],
    StructureKind.EMERGENCY: [
        (EntryOrigin.STREET, 60),
        (EntryOrigin.LOST_HOUSING, 15),
        (EntryOrigin.FAMILY, 15),
        (EntryOrigin.PRISON, 5),
        (EntryOrigin.UNKNOWN, 5),
    ],
}
ORDINARY_SHARE = {  # share of exits to ordinary housing, first and last year of the plan
    StructureKind.EMERGENCY: (0.05, 0.08),
    StructureKind.MAISON_RELAIS: (0.15, 0.22),
    StructureKind.RESIDENCE_ACCUEIL: (0.10, 0.15),
    "default": (0.30, 0.42),
}
OTHER_DESTINATIONS = [
    (ExitDestination.OTHER_STRUCTURE, 35),
    (ExitDestination.FAMILY, 20),
    (ExitDestination.HOSPITAL, 10),
    (ExitDestination.DEATH, 3),
    (ExitDestination.EXCLUSION, 7),
    (ExitDestination.UNKNOWN, 25),
]
RETURN_SHARE = 0.07  # people housed who come back to the same structure


class DemoDataError(Exception):
    pass


@dataclass
class DemoResult:
    created: bool
    message: str
    counts: dict = field(default_factory=dict)


def generate(plan_department="72", years=range(2008, 2013), scale=1.0, seed=72):
    """Build the synthetic data; does nothing (and says so) when some already exists.
    `scale` multiplies the number of ordinary structures (and so of stays)."""
    if not settings.TOIT_DEMO_ALLOWED:
        raise DemoDataError("Les données de démonstration sont refusées par ce déploiement (TOIT_DEMO_ALLOWED).")
    existing = Structure.objects.filter(is_synthetic=True, department__code=plan_department).count()
    if existing:  # per département: a second demo département is built beside the first
        return DemoResult(False, f"Des structures de démonstration existent déjà ({existing}) : rien n'a été créé.")
    years = list(years)
    if not years:
        raise DemoDataError("Aucune année demandée : indiquez par exemple range(2008, 2013).")
    try:
        department = Department.objects.get(code=plan_department)
    except Department.DoesNotExist:
        raise DemoDataError(
            f"Le département {plan_department} n'est pas chargé : chargez d'abord le référentiel territorial "
            f"(manage.py toit_territory import {plan_department} depuis le paquet du COG, "
            f"ou toit_territory load data/territory/cog-{plan_department}.json)."
        ) from None
    communes = list(
        Commune.objects.filter(department=department, population__gt=0).select_related("epci").order_by("insee_code")
    )
    if not communes:
        raise DemoDataError(f"Aucune commune du département {plan_department} n'est chargée.")
    with transaction.atomic():
        builder = _Builder(random.Random(seed), department, communes, years, scale)  # noqa: S311 - synthetic data
        counts = builder.build()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    return DemoResult(True, f"Données de démonstration de l'hébergement créées : {summary}.", counts)


def _weighted(rng, pairs):
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


class _Builder:
    def __init__(self, rng, department, communes, years, scale):
        self.rng = rng
        self.department = department
        self.first, self.last = datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31)
        self.scale = scale
        self.place = DemoPlace.of(department, communes)
        by_population = sorted(communes, key=lambda c: -(c.population or 0))
        metropole = self.place.metropole_siren
        lmm = [c for c in by_population if c.epci and c.epci.siren == metropole]
        self.lmm = lmm[:6] or by_population[:1]
        self.towns = [c for c in by_population if c not in self.lmm][:30] or by_population
        self.managers = [
            self._organisation(code, name, OrganisationKind.ASSOCIATION) for code, name in MANAGERS.items()
        ]
        self.stays, self.residents, self.applications = [], [], []

    def _organisation(self, key, name, kind):
        code = self.place.code(key)
        found = Organisation.objects.resolve(code, self.department.code)
        return found or Organisation.objects.create(
            code=code, name=self.place.label(name), kind=kind, department=self.department
        )

    def _dated(self, day):
        """A date of the Sarthe's 2008-2012 story moved to the plan's years: a 2017-2022 plan
        sees its maisons relais open during its own period (unchanged for a 2008 plan)."""
        shift = self.first.year - 2008
        return day.replace(year=day.year + shift) if shift else day

    def _commune(self, town):
        if town == "lmm":
            return self.rng.choice(self.lmm[:3])
        return self.towns[town % len(self.towns)]

    def build(self):
        plans = list(PLANNED)
        # More ordinary structures when scaled up (the benchmark's hundreds of structures).
        extra = max(0, round(len(PLANNED) * (self.scale - 1)))
        kinds = [StructureKind.CHRS, StructureKind.ALT, StructureKind.EMERGENCY, StructureKind.RESIDENCE_SOCIALE]
        for n in range(extra):
            kind = kinds[n % len(kinds)]
            plans.append(
                (f"{kind.label} n° {n + 1}", kind, n % 25, self.rng.randint(6, 40), datetime.date(2000, 1, 1), [], 2)
            )
        structures = []
        for name, kind, town, places, opened, changes, manager in plans:
            opened, changes = self._dated(opened), [(self._dated(day), n) for day, n in changes]
            commune = self._commune(town)
            structure = Structure.objects.create(
                department=self.department,
                name=self.place.label(name, town=commune),
                kind=kind,
                public=PROFILES[kind][3],
                manager=self.managers[manager],
                commune=commune,
                opened_on=opened,
                is_synthetic=True,
            )
            periods = [(opened, places), *changes]
            CapacityPeriod.objects.bulk_create(
                CapacityPeriod(
                    structure=structure,
                    valid_from=start,
                    valid_until=periods[i + 1][0] if i + 1 < len(periods) else None,
                    places=n,
                )
                for i, (start, n) in enumerate(periods)
            )
            _, basis, amount, _ = PROFILES[kind]
            Funding.objects.create(
                structure=structure, funder_label="État", basis=basis, amount=amount, valid_from=opened
            )
            structures.append((structure, periods))
        self._partnerships([s for s, _ in structures])
        commission = AdmissionCommission.objects.create(
            department=self.department,
            name="Commission départementale d'admission en maisons relais (démonstration)",
            secretariat=self._organisation(*COMMISSION_SECRETARIAT),
        )
        for structure, periods in structures:
            self._simulate(structure, periods, commission)
        Resident.objects.bulk_create(self.residents, batch_size=BATCH)
        for stay in self.stays:
            stay.resident_id = stay.resident.pk
        Stay.objects.bulk_create(self.stays, batch_size=BATCH)
        for application in self.applications:
            application.is_synthetic = True
        Application.objects.bulk_create(self.applications, batch_size=BATCH)
        projects = self._projects({s.name: s for s, _ in structures})
        youth = self._youth()
        return {
            "structures": len(structures),
            "séjours": len(self.stays),
            "demandes d'admission": len(self.applications),
            "projets": projects,
            "offres pour les jeunes": youth,
        }

    def _partnerships(self, structures):
        rows = []
        for structure in structures:
            if structure.kind in (StructureKind.MAISON_RELAIS, StructureKind.RESIDENCE_ACCUEIL):
                # The sheet's « formalisation du partenariat » with the mobile psychiatry team, spreading.
                since = max(structure.opened_on, self._dated(datetime.date(2008, 3, 1)))
                signed = since + DAY * self.rng.randint(30, 700)
                if signed <= self.last:
                    rows.append(
                        Partnership(
                            structure=structure,
                            kind=PartnershipKind.MOBILE_PSYCHIATRY,
                            partner_label="Équipe mobile psychiatrie précarité",
                            signed_on=signed,
                        )
                    )
            elif structure.kind in (StructureKind.HOTEL_SOCIAL, StructureKind.FJT_SOLEIL, StructureKind.EMERGENCY):
                since = max(structure.opened_on, self._dated(datetime.date(2008, 6, 1)))
                signed = since + DAY * self.rng.randint(60, 500)
                if signed <= self.last:
                    rows.append(
                        Partnership(
                            structure=structure,
                            kind=PartnershipKind.SOCIAL_WATCH,
                            partner_label="Réseau local de veille sociale",
                            signed_on=signed,
                        )
                    )
        Partnership.objects.bulk_create(rows)

    def _capacity(self, periods, day):
        places = 0
        for start, n in periods:
            if start <= day:
                places = n
        return places

    def _simulate(self, structure, periods, commission):
        """Day by day: free places fill at a rate that makes occupancy near 90 %, higher in
        winter for emergency places; each entry draws its length of stay."""
        rng = self.rng
        kind = structure.kind
        mean_length = PROFILES[kind][0]
        start = max(structure.opened_on, self.first - DAY * WARM_UP_DAYS)
        span = (self.last - self.first).days or 1
        occupants = []  # exit dates of current occupants (None: beyond the demo)
        housed = []  # residents housed from this structure, who may come back
        day = start
        while day <= self.last:
            occupants = [d for d in occupants if d is None or d > day]
            free = self._capacity(periods, day) - len(occupants)
            winter = math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)
            fill = 0.35 if kind == StructureKind.EMERGENCY else 0.06
            fill *= 1 + (0.5 if kind in (StructureKind.EMERGENCY, StructureKind.HOTEL_SOCIAL) else 0.15) * winter
            for _ in range(max(0, free)):
                if rng.random() < fill:
                    occupants.append(self._entry(structure, day, mean_length, span, housed, commission))
            day += DAY

    def _entry(self, structure, day, mean_length, span, housed, commission):
        rng = self.rng
        progress = min(1.0, max(0.0, (day - self.first).days / span))
        length = max(1, int(rng.lognormvariate(math.log(mean_length) - 0.5, 1.0)))
        exit_on = day + DAY * length
        back = [r for r, left in housed if 60 <= (day - left).days <= 700]
        if back and rng.random() < RETURN_SHARE * 4:
            resident = back[0]
            housed[:] = [(r, left) for r, left in housed if r is not resident]
        else:
            resident = Resident(
                structure=structure,
                last_name=rng.choice(demo_names.LAST_NAMES),
                first_name=rng.choice(demo_names.MALE_FIRST_NAMES + demo_names.FEMALE_FIRST_NAMES),
                birth_date=day
                - DAY * rng.randint(19 * 365, 25 * 365 if structure.public == Public.YOUTH else 70 * 365),
                is_synthetic=True,
            )
            self.residents.append(resident)
        stay = Stay(
            structure=structure,
            resident=resident,
            entry_on=day,
            origin=_weighted(rng, ORIGINS.get(structure.kind, ORIGINS["default"])),
            is_synthetic=True,
        )
        if exit_on <= self.last:
            low, high = ORDINARY_SHARE.get(structure.kind, ORDINARY_SHARE["default"])
            if rng.random() < low + (high - low) * progress:
                stay.destination = rng.choice([ExitDestination.SOCIAL_HOUSING] * 3 + [ExitDestination.PRIVATE_HOUSING])
                if rng.random() < RETURN_SHARE:
                    housed.append((resident, exit_on))
            else:
                stay.destination = _weighted(rng, OTHER_DESTINATIONS)
            stay.exit_on = exit_on
        else:
            exit_on = None
        self.stays.append(stay)
        if structure.kind in (StructureKind.MAISON_RELAIS, StructureKind.RESIDENCE_ACCUEIL) and day >= self.first:
            self._applications(commission, structure, resident, day)
        return exit_on

    def _applications(self, commission, structure, resident, entry):
        rng = self.rng
        applied = entry - DAY * rng.randint(30, 160)
        examined = applied + DAY * rng.randint(10, min(25, (entry - applied).days - 1))
        self.applications.append(
            Application(
                commission=commission,
                last_name=resident.last_name,
                first_name=resident.first_name,
                birth_date=resident.birth_date,
                dalo=rng.random() < 0.2,
                applied_on=applied,
                examined_on=examined,
                decision=CommissionDecision.ACCEPTED,
                proposed_structure=structure,
                entered_on=entry,
            )
        )
        # For each admission, some applications refused, adjourned or still waiting.
        for _ in range(rng.choice([0, 0, 1])):
            applied = entry - DAY * rng.randint(0, 200)
            waiting = applied > self.last - DAY * 60
            decision = (
                CommissionDecision.PENDING
                if waiting
                else rng.choice(
                    [CommissionDecision.REFUSED, CommissionDecision.ADJOURNED, CommissionDecision.WITHDRAWN]
                )
            )
            self.applications.append(
                Application(
                    commission=commission,
                    last_name=rng.choice(demo_names.LAST_NAMES),
                    first_name=rng.choice(demo_names.FEMALE_FIRST_NAMES),
                    applied_on=applied,
                    examined_on=None if waiting else applied + DAY * rng.randint(10, 40),
                    decision=decision,
                )
            )

    def _projects(self, structures):
        rng = self.rng
        rows = []
        kinds = [
            (ProjectKind.ISOLATED_HOUSE, 70),
            (ProjectKind.TRAVELLERS_SITE, 20),
            (ProjectKind.RESIDENCE_SOCIALE, 10),
        ]
        for year in range(self.first.year, self.last.year + 1):
            # About twenty adapted-housing projects a year (sheet 2F), a few more as the method spreads.
            for _ in range(rng.randint(16, 20) + (year - self.first.year)):
                kind = _weighted(rng, kinds)
                spotted = datetime.date(year, 1, 1) + DAY * rng.randint(0, 364)
                dates, day = {}, spotted
                for name, (low, high), chance in (
                    ("studied_on", (30, 120), 0.85),
                    ("setup_on", (60, 240), 0.7),
                    ("funded_on", (60, 200), 0.8),
                    ("delivered_on", (120, 400), 0.9),
                ):
                    if rng.random() > chance:
                        break
                    day = day + DAY * rng.randint(low, high)
                    if day > self.last:
                        break
                    dates[name] = day
                dwellings = 1 if kind == ProjectKind.ISOLATED_HOUSE else rng.randint(3, 12)
                rows.append(
                    Project(
                        department=self.department,
                        name=f"{kind.label.split(' (')[0]} — {rng.choice(demo_names.TREES)} {len(rows) + 1}",
                        kind=kind,
                        promoter_label=rng.choice(
                            [
                                self.place.label("PACT {department} (démonstration)"),
                                "Habitat et Développement (démonstration)",
                                "Centre social des gens du voyage (démonstration)",
                            ]
                        ),
                        commune=rng.choice(self.towns + self.lmm),
                        dwellings_planned=dwellings,
                        places_planned=0,
                        for_youth=False,
                        spotted_on=spotted,
                        is_synthetic=True,
                        **dates,
                    )
                )
        # The maisons relais and the 17-place résidence of sheet 2D went through the same pipeline.
        for name, structure in structures.items():
            if (
                structure.kind
                in (
                    StructureKind.MAISON_RELAIS,
                    StructureKind.RESIDENCE_ACCUEIL,
                    StructureKind.HOTEL_SOCIAL,
                    StructureKind.FJT_SOLEIL,
                )
                and structure.opened_on >= self.first
            ):
                opened = structure.opened_on
                kind = {
                    StructureKind.HOTEL_SOCIAL: ProjectKind.HOTEL_SOCIAL,
                    StructureKind.FJT_SOLEIL: ProjectKind.FJT_SOLEIL,
                }.get(structure.kind, ProjectKind.MAISON_RELAIS)
                rows.append(
                    Project(
                        department=self.department,
                        name=f"Projet : {name}",
                        kind=kind,
                        promoter=structure.manager,
                        commune=structure.commune,
                        places_planned=structure.capacities.order_by("valid_from").first().places,
                        for_youth=structure.kind == StructureKind.FJT_SOLEIL,
                        spotted_on=opened - DAY * 900,
                        studied_on=opened - DAY * 700,
                        setup_on=opened - DAY * 500,
                        funded_on=opened - DAY * 300,
                        delivered_on=opened,
                        structure=structure,
                        is_synthetic=True,
                    )
                )
        # A fourth maison relais, still being set up at the end of the plan.
        rows.append(
            Project(
                department=self.department,
                name=self.place.label(
                    ("Projet : maison relais de Sablé", "Projet : maison relais {of_town}"), self.towns[0]
                ),
                kind=ProjectKind.MAISON_RELAIS,
                promoter=self.managers[1],
                commune=self.towns[0],
                places_planned=15,
                spotted_on=self._dated(datetime.date(2011, 2, 1)),
                studied_on=self._dated(datetime.date(2011, 9, 1)),
                setup_on=self._dated(datetime.date(2012, 6, 1)),
                is_synthetic=True,
            )
        )
        Project.objects.bulk_create(rows)
        return len(rows)

    def _youth(self):
        rng = self.rng
        rows = []
        for year in range(self.first.year, self.last.year + 1):
            growth = year - self.first.year
            for kind, (low, high) in (
                (YouthOfferKind.ALT, (2, 5)),
                (YouthOfferKind.EMERGENCY, (1, 3)),
                (YouthOfferKind.SMALL_DWELLING, (3, 8)),
                (YouthOfferKind.SOCIAL_T2, (5, 12)),
            ):
                for _ in range(rng.randint(1, 3)):
                    rows.append(
                        YouthOffer(
                            department=self.department,
                            kind=kind,
                            commune=rng.choice(self.towns[:10] + self.lmm),
                            units=rng.randint(low, high) + growth // 2,
                            made_available_on=datetime.date(year, 1, 1) + DAY * rng.randint(0, 364),
                            is_synthetic=True,
                        )
                    )
        for structure in Structure.objects.filter(
            department=self.department, kind=StructureKind.FJT_SOLEIL, is_synthetic=True
        ):
            rows.append(
                YouthOffer(
                    department=self.department,
                    kind=YouthOfferKind.FJT_SOLEIL,
                    commune=structure.commune,
                    units=structure.capacities.order_by("valid_from").first().places,
                    made_available_on=structure.opened_on,
                    structure=structure,
                    is_synthetic=True,
                )
            )
        YouthOffer.objects.bulk_create(rows)
        return len(rows)
