import pytest

from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.demo.accounts import DEMO_ACCOUNTS, demo_accounts
from toit.demo.places import DemoPlace, demo_code, of_department, of_town


@pytest.mark.parametrize(
    "sarthe, orne",
    [
        ("CAF72", "CAF61"),
        ("PREF72", "PREF61"),
        ("CG72", "CD61"),
        ("CG72-DCSD", "CD61-DSD"),
        ("DDE72", "DDT61"),
        ("CCAS-LM", "CCAS61"),
        ("LMM", "EPCI61"),
        ("BDF", "BDF"),
    ],
)
def test_codes_take_the_departement_and_stay_the_sarthe_s_in_the_sarthe(sarthe, orne):
    assert demo_code(sarthe, "61") == orne
    assert demo_code(sarthe, "72") == sarthe


def test_names_follow_the_cog_link_and_the_town_s_article():
    assert of_department(DepartmentFactory(code="72", name="Sarthe")) == "de la Sarthe"
    assert of_department(DepartmentFactory(code="61", name="Orne")) == "de l'Orne"
    assert of_department(DepartmentFactory(code="14", name="Calvados")) == "du Calvados"
    assert of_department(DepartmentFactory(code="78", name="Yvelines")) == "des Yvelines"
    assert [of_town(n) for n in ("Le Mans", "Alençon", "La Flèche", "Les Mureaux", "Flers")] == [
        "du Mans",
        "d'Alençon",
        "de La Flèche",
        "des Mureaux",
        "de Flers",
    ]


def test_labels_keep_the_sarthe_s_wording_and_name_another_departement_s_own():
    sarthe = DepartmentFactory(code="72", name="Sarthe")
    orne = DepartmentFactory(code="61", name="Orne")
    lmm = EPCIFactory(name="CU Le Mans Métropole")
    cua = EPCIFactory(name="CU d'Alençon")
    CommuneFactory(department=sarthe, name="Le Mans", population=145000, epci=lmm)
    CommuneFactory(department=sarthe, name="La Flèche", population=15000)
    CommuneFactory(department=orne, name="Alençon", population=25000, epci=cua)
    CommuneFactory(department=orne, name="Flers", population=14000)
    label = "Centre communal d'action sociale de la Ville {of_main} (CCAS)"
    pair = ("Le Mans Métropole", "{metropole}")
    assert DemoPlace.of(sarthe).label(label) == "Centre communal d'action sociale de la Ville du Mans (CCAS)"
    assert DemoPlace.of(orne).label(label) == "Centre communal d'action sociale de la Ville d'Alençon (CCAS)"
    assert DemoPlace.of(sarthe).label(pair) == "Le Mans Métropole"
    assert DemoPlace.of(orne).label(pair) == "CU d'Alençon"
    assert DemoPlace.of(orne).metropole_siren == cua.siren


def test_another_departement_s_accounts_are_suffixed_and_never_superusers():
    assert demo_accounts("72") == DEMO_ACCOUNTS
    orne = {row[0]: row for row in demo_accounts("61")}
    assert set(orne) == {
        "admin.61",
        "responsable.ddt.61",
        "agent.caf.61",
        "agent.cd.61",
        "agent.prefecture.61",
        "observatoire.61",
    }
    assert orne["agent.caf.61"][3] == "CAF61" and orne["agent.prefecture.61"][3] == "PREF61"
