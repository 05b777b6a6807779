"""The register's entry pages (toit.www.dwellings.entry): what a pôle member enters in the
browser, what the others get (403 outside the pôle, 404 for a record one does not read, and
nothing written either way), French errors, and a fixed number of queries."""

import datetime

import pytest
from django.urls import resolve, reverse

from tests.dwellings.conftest import agent, dde, pole  # noqa: F401 (fixtures)
from tests.dwellings.factories import (
    ActFactory,
    CaseFactory,
    DwellingFactory,
    HousingPoleFactory,
    OwnerFactory,
    PoleMemberFactory,
    PrescribedWorkFactory,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.audit.models import AccessLog
from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    MergeProposal,
    Owner,
    PrescribedWork,
    Rehousing,
    Visit,
)

MODELS = (Dwelling, Owner, Case, CaseReport, Visit, CaseQualification, Act, PrescribedWork, Rehousing)


def _counts():
    return {m.__name__: m.objects.count() for m in (*MODELS, EnergyDiagnosis, MergeProposal)}


@pytest.fixture
def logged(client, agent):  # noqa: F811
    client.force_login(agent)
    return client


@pytest.fixture
def mayenne_member():
    organisation = OrganisationFactory(code="DDT53", name="DDT de la Mayenne")
    mayenne = HousingPoleFactory(department=DepartmentFactory(code="53", name="Mayenne"))
    PoleMemberFactory(pole=mayenne, organisation=organisation)
    return member_of(organisation)


@pytest.fixture
def outsider():
    return member_of(OrganisationFactory(code="CCAS72", name="CCAS du Mans"))


def _dwelling_data(commune, **extra):
    return {
        "street_number": "12",
        "number_suffix": "bis",
        "street": "Bd du Gal Leclerc",
        "commune_code": commune.insee_code,
        "building_type": "collectif",
        "sector": "prive",
        "tenure": "pb",
        **extra,
    }


# Attacks first.


def _write_urls(case):
    act = ActFactory(case=case)
    work = PrescribedWorkFactory(act=act)
    posts = {
        reverse("dwellings:case_new", args=[case.dwelling_id]): {
            "opened_on": "01/01/2010",
            "source": "caf",
            "tenure": "pb",
        },
        reverse("dwellings:dpe_new", args=[case.dwelling_id]): {
            "stage": "avant",
            "made_on": "01/01/2010",
            "energy_class": "F",
            "kwh_per_m2_year": "400",
        },
        reverse("dwellings:report_new", args=[case.pk]): {"received_on": "01/04/2010", "source": "caf"},
        reverse("dwellings:visit_new", args=[case.pk]): {"visited_on": "01/04/2010"},
        reverse("dwellings:qualification_new", args=[case.pk]): {"kind": "peril", "qualified_on": "01/04/2010"},
        reverse("dwellings:act_new", args=[case.pk]): {"kind": "peril_ordinaire", "signed_on": "01/04/2010"},
        reverse("dwellings:rehousing_new", args=[case.pk]): {"on": "01/04/2010", "kind": "hebergement", "persons": "2"},
        reverse("dwellings:case_exit", args=[case.pk]): {
            "exit_on": "01/09/2010",
            "exit_mode": "demolition",
            "occupied_at_exit": "0",
            "occupants_kept": "0",
        },
        reverse("dwellings:works_new", args=[act.pk]): {"description": "Toiture", "deadline": "01/01/2011"},
        reverse("dwellings:works_done", args=[work.pk]): {"done_on": "01/09/2010", "done_by": "office"},
    }
    return posts


def test_outside_the_pole_every_entry_page_is_refused_before_any_lookup(client, outsider):
    posts = _write_urls(CaseFactory())
    before = _counts()
    client.force_login(outsider)
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
        missing = reverse(resolve(url).view_name, kwargs={"pk": 999999})
        assert client.post(missing, data).status_code == 403  # no existence oracle
    assert client.post(reverse("dwellings:dwelling_new"), _dwelling_data(CommuneFactory())).status_code == 403
    assert _counts() == before


def test_a_member_of_another_pole_gets_the_404_of_a_missing_record_and_writes_nothing(client, mayenne_member):
    case = CaseFactory()
    posts = _write_urls(case)
    before = _counts()
    client.force_login(mayenne_member)
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert case.dwelling.street not in response.text
    assert _counts() == before
    case.refresh_from_db()
    assert case.exit_on is None and not PrescribedWork.objects.filter(done_on__isnull=False).exists()


def test_a_commune_of_another_departement_is_refused_without_revealing_its_register(logged):
    laval = CommuneFactory(department=DepartmentFactory(code="53", name="Mayenne"), name="Laval")
    DwellingFactory(commune=laval, street_number="12", number_suffix="bis", street="Boulevard Général Leclerc")
    before = _counts()
    url = reverse("dwellings:dwelling_new")
    foreign = logged.post(url, _dwelling_data(laval))
    unknown = logged.post(url, {**_dwelling_data(laval), "commune_code": "99999"})
    assert foreign.status_code == unknown.status_code == 200
    assert "territoire où vous saisissez" in foreign.text
    # The same answer as a code that exists nowhere: nothing about the Mayenne's register.
    errors = foreign.context["form"].errors
    assert list(errors) == ["commune_code"]
    assert (
        errors["commune_code"][0].replace(laval.insee_code, "99999")
        == unknown.context["form"].errors["commune_code"][0]
    )
    assert "Déjà enregistré" not in foreign.text and "Laval" not in foreign.text
    assert _counts() == before


# A member enters.


def test_new_dwelling_with_a_new_owner(logged, agent, django_assert_num_queries):  # noqa: F811
    commune = CommuneFactory()
    url = reverse("dwellings:dwelling_new")
    logged.get(url)
    with django_assert_num_queries(8):  # session, user, memberships, pôle, session saved
        page = logged.get(url)
    assert page.status_code == 200 and "Commune (code INSEE)" in page.text
    missing = logged.post(url, _dwelling_data(commune, owner_name="SCI Tilleuls"))
    assert "personne ou une société" in missing.text and not Dwelling.objects.exists()
    response = logged.post(url, _dwelling_data(commune, owner_name="SCI Tilleuls", owner_kind="societe"))
    dwelling = Dwelling.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dwellings:dwelling", args=[dwelling.pk])
    assert (dwelling.address_line, dwelling.owner.name) == ("12 bis Bd du Gal Leclerc", "SCI Tilleuls")
    assert dwelling.history.get().history_user == agent


def test_a_known_owner_name_asks_which_owner_is_meant(logged):
    commune = CommuneFactory()
    known = OwnerFactory(department=commune.department, name="SCI LES TILLEULS", kind="societe")
    url = reverse("dwellings:dwelling_new")
    data = _dwelling_data(commune, owner_name="Sci les Tilleuls", owner_kind="societe")
    asked = logged.post(url, data)
    assert asked.status_code == 200 and "déjà connu du pôle" in asked.text and not Dwelling.objects.exists()
    assert logged.post(url, {**data, "owner_choice": str(known.pk)}).status_code == 302
    assert Dwelling.objects.get().owner == known and Owner.objects.count() == 1


def test_a_known_address_is_shown_and_created_only_when_confirmed_with_a_merge_proposal(logged):
    commune = CommuneFactory()
    known = DwellingFactory(commune=commune, street_number="", street="12B boulevard du Général Leclerc")
    url = reverse("dwellings:dwelling_new")
    shown = logged.post(url, _dwelling_data(commune))
    assert shown.status_code == 200 and "Déjà enregistré" in shown.text
    assert reverse("dwellings:dwelling", args=[known.pk]) in shown.text
    assert "créer quand même" in shown.text and Dwelling.objects.count() == 1
    entry = AccessLog.objects.filter(view="dwellings:dwelling_new").get()
    assert (entry.action, entry.object_id) == ("recherche", str(known.pk))
    created = logged.post(url, _dwelling_data(commune, create_anyway="on"))
    assert created.status_code == 302 and Dwelling.objects.count() == 2
    proposal = MergeProposal.objects.get()
    assert (proposal.dwelling, proposal.status) == (known, "a_decider")
    assert not Dwelling.objects.filter(merged_into__isnull=False).exists()


def test_a_case_and_everything_it_holds_entered_from_the_dwelling_page(logged, django_assert_num_queries):
    dwelling = DwellingFactory()
    page = logged.get(reverse("dwellings:dwelling", args=[dwelling.pk]))
    case_new = reverse("dwellings:case_new", args=[dwelling.pk])
    assert case_new in page.text
    logged.get(case_new)
    with django_assert_num_queries(10):
        assert logged.get(case_new).status_code == 200
    response = logged.post(case_new, {"opened_on": "04/01/2010", "source": "caf", "tenure": "pb", "occupied": "on"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#dossier-{case.pk}")
    assert case.reports.get().source == "caf"
    page = logged.get(reverse("dwellings:dwelling", args=[dwelling.pk])).text
    for name in ("report_new", "visit_new", "qualification_new", "act_new", "rehousing_new", "case_exit"):
        assert reverse(f"dwellings:{name}", args=[case.pk]) in page
    posts = {
        "report_new": {"received_on": "01/02/2010", "source": "maire", "disorders": "Fissures"},
        "visit_new": {"visited_on": "10/02/2010", "visitor": "Mme Visite", "findings": "Fissures"},
        "qualification_new": {"kind": "peril", "qualified_on": "15/02/2010"},
        "act_new": {
            "kind": "peril_ordinaire",
            "signed_on": "01/03/2010",
            "works_deadline": "01/09/2010",
            "works": "Étaiement\nReprise de la façade",
            "interdiction": "",
        },
        "rehousing_new": {"on": "05/03/2010", "kind": "hebergement", "persons": "3"},
    }
    # The case, the access log; the act's form also lists the acts a mainlevée may lift.
    queries = {"report_new": 10, "visit_new": 10, "qualification_new": 10, "act_new": 11, "rehousing_new": 10}
    for name, data in posts.items():
        url = reverse(f"dwellings:{name}", args=[case.pk])
        logged.get(url)
        with django_assert_num_queries(queries[name]):
            assert logged.get(url).status_code == 200
        assert logged.post(url, data).status_code == 302, name
    act = case.acts.get()
    works = list(act.works.order_by("pk"))
    assert [w.description for w in works] == ["Étaiement", "Reprise de la façade"]
    done = reverse("dwellings:works_done", args=[works[0].pk])
    assert done in logged.get(reverse("dwellings:dwelling", args=[dwelling.pk])).text
    logged.get(done)
    with django_assert_num_queries(10):
        logged.get(done)
    assert logged.post(done, {"done_on": "01/08/2010", "done_by": "proprietaire"}).status_code == 302
    assert logged.get(done)["Location"] == reverse("dwellings:correct", args=["travaux", works[0].pk])
    more = reverse("dwellings:works_new", args=[act.pk])
    logged.get(more)
    with django_assert_num_queries(10):
        logged.get(more)
    assert logged.post(more, {"description": "Toiture", "deadline": "01/12/2010"}).status_code == 302
    exit_url = reverse("dwellings:case_exit", args=[case.pk])
    refused = logged.post(
        exit_url,
        {"exit_on": "01/10/2010", "exit_mode": "travaux_proprietaire", "occupied_at_exit": "0", "occupants_kept": "1"},
    )
    assert "occupé à la sortie" in refused.text
    assert (
        logged.post(
            exit_url,
            {
                "exit_on": "01/10/2010",
                "exit_mode": "travaux_proprietaire",
                "occupied_at_exit": "1",
                "occupants_kept": "1",
            },
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert (case.exit_on, case.occupants_kept) == (datetime.date(2010, 10, 1), True)
    assert (CaseReport.objects.count(), Visit.objects.count(), Rehousing.objects.count()) == (2, 1, 1)
    assert PrescribedWork.objects.count() == 3


def test_an_act_under_the_wrong_code_is_refused_in_french_and_nothing_is_written(logged):
    case = CaseFactory(opened_on=datetime.date(2020, 9, 1))
    url = reverse("dwellings:act_new", args=[case.pk])
    response = logged.post(
        url,
        {
            "kind": "insalubrite_remediable",
            "signed_on": "01/02/2021",
            "works_deadline": "01/08/2021",
            "works": "VMC",
        },
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["kind"]
    assert "n'est pas applicable au 01/02/2021" in error and "ordonnance n° 2020-1144" in error
    assert "ordonnance n° 2020-1144" in response.text
    assert not Act.objects.exists() and not PrescribedWork.objects.exists()
    bad_date = logged.post(url, {"kind": "mise_en_securite", "signed_on": "31/02/2021"})
    assert "calendrier" in bad_date.context["form"].errors["signed_on"][0] and not Act.objects.exists()


def test_a_dpe_entered_with_its_method_from_its_date(logged, django_assert_num_queries):
    dwelling = DwellingFactory()
    url = reverse("dwellings:dpe_new", args=[dwelling.pk])
    logged.get(url)
    with django_assert_num_queries(10):
        logged.get(url)
    data = {"stage": "avant", "made_on": "30/06/2021", "energy_class": "F", "kwh_per_m2_year": "400"}
    assert logged.post(url, data).status_code == 302
    assert EnergyDiagnosis.objects.get().method == "avant_juillet_2021"
    entry = AccessLog.objects.filter(view="dwellings:dpe_new").latest("pk")
    assert entry.object_id == str(dwelling.pk) and entry.organisation.code == "DDE72"


def test_the_register_links_to_a_new_dwelling(logged):
    assert reverse("dwellings:dwelling_new") in logged.get(reverse("dwellings:register")).text
