"""Demo accounts: one per role, on organisations of the loaded plan. Synthetic people.

The Sarthe's accounts keep their names (admin, agent.caf…); another demo département gets the
same roles on its own organisations, its usernames suffixed by its code (agent.caf.61)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from toit.demo.places import SARTHE, demo_code
from toit.organisations.enums import Role
from toit.organisations.models import Membership, Organisation
from toit.users.models import User

# A local demo password, printed by `make demo`; demo data is refused outside DEBUG settings.
DEMO_PASSWORD = "demo-toit-sarthe"  # noqa: S105

DEMO_ACCOUNTS = [
    # username, first name, last name, organisation code, role, staff
    ("admin", "Alix", "Administratrice", "DDE72", Role.ADMIN, True),
    ("responsable.dde", "Dominique", "Responsable", "DDE72", Role.MANAGER, False),
    ("agent.caf", "Camille", "Agent-CAF", "CAF72", Role.AGENT, False),
    ("agent.cg", "Claude", "Agent-FSL", "CG72", Role.AGENT, False),
    ("agent.prefecture", "Pascal", "Agent-Préfecture", "PREF72", Role.AGENT, False),
    ("observatoire", "Odile", "Observatoire", "CG72", Role.OBSERVATORY, False),
]


# What a département's administrator edits in the admin site beyond memberships: the
# département's reference data, without personal data. The admin pages themselves limit a
# non-superuser to the départements they administer (toit.eviction.admin.CcapexThresholdAdmin).
DEPARTMENT_ADMIN_GROUP = "Administration départementale (démo)"
DEPARTMENT_ADMIN_MODELS = [("eviction", "ccapexthreshold")]


def department_admin_group():
    group, _ = Group.objects.get_or_create(name=DEPARTMENT_ADMIN_GROUP)
    for app_label, model in DEPARTMENT_ADMIN_MODELS:
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, content_type__model=model))
    return group


class DemoError(Exception):
    pass


# Usernames that name a Sarthe service renamed since (toit.demo.places.RENAMED_CODES).
RENAMED_USERNAMES = {"responsable.dde": "responsable.ddt", "agent.cg": "agent.cd"}


def demo_accounts(department_code=SARTHE):
    """The demo accounts of a département, rows shaped like DEMO_ACCOUNTS."""
    if department_code == SARTHE:
        return list(DEMO_ACCOUNTS)
    return [
        (
            f"{RENAMED_USERNAMES.get(username, username)}.{department_code}",
            first,
            last,
            demo_code(code, department_code),
            role,
            staff,
        )
        for username, first, last, code, role, staff in DEMO_ACCOUNTS
    ]


@transaction.atomic
def create_demo_accounts(department_code=SARTHE):
    accounts = demo_accounts(department_code)
    codes = {row[3] for row in accounts}
    organisations = {o.code: o for o in Organisation.objects.filter(department__code=department_code, code__in=codes)}
    missing = sorted(codes - set(organisations))
    if missing:
        raise DemoError(
            f"Organisation(s) absente(s) du département {department_code} : {', '.join(missing)}. Chargez "
            "d'abord le plan du département (manage.py toit_plan load plans/…yaml)."
        )
    created = []
    for username, first, last, code, role, staff in accounts:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.toit.invalid",
                "is_staff": staff,
                # A superuser opens every plan of the instance (docs/access.md): only the
                # first demo département's administrator is one; another's stays within it.
                "is_superuser": staff and department_code == SARTHE,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(username)
        Membership.objects.get_or_create(user=user, organisation=organisations[code], defaults={"role": role})
        if staff and not user.is_superuser:
            user.groups.add(department_admin_group())
    return created
