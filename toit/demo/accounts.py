"""Demo accounts: one per role, on organisations of the loaded plan. Synthetic people."""

from django.db import transaction

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


class DemoError(Exception):
    pass


@transaction.atomic
def create_demo_accounts(department_code="72"):
    codes = {row[3] for row in DEMO_ACCOUNTS}
    organisations = {o.code: o for o in Organisation.objects.filter(department__code=department_code, code__in=codes)}
    missing = sorted(codes - set(organisations))
    if missing:
        raise DemoError(
            f"Organisation(s) absente(s) : {', '.join(missing)}. Chargez d'abord le plan "
            "(manage.py toit_plan load plans/pdalpd-sarthe-2008-2012.yaml)."
        )
    created = []
    for username, first, last, code, role, staff in DEMO_ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.toit.invalid",
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(username)
        Membership.objects.get_or_create(user=user, organisation=organisations[code], defaults={"role": role})
    return created
