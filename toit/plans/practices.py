"""Local practices: delays a département chooses for its own work (an alert before a
hearing, a contact after an assignation), which no law and no plan sheet sets. Each is
declared in the département's plan file with its source (docs/plan-format.md,
`local_practices`), and applies while that plan is the département's latest one."""

from dataclasses import dataclass

from django.db.models import Q

# code -> what it is, in French (the plan file may declare only these).
LOCAL_PRACTICES = {
    "diagnosis_before_hearing_days": "alerte : audience dans ce nombre de jours sans diagnostic réalisé",
    "contact_after_summons_days": "file de travail : assignation sans contact établi depuis ce nombre de jours",
}


@dataclass(frozen=True)
class LocalPractice:
    code: str
    days: int
    source: str
    plan_code: str


def _plans_in_force(day, department_codes=None):
    from toit.plans.models import Plan

    plans = Plan.objects.filter(starts_on__lte=day)
    if department_codes is not None:
        plans = plans.filter(department_code__in=department_codes)
    return plans.order_by("department_code", "-starts_on").values("code", "department_code", "local_practices")


def practices_by_department(code, day, department_codes=None):
    """{department code: LocalPractice} for the départements whose latest plan started by
    `day` declares `code` (one query). A département without one gets no entry: Toit then
    applies no local practice there."""
    found, seen = {}, set()
    for row in _plans_in_force(day, department_codes):
        if row["department_code"] in seen:
            continue
        seen.add(row["department_code"])
        declared = (row["local_practices"] or {}).get(code)
        if declared:
            found[row["department_code"]] = LocalPractice(code, int(declared["days"]), declared["source"], row["code"])
    return found


def local_practice(department_code, code, day):
    return practices_by_department(code, day, [department_code]).get(department_code)


def department_condition(practices, build):
    """OR of `build(department_code, practice)` over the départements that declare the
    practice; matches nothing when none does."""
    condition = Q(pk__in=[])
    for department_code, practice in practices.items():
        condition |= build(department_code, practice)
    return condition
