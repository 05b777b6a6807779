"""Accounts and sample data for the load test (bench/load/run), in the database that
DATABASE_URL names (the benchmark's, built by bench/eviction.py --build).

Creates three accounts if missing (a département agent in the organisation taking part in
most files, a préfecture agent, an observatory member), all with the password in
LOAD_PASSWORD, computes the observatory's indicators if they never were (the dashboard shows
what the last computation left: empty, it would draw nothing), and writes
var/load/sample.json: name prefixes and file references each agent may read, the plan code
and, per agent, the organisation it acts for.
"""

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


def main():
    import django

    django.setup()
    from django.db.models import Count

    from toit.eviction.models import FileParticipant, HouseholdMember, PreventionFile
    from toit.organisations.enums import Role
    from toit.organisations.models import Membership, Organisation
    from toit.plans.models import Plan
    from toit.users.models import User

    password = os.environ["LOAD_PASSWORD"]
    top = (
        FileParticipant.objects.exclude(organisation__is_prefecture=True)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("Aucun dossier dans cette base : construisez-la avec bench/eviction.py --build.")
    agents = {
        "load.agent": Organisation.objects.get(pk=top["organisation"]),
        "load.prefecture": Organisation.objects.prefecture_of("72"),
    }
    # The plan the bench database was built with (bench/eviction.py loads the Sarthe plan): named,
    # never « the most recent one ».
    plan = Plan.objects.filter(code="pdalpd-sarthe-2008-2012").first()
    if plan is None:
        raise SystemExit("Le plan pdalpd-sarthe-2008-2012 manque : construisez la base avec bench/eviction.py --build.")
    from django.core.management import call_command

    from toit.observatory.models import IndicatorSnapshot

    if not IndicatorSnapshot.objects.filter(indicator__plan=plan).exists():
        call_command("toit_observatory", "compute", "--plan", plan.code)
    rng = random.Random(17)
    sample = {"plan": plan.code, "agents": {}, "observatory": "load.observatoire"}
    for username, organisation in agents.items():
        user = _account(User, username, password)
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.AGENT})
        visible = PreventionFile.objects.visible_to(user)
        names = list(
            HouseholdMember.objects.filter(household__files__in=visible.order_by("?")[:3000])
            .values_list("last_name", flat=True)
            .distinct()[:1000]
        )
        sample["agents"][username] = {
            "organisation": organisation.pk,
            "prefixes": sorted({n[: rng.randint(3, 7)] for n in names}),
            "references": list(visible.order_by("?").values_list("reference", flat=True)[:1000]),
        }
    observer = _account(User, "load.observatoire", password)
    observatory_org = Organisation.objects.get(pk=top["organisation"])
    Membership.objects.get_or_create(user=observer, organisation=observatory_org, defaults={"role": Role.OBSERVATORY})
    out = ROOT / "var" / "load" / "sample.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(sample))
    print(f"Comptes prêts, échantillon écrit dans {out.relative_to(ROOT)}")


def _account(User, username, password):
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@toit.invalid"})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user


if __name__ == "__main__":
    main()
