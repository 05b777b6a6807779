"""Issue 14: one instance, two plans of the Sarthe (successive) and a plan of the Orne. Each
role sees its own plan's pages, indicators, reports and files, and nothing of the other
département; the most recent plan of the instance is nobody's default."""

import datetime

import pytest
from django.urls import reverse

from tests.eviction.factories import EventFactory, HouseholdFactory, PreventionFileFactory, prefecture
from tests.organisations.factories import member_of
from tests.plans.sample import SAMPLE_PLAN
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.eviction import access
from toit.eviction.enums import EventKind
from toit.eviction.models import PreventionFile
from toit.organisations.enums import Role
from toit.organisations.models import Organisation
from toit.plans.loader import load, parse
from toit.plans.models import Indicator
from toit.plans.selection import current_plan, plans_for


def _plan(code, department, start, end, suffix):
    text = (
        SAMPLE_PLAN.replace("code: pdalpd-test", f"code: {code}")
        .replace('department: "72"', f'department: "{department}"')
        .replace("period: {start: 2008, end: 2012}", f"period: {{start: {start}, end: {end}}}")
        .replace("CAF72", f"CAF{suffix}")
        .replace("DDE72", f"DDE{suffix}")
    )
    # A generic code both départements declare: each gets its own, neither is renamed.
    text = text.replace(
        "organisations:\n",
        f"organisations:\n  - code: ANAH\n    name: Délégation de l'ANAH ({department})\n    kind: financeur\n",
    )
    return load(parse(text)).plan


@pytest.fixture
def world():
    sarthe, orne = DepartmentFactory(code="72", name="Sarthe"), DepartmentFactory(code="61", name="Orne")
    first = _plan("pdalpd-72-2008", "72", 2008, 2012, "72")
    second = _plan("pdalhpd-72-2024", "72", 2024, 2029, "72")
    # The Orne's plan is the most recent of the instance: it used to become everyone's default.
    orne_plan = _plan("pdalhpd-61-2025", "61", 2025, 2030, "61")
    caf72 = Organisation.objects.get(code="CAF72", department=sarthe)
    caf61 = Organisation.objects.get(code="CAF61", department=orne)
    dde72 = Organisation.objects.get(code="DDE72", department=sarthe)
    return {
        "plans": (first, second, orne_plan),
        "agent72": member_of(caf72, Role.AGENT, username="monde.agent72"),
        "observatory72": member_of(dde72, Role.OBSERVATORY, username="monde.obs72"),
        "admin72": member_of(dde72, Role.ADMIN, username="monde.admin72"),
        "agent61": member_of(caf61, Role.AGENT, username="monde.agent61"),
        "observatory61": member_of(caf61, Role.OBSERVATORY, username="monde.obs61"),
        "caf72": caf72,
        "caf61": caf61,
        "communes": (CommuneFactory(department=sarthe), CommuneFactory(department=orne)),
    }


def test_generic_codes_are_per_departement(world):
    anah = Organisation.objects.filter(code="ANAH").order_by("department__code")
    assert [(o.department.code, o.name) for o in anah] == [
        ("61", "Délégation de l'ANAH (61)"),
        ("72", "Délégation de l'ANAH (72)"),
    ]


@pytest.mark.parametrize(
    "role, expected",
    [
        ("agent72", {"pdalpd-72-2008", "pdalhpd-72-2024"}),
        ("observatory72", {"pdalpd-72-2008", "pdalhpd-72-2024"}),
        ("admin72", {"pdalpd-72-2008", "pdalhpd-72-2024"}),
        ("agent61", {"pdalhpd-61-2025"}),
        ("observatory61", {"pdalhpd-61-2025"}),
    ],
)
def test_each_role_opens_its_own_plans_only(client, world, role, expected):
    user = world[role]
    assert set(plans_for(user).values_list("code", flat=True)) == expected
    client.force_login(user)
    for plan in world["plans"]:
        status = 200 if plan.code in expected else 404
        assert client.get(reverse("plans:overview", args=[plan.code])).status_code == status, plan.code
        assert client.get(reverse("plans:action", args=[plan.code, "1A"])).status_code == status, plan.code
        observatory = client.get(reverse("observatory:dashboard", args=[plan.code])).status_code
        reports = client.get(reverse("observatory:reports", args=[plan.code])).status_code
        preview = client.get(reverse("observatory:preview", args=[plan.code]), {"period": "2010T3"}).status_code
        steering = client.get(reverse("steering:overview", args=[plan.code])).status_code
        if plan.code not in expected:
            assert (observatory, reports, preview, steering) == (404, 404, 404, 404), plan.code


def test_a_user_lands_on_the_running_plan_of_their_departement(client, world):
    first, second, orne_plan = world["plans"]
    client.force_login(world["agent72"])
    assert client.get(reverse("plans:home")).url == reverse("plans:overview", args=[second.code])
    assert current_plan(world["agent72"], today=datetime.date(2010, 6, 1)) == first
    client.force_login(world["agent61"])
    assert client.get(reverse("plans:home")).url == reverse("plans:overview", args=[orne_plan.code])


def test_switching_plan_is_explicit_and_only_among_ones_own(client, world):
    first, second, orne_plan = world["plans"]
    client.force_login(world["agent72"])
    assert client.post(reverse("plans:choose"), {"plan": orne_plan.code}).status_code == 404
    assert client.get(reverse("plans:home")).url == reverse("plans:overview", args=[second.code])
    client.post(reverse("plans:choose"), {"plan": first.code})
    assert client.get(reverse("plans:home")).url == reverse("plans:overview", args=[first.code])
    assert client.get(reverse("observatory:home")).url == reverse("observatory:dashboard", args=[first.code])


def test_published_reports_are_listed_for_their_own_departement_only(world):
    from toit.api.views.observatory import viewable_plans

    first, second, orne_plan = world["plans"]
    assert set(viewable_plans(world["observatory72"])) == {first, second}
    assert set(viewable_plans(world["observatory61"])) == {orne_plan}
    assert set(viewable_plans(world["admin72"])) == {first, second}


def test_departemental_roles_stop_at_the_departement(client, world):
    from toit.observatory.access import access_for

    first, _second, orne_plan = world["plans"]
    assert access_for(world["admin72"], first).operate and not access_for(world["admin72"], orne_plan).view
    assert access_for(world["observatory61"], orne_plan).operate
    assert not access_for(world["observatory61"], first).view
    client.force_login(world["observatory61"])
    started = client.post(reverse("observatory:compute", args=[first.code]), {"period": "2010"})
    assert started.status_code == 404
    # Manual indicators: the observatory records those of its own département's plans only.
    recordable = set(Indicator.objects.recordable_by(world["observatory72"]).values_list("plan__code", flat=True))
    assert recordable == {"pdalpd-72-2008", "pdalhpd-72-2024"}


def test_each_departements_files_stay_there(client, world):
    sarthe_commune, orne_commune = world["communes"]
    pref72, pref61 = prefecture("72"), prefecture("61")
    orne_file = PreventionFileFactory(
        household=HouseholdFactory(commune=orne_commune), opened_by=world["caf61"], participants=[world["caf61"]]
    )
    sarthe_file = PreventionFileFactory(
        household=HouseholdFactory(commune=sarthe_commune), opened_by=world["caf72"], participants=[world["caf72"]]
    )
    for file in (orne_file, sarthe_file):
        summons = EventFactory(
            file=file,
            kind=EventKind.SUMMONS,
            date=datetime.date(2026, 9, 1),
            hearing_date=datetime.date(2026, 12, 1),
        )
        access.grant_after_event(summons, user=None)
    # The préfecture of each household's département joins its files, never the other's.
    assert set(orne_file.participants.values_list("organisation__code", flat=True)) == {"CAF61", "PREF61"}
    assert set(sarthe_file.participants.values_list("organisation__code", flat=True)) == {"CAF72", "PREF72"}
    agent72, agent61 = world["agent72"], world["agent61"]
    assert list(PreventionFile.objects.visible_to(agent72)) == [sarthe_file]
    assert list(PreventionFile.objects.visible_to(agent61)) == [orne_file]
    assert member_of(pref72).pk and list(PreventionFile.objects.visible_to(member_of(pref61))) == [orne_file]
    client.force_login(agent72)
    assert client.get(reverse("eviction:file", args=[orne_file.reference])).status_code == 404
