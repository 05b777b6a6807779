"""Issue 14 item 8: `toit_demo` builds a second synthetic département (the Orne, with a
fictitious plan) next to the Sarthe's, and neither département's demo accounts see the other's."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from toit.accommodation.models import Structure
from toit.demo.accounts import demo_accounts
from toit.dwellings.models import Dwelling
from toit.eviction.enums import MemberRelationship
from toit.eviction.models import Household, HouseholdMember, PreventionFile
from toit.organisations.models import Organisation
from toit.plans.loader import load_file
from toit.plans.selection import current_plan
from toit.priority_access.models import HousingDemand
from toit.territory.cog import load_file as load_territory_file
from toit.users.models import User

ROOT = Path(__file__).resolve().parents[2]
ORNE_PLAN = "demo-pdalhpd-orne-2017-2022"
SCALE = "0.05"  # the scale of the other demo tests


@pytest.fixture
def two_departements(capsys):
    load_territory_file(ROOT / "data" / "territory" / "cog-72.json")
    sarthe = load_file(ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml").plan
    call_command("toit_demo", "--scale", SCALE)
    # The Orne's territory comes from the COG package at run time, as `make demo-second` does.
    call_command("toit_territory", "import", "61")
    orne = load_file(ROOT / "plans" / "demo" / "pdalhpd-orne-2017-2022.yaml").plan
    capsys.readouterr()
    call_command("toit_demo", "--plan", ORNE_PLAN, "--seed", "61", "--scale", SCALE)
    return sarthe, orne, capsys.readouterr().out


def _users(department_code):
    return [User.objects.get(username=row[0]) for row in demo_accounts(department_code)]


def _orne_files():
    return PreventionFile.objects.filter(household__commune__department__code="61")


def test_second_departement_has_its_own_data_organisations_and_accounts(two_departements, client, capsys):
    sarthe, orne, out = two_departements
    assert (orne.department_code, orne.first_year, orne.last_year) == ("61", 2017, 2022)
    # Both départements' accounts are printed, with their own organisations.
    assert "agent.caf " in out and "CAF72" in out
    assert "agent.caf.61" in out and "CAF61" in out and "observatoire.61" in out

    # Each département has its own households, files, dwellings, structures and demands.
    for code in ("72", "61"):
        assert Household.objects.filter(is_synthetic=True, commune__department__code=code).exists(), code
        assert PreventionFile.objects.filter(household__commune__department__code=code).exists(), code
        assert Dwelling.objects.filter(is_synthetic=True, department__code=code).exists(), code
        assert Structure.objects.filter(is_synthetic=True, department__code=code).exists(), code
        assert HousingDemand.objects.filter(is_synthetic=True, department__code=code).exists(), code
    # The Orne's files are held and joined by Orne (or national) bodies, its préfecture included.
    orne_participants = Organisation.objects.filter(eviction_participations__file__in=_orne_files()).distinct()
    assert set(orne_participants.values_list("department__code", flat=True)) <= {"61", None}
    assert orne_participants.filter(code="PREF61", is_prefecture=True).exists()
    # Nothing of the Orne's demo is labelled after the Sarthe or Le Mans.
    orne_labels = [
        *Organisation.objects.filter(department__code="61").values_list("name", flat=True),
        *Structure.objects.filter(department__code="61").values_list("name", flat=True),
    ]
    assert [label for label in orne_labels if "Sarthe" in label or "Mans" in label or "Sablé" in label] == []
    assert not Organisation.objects.filter(department__code="61", code__contains="72").exists()

    # The Sarthe's accounts (the superuser « admin » aside: instance-wide by design) see nothing
    # of the Orne: its plan's pages answer 404, its files are absent from the search.
    orne_file = _orne_files().order_by("pk").first()
    orne_name = HouseholdMember.objects.filter(
        household=orne_file.household, relationship=MemberRelationship.REFERENCE
    ).first()
    # A result row links to its file (the search box itself echoes what was typed).
    orne_links = {reverse("eviction:file", args=[r]) for r in _orne_files().values_list("reference", flat=True)}
    for user in _users("72"):
        if user.is_superuser:
            continue
        client.force_login(user)
        assert current_plan(user) == sarthe, user.username
        assert client.get(reverse("plans:overview", args=[ORNE_PLAN])).status_code == 404, user.username
        assert client.get(reverse("observatory:dashboard", args=[ORNE_PLAN])).status_code == 404, user.username
        for query in ({}, {"q": orne_name.last_name}, {"q": orne_file.reference}):
            page = client.get(reverse("eviction:search"), query)
            if page.status_code == 200:
                assert not [link for link in orne_links if link in page.text], (user.username, query)
        # 404 for the roles that read files, 403 for the observatory role, which reads none.
        expected = 403 if user.username == "observatoire" else 404
        assert client.get(reverse("eviction:file", args=[orne_file.reference])).status_code == expected, user.username

    # The Orne's accounts land on their own plan and see nothing of the Sarthe's.
    sarthe_file = PreventionFile.objects.filter(household__commune__department__code="72").order_by("pk").first()
    for user in _users("61"):
        assert not user.is_superuser
        client.force_login(user)
        assert current_plan(user) == orne, user.username
        landing = client.get(reverse("plans:home"))
        assert landing.status_code == 302 and landing.url == reverse("plans:overview", args=[ORNE_PLAN])
        assert client.get(landing.url).status_code == 200
        assert client.get(reverse("plans:overview", args=[sarthe.code])).status_code == 404, user.username
        expected = 403 if user.username == "observatoire.61" else 404
        assert client.get(reverse("eviction:file", args=[sarthe_file.reference])).status_code == expected, user.username
    agent = User.objects.get(username="agent.caf.61")
    client.force_login(agent)
    page = client.get(reverse("eviction:search"))
    assert page.status_code == 200
    assert reverse("eviction:file", args=[sarthe_file.reference]) not in page.text
    assert any(link in page.text for link in orne_links)

    # The Orne's administrator (staff, not superuser) manages the Orne's CCAPEX thresholds,
    # and only the Orne's.
    client.force_login(User.objects.get(username="admin.61"))
    assert client.get(reverse("admin:eviction_ccapexthreshold_changelist")).status_code == 200
    add = client.get(reverse("admin:eviction_ccapexthreshold_add"))
    assert add.status_code == 200
    choices = add.context["adminform"].form.fields["department"].queryset
    assert list(choices.values_list("code", flat=True)) == ["61"]

    # Building it again creates nothing twice (one build per département).
    files = PreventionFile.objects.count()
    call_command("toit_demo", "--plan", ORNE_PLAN, "--seed", "61", "--scale", SCALE)
    assert "existent déjà" in capsys.readouterr().out
    assert PreventionFile.objects.count() == files
