"""Synthetic data of the dwelling register for a demo Sarthe, 2008-2012: the pôle and its
members, about 300 dwellings reported, their cases (reports, visits, qualifications,
arrêtés, prescribed works, rehousings, exits), « bailleurs indélicats », the PST's dwellings
and their DPE before and after works. Volumes and rates move over the plan as the sheets
hoped: more exits from indignity each year (past the target of 10 from 2010), more
occupants kept in place, the PST catching up on its 30 + 10 target.

Every owner, dwelling, case, PST entry and DPE is marked is_synthetic; owners' names are
common names or invented company names. Rows are written in bulk, without history (like
the eviction demo). All acts fall before 2021: the former codes apply.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from toit.demo.places import DemoPlace
from toit.dwellings import merging, rules
from toit.dwellings.enums import (
    ActKind,
    BuildingType,
    Convention,
    DpeStage,
    ExitMode,
    Interdiction,
    OwnerKind,
    PoleService,
    Qualification,
    Regime,
    RehousingKind,
    ReportSource,
    Sector,
    Tenure,
    WorksDoneBy,
)
from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    HousingPole,
    IndelicacyDecision,
    Owner,
    PoleMember,
    PrescribedWork,
    PstDwelling,
    Rehousing,
    Visit,
)
from toit.eviction import demo_names
from toit.organisations.enums import OrganisationKind
from toit.organisations.models import Organisation
from toit.territory.models import Commune, Department

DAY = datetime.timedelta(days=1)

# Per year at scale 1.
CASES = {2008: 48, 2009: 55, 2010: 62, 2011: 66, 2012: 71}
EXIT_SHARE = (0.16, 0.30)  # of the cases followed in the year, first → last year
KEPT_SHARE = (0.45, 0.70)  # occupants kept in place among occupied exits
PST = {2008: (3, 1), 2009: (5, 2), 2010: (7, 2), 2011: (8, 3), 2012: (8, 3)}  # (Le Mans Métropole, elsewhere)

# The pôle: organisation code (the Sarthe's: toit.demo.places gives another département's) →
# (service, name and kind if absent, limited to the main town or its EPCI).
MEMBERS = {
    "DDE72": (
        PoleService.STATE_HOUSING,
        ("Direction départementale de l'équipement (DDE)", "Direction départementale des territoires {of} (DDT)"),
        OrganisationKind.STATE,
        None,
    ),
    "DDASS72": (
        PoleService.STATE_HEALTH,
        ("DDASS {of}", "Direction départementale de la cohésion sociale {of} (DDCS)"),
        OrganisationKind.STATE,
        None,
    ),
    "CAF72": (PoleService.CAF, "CAF {of}", OrganisationKind.CAF_MSA, None),
    "MSA72": (PoleService.MSA, "MSA", OrganisationKind.CAF_MSA, None),
    "CG72": (
        PoleService.DEPARTMENT,
        ("Conseil général {of}", "Conseil départemental {of}"),
        OrganisationKind.LOCAL_AUTHORITY,
        None,
    ),
    "SCHS-LM": (PoleService.SCHS, "SCHS de la Ville {of_main}", OrganisationKind.LOCAL_AUTHORITY, "commune"),
    "LMM": (PoleService.EPCI, ("Le Mans Métropole", "{metropole}"), OrganisationKind.LOCAL_AUTHORITY, "epci"),
}
OPERATOR = ("CALS-PACT", "CALS-PACT")

QUALIFICATIONS = [
    (Qualification.NON_DECENCY, 34),
    (Qualification.RSD, 22),
    (Qualification.REMEDIABLE, 18),
    (Qualification.IRREMEDIABLE, 5),
    (Qualification.DANGER, 7),
    (Qualification.LEAD, 5),
    (Qualification.OVERCROWDING, 5),
    (Qualification.NOT_SUBSTANDARD, 4),
]
ACT_FOR = {
    Qualification.NON_DECENCY: ActKind.NON_DECENCY_NOTICE,
    Qualification.RSD: ActKind.RSD_NOTICE,
    Qualification.REMEDIABLE: ActKind.UNFIT_REMEDIABLE,
    Qualification.IRREMEDIABLE: ActKind.UNFIT_IRREMEDIABLE,
    Qualification.DANGER: ActKind.DANGER_ORDINARY,
    Qualification.LEAD: ActKind.LEAD_WORKS,
    Qualification.OVERCROWDING: ActKind.UNFIT_URGENT,
}
WORKS = [
    "Mise en sécurité de l'installation électrique",
    "Traitement de l'humidité et ventilation",
    "Remplacement du système de chauffage",
    "Réfection de la toiture",
    "Suppression des peintures au plomb accessibles",
    "Mise en place d'un garde-corps",
    "Raccordement à l'assainissement",
]
DISORDERS = [
    "Humidité, moisissures dans les pièces de vie",
    "Installation électrique dangereuse",
    "Absence de chauffage",
    "Infiltrations par la toiture",
    "Peintures écaillées dans un logement ancien, enfant en bas âge",
    "Pièce unique sans fenêtre",
    "Escalier et garde-corps dégradés",
]
COMPANIES = ["SCI du {t}", "SCI Les {t}", "SARL Immo {t}", "SCI Résidence des {t}"]


class DemoDataError(Exception):
    pass


@dataclass
class DemoResult:
    created: bool
    message: str
    counts: dict = field(default_factory=dict)


def generate(plan_department="72", years=range(2008, 2013), scale=1.0, seed=72):
    if not settings.TOIT_DEMO_ALLOWED:
        raise DemoDataError("Les données de démonstration sont refusées par ce déploiement (TOIT_DEMO_ALLOWED).")
    synthetic = Dwelling.objects.filter(is_synthetic=True, department__code=plan_department)
    if synthetic.exists():
        n = synthetic.count()
        return DemoResult(False, f"Le registre de démonstration existe déjà ({n} logements) : rien n'a été créé.")
    department = Department.objects.filter(code=plan_department).first()
    communes = list(
        Commune.objects.filter(department=department, population__gt=0).select_related("epci").order_by("insee_code")
    )
    if department is None or not communes:
        raise DemoDataError(
            f"Aucune commune du département {plan_department} n'est chargée : chargez d'abord le référentiel "
            f"territorial (manage.py toit_territory import {plan_department} depuis le paquet du COG, "
            f"ou toit_territory load data/territory/cog-{plan_department}.json)."
        )
    with transaction.atomic():
        builder = _Builder(random.Random(seed), department, communes, list(years), scale)  # noqa: S311 - demo data
        counts = builder.build()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    return DemoResult(True, f"Registre des logements de démonstration : {summary}.", counts)


def _in_force(kind, signed_on):
    """The act a former-code kind became from 2021 (ordonnance 2020-1144), for a plan that
    runs past the reform (a second demo département's 2017-2022); the Sarthe's acts all
    fall before it."""
    if signed_on < rules.ORDONNANCE_2020_1144 or rules.ACT_REGIME[kind] != Regime.BEFORE_2021:
        return kind
    return ActKind.SAFETY_URGENT if kind == ActKind.UNFIT_URGENT else ActKind.SAFETY


def _lerp(bounds, progress):
    return bounds[0] + (bounds[1] - bounds[0]) * progress


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Builder:
    def __init__(self, rng, department, communes, years, scale):
        self.rng, self.department, self.years, self.scale = rng, department, years, scale
        self.communes = communes
        self.weights = [c.population or 1 for c in communes]
        self.place = DemoPlace.of(department, communes)
        metropole = self.place.metropole_siren
        self.lmm = [c for c in communes if c.epci_id and c.epci.siren == metropole]
        self.rural = [c for c in communes if c not in self.lmm]
        self.owners = []

    def build(self):
        pole = self._pole()
        operator = self._organisation(*OPERATOR, OrganisationKind.OPERATOR)
        self.owners = self._owners()
        self.persons = [o for o in self.owners if o.kind == OwnerKind.PERSON] or self.owners
        counts = {"propriétaires": len(self.owners)}
        dwellings, cases = self._cases()
        counts["logements signalés"], counts["dossiers"] = len(dwellings), len(cases)
        counts["bailleurs indélicats"] = self._indelicate(pole, cases)
        counts["logements du PST"] = self._pst(operator)
        merging.propose_merges(self.department)
        return counts

    def _organisation(self, key, name, kind):
        code = self.place.code(key)
        found = Organisation.objects.resolve(code, self.department.code)
        return found or Organisation.objects.create(
            code=code, name=self.place.label(name), kind=kind, department=self.department
        )

    def _pole(self):
        pole, _ = HousingPole.objects.get_or_create(
            department=self.department,
            defaults={"name": f"Pôle départemental de lutte contre l'habitat indigne — {self.department.name}"},
        )
        main = self.place.main  # Le Mans for the Sarthe
        for code, (service, name, kind, limit) in MEMBERS.items():
            organisation = self._organisation(code, name, kind)
            restriction = {}
            if limit == "commune" and main is not None:
                restriction = {"commune": main}
            elif limit == "epci" and main is not None and main.epci_id:
                restriction = {"epci": main.epci}
            PoleMember.objects.get_or_create(
                pole=pole,
                organisation=organisation,
                defaults={"service": service, "since": datetime.date(self.years[0], 1, 1), **restriction},
            )
        return pole

    def _owners(self):
        rng, owners = self.rng, []
        for _ in range(int(160 * self.scale) or 1):
            if rng.random() < 0.25:
                name = rng.choice(COMPANIES).format(t=rng.choice(demo_names.TREES))
                kind = OwnerKind.COMPANY
            else:
                name = f"{rng.choice(demo_names.LAST_NAMES).upper()} {rng.choice(demo_names.MALE_FIRST_NAMES)}"
                kind = OwnerKind.PERSON
            owners.append(Owner(department=self.department, kind=kind, name=name, is_synthetic=True))
        for owner in owners:
            owner.name_key = owner.name.lower()
        return Owner.objects.bulk_create(owners)

    def _dwelling(self, commune, tenure, owner):
        rng = self.rng
        dwelling = Dwelling(
            department=self.department,
            commune=commune,
            street_number=str(rng.randint(1, 140)),
            number_suffix=rng.choice(["", "", "", "", "", "", "bis", "ter"]),
            street=rng.choice(demo_names.STREETS),
            building_type=rng.choice([BuildingType.INDIVIDUAL, BuildingType.COLLECTIVE]),
            sector=Sector.PRIVATE,
            tenure=tenure,
            rooms=rng.randint(1, 5),
            surface=Decimal(rng.randint(18, 110)),
            occupants=rng.randint(1, 6) if tenure != Tenure.VACANT else 0,
            owner=owner,
            is_synthetic=True,
        )
        dwelling.refresh_key()
        return dwelling

    def _cases(self):
        rng, scale = self.rng, self.scale
        plan = []  # (dwelling, opened_on, qualification)
        for year in self.years:
            for _ in range(max(1, round(CASES.get(year, 60) * scale))):
                commune = rng.choices(self.communes, weights=self.weights)[0]
                tenure = Tenure.LET if rng.random() < 0.72 else Tenure.OWNER_OCCUPIED
                owner = rng.choice(self.owners[: max(1, len(self.owners) * 2 // 3)]) if tenure == Tenure.LET else None
                if tenure == Tenure.OWNER_OCCUPIED:
                    owner = rng.choice(self.persons)
                opened = datetime.date(year, 1, 1) + DAY * rng.randint(0, 364)
                plan.append((self._dwelling(commune, tenure, owner), opened, _weighted(rng, QUALIFICATIONS)))
        # A few dwellings reported twice, spelled another way: the register proposes merges.
        twins = []
        for dwelling, _, _ in rng.sample(plan, k=min(len(plan), max(1, round(12 * scale)))):
            twin = Dwelling(
                **{f.attname: getattr(dwelling, f.attname) for f in Dwelling._meta.concrete_fields if not f.primary_key}
            )
            twin.street = (
                twin.street.replace("rue ", "r. ").replace("avenue ", "av. ").replace("boulevard ", "bd ").upper()
            )
            twin.refresh_key()
            twins.append(twin)
        dwellings = Dwelling.objects.bulk_create([d for d, _, _ in plan] + twins)
        cases, reports, visits, qualifications, rehousings = [], [], [], [], []
        for dwelling, opened, _ in plan:
            cases.append(
                Case(
                    department=self.department,
                    dwelling=dwelling,
                    opened_on=opened,
                    regime=rules.regime_on(opened),
                    tenure=dwelling.tenure,
                    occupied=True,
                    is_synthetic=True,
                )
            )
        Case.objects.bulk_create(cases)
        acts, works_plan = [], []
        for case, (_, opened, qualification) in zip(cases, plan, strict=True):
            reports.append(
                CaseReport(
                    case=case,
                    received_on=opened,
                    source=_weighted(
                        rng,
                        [(s, w) for s, w in zip(ReportSource.values, [30, 12, 20, 4, 15, 8, 4, 3, 2, 2], strict=True)],
                    ),
                    disorders=rng.choice(DISORDERS),
                )
            )
            if rng.random() < 0.15:  # a second report of the same dwelling
                reports.append(
                    CaseReport(case=case, received_on=opened + DAY * rng.randint(10, 200), source=ReportSource.CAF)
                )
            if rng.random() < 0.9:
                visited = opened + DAY * rng.randint(10, 60)
                visits.append(Visit(case=case, visited_on=visited, findings="Constats de la visite (démonstration)"))
                qualifications.append(
                    CaseQualification(case=case, kind=qualification, qualified_on=visited + DAY * rng.randint(5, 40))
                )
                kind = ACT_FOR.get(qualification)
                if kind is not None and rng.random() < 0.75:
                    signed = visited + DAY * rng.randint(30, 120)
                    kind = _in_force(kind, signed)
                    interdiction, until = Interdiction.NONE, None
                    if qualification == Qualification.IRREMEDIABLE:
                        interdiction = Interdiction.DEFINITIVE
                    elif qualification in (Qualification.REMEDIABLE, Qualification.DANGER) and rng.random() < 0.3:
                        interdiction, until = Interdiction.TEMPORARY, signed + DAY * rng.randint(90, 360)
                    act = Act(
                        case=case,
                        kind=kind,
                        signed_on=signed,
                        regime=rules.act_regime(kind, signed),
                        legal_basis=rules.legal_basis(kind),
                        works_deadline=signed + DAY * rng.choice([90, 180, 365]),
                        interdiction=interdiction,
                        interdiction_until=until,
                    )
                    acts.append(act)
                    works_plan.append((case, act))
        Act.objects.bulk_create(acts)
        works = []
        end = datetime.date(self.years[-1], 12, 31)
        for _case, act in works_plan:
            for description in rng.sample(WORKS, k=rng.randint(1, 3)):
                work = PrescribedWork(act=act, description=description, deadline=act.works_deadline)
                done = act.works_deadline + DAY * rng.randint(-60, 240)
                if done <= end and rng.random() < 0.75:
                    work.done_on = max(act.signed_on + DAY, done)
                    work.done_by = WorksDoneBy.OWNER if rng.random() < 0.85 else WorksDoneBy.EX_OFFICIO
                works.append(work)
        PrescribedWork.objects.bulk_create(works)
        self._exits(cases, works_plan, works, rehousings)
        CaseReport.objects.bulk_create(reports)
        Visit.objects.bulk_create(visits)
        CaseQualification.objects.bulk_create(qualifications)
        Rehousing.objects.bulk_create(rehousings)
        return dwellings, cases

    def _exits(self, cases, works_plan, works, rehousings):
        """A case exits once its prescribed works are done, with a share that grows over
        the plan; occupants stay in place more often as the plan goes on."""
        rng, first, last = self.rng, self.years[0], self.years[-1]
        done_by_act = {}
        for work in works:
            if work.done_on:
                done_by_act[work.act_id] = max(done_by_act.get(work.act_id, work.done_on), work.done_on)
        end = datetime.date(last, 12, 31)
        for case, act in works_plan:
            done = done_by_act.get(act.pk)
            if done is None:
                continue
            exit_on = done + DAY * rng.randint(5, 60)
            progress = (exit_on.year - first) / max(1, last - first)
            if exit_on > end or rng.random() > _lerp(EXIT_SHARE, progress) * 3:
                continue
            occupied = act.interdiction != Interdiction.DEFINITIVE
            case.exit_on, case.occupied_at_exit = exit_on, occupied
            case.exit_mode = ExitMode.WORKS_EX_OFFICIO if rng.random() < 0.1 else ExitMode.WORKS_OWNER
            case.occupants_kept = occupied and rng.random() < _lerp(KEPT_SHARE, progress)
            if occupied and not case.occupants_kept:
                rehousings.append(
                    Rehousing(
                        case=case, on=exit_on - DAY * 20, kind=RehousingKind.DEFINITIVE, persons=rng.randint(1, 5)
                    )
                )
            if not occupied:
                rehousings.append(
                    Rehousing(
                        case=case, on=act.signed_on + DAY * 30, kind=RehousingKind.DEFINITIVE, persons=rng.randint(1, 4)
                    )
                )
        Case.objects.bulk_update(
            [c for c in cases if c.exit_on],
            ["exit_on", "occupied_at_exit", "exit_mode", "occupants_kept"],
            batch_size=500,  # one CASE per field per batch: unbatched, PostgreSQL slows down quadratically
        )

    def _indelicate(self, pole, cases):
        """Landlords with three cases or more become « bailleurs indélicats » after the
        third; one decision in four is withdrawn a year or two later."""
        by_owner = {}
        for case in sorted(cases, key=lambda c: c.opened_on):
            if case.tenure == Tenure.LET and case.dwelling.owner_id:
                by_owner.setdefault(case.dwelling.owner_id, []).append(case.opened_on)
        decisions = []
        for owner_id, dates in by_owner.items():
            if len(dates) < 3:
                continue
            decided = dates[2] + DAY * self.rng.randint(30, 120)
            withdrawn = decided + DAY * self.rng.randint(365, 700) if self.rng.random() < 0.25 else None
            decisions.append(
                IndelicacyDecision(
                    pole=pole,
                    owner_id=owner_id,
                    decided_on=decided,
                    grounds="Plusieurs logements signalés et arrêtés non exécutés (démonstration)",
                    review_due_on=decided + DAY * 365,
                    withdrawn_on=withdrawn,
                )
            )
        IndelicacyDecision.objects.bulk_create(decisions)
        return len(decisions)

    def _pst(self, operator):
        rng, rows, diagnoses = self.rng, [], []
        dwellings = []
        for year in self.years:
            lmm, rural = PST.get(year, (5, 2))
            for communes, n in ((self.lmm or self.communes, lmm), (self.rural or self.communes, rural)):
                for _ in range(max(0, round(n * self.scale))):
                    commune = rng.choice(communes)
                    dwelling = self._dwelling(commune, Tenure.LET, rng.choice(self.owners))
                    available = datetime.date(year, 1, 1) + DAY * rng.randint(0, 364)
                    dwellings.append((dwelling, available))
        Dwelling.objects.bulk_create([d for d, _ in dwellings])
        for dwelling, available in dwellings:
            very_social = rng.random() < 0.7
            rows.append(
                PstDwelling(
                    department=self.department,
                    dwelling=dwelling,
                    operator=operator,
                    convention=Convention.VERY_SOCIAL if very_social else Convention.SOCIAL,
                    convention_signed_on=available - DAY * rng.randint(60, 200),
                    anah_subsidy=Decimal(rng.randrange(8000, 32000, 500)),
                    available_on=available,
                    is_synthetic=True,
                )
            )
            before = rng.randint(280, 520)
            made_before = available - DAY * rng.randint(150, 300)
            diagnoses.append(self._dpe(dwelling, DpeStage.BEFORE, made_before, before))
            if rng.random() < 0.85:
                diagnoses.append(
                    self._dpe(
                        dwelling,
                        DpeStage.AFTER,
                        available - DAY * rng.randint(5, 40),
                        int(before * rng.uniform(0.35, 0.8)),
                    )
                )
        PstDwelling.objects.bulk_create(rows)
        EnergyDiagnosis.objects.bulk_create(diagnoses)
        return len(rows)

    def _dpe(self, dwelling, stage, made_on, kwh):
        label = next(
            c
            for c, top in (("A", 50), ("B", 90), ("C", 150), ("D", 230), ("E", 330), ("F", 450), ("G", 10**6))
            if kwh <= top
        )
        return EnergyDiagnosis(
            department=self.department,
            dwelling=dwelling,
            stage=stage,
            made_on=made_on,
            method=rules.dpe_method(made_on),
            energy_class=label,
            kwh_per_m2_year=kwh,
            is_synthetic=True,
        )
