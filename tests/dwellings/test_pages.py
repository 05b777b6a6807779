"""The pages of the register: what they show, their filters, and a number of queries that
does not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from tests.dwellings.factories import (
    ActFactory,
    CaseFactory,
    CaseReportFactory,
    DwellingFactory,
    EnergyDiagnosisFactory,
    OwnerFactory,
    PrescribedWorkFactory,
    PstDwellingFactory,
    QualificationFactory,
    VisitFactory,
)
from tests.territory.factories import CommuneFactory
from toit.audit.models import AccessLog
from toit.dwellings import merging
from toit.dwellings.enums import DpeStage, Qualification


def _full_case(dwelling):
    case = CaseFactory(dwelling=dwelling)
    CaseReportFactory(case=case)
    VisitFactory(case=case)
    QualificationFactory(case=case)
    PrescribedWorkFactory(act=ActFactory(case=case), deadline=datetime.date(2011, 1, 1))
    return case


@pytest.fixture
def logged(client, agent):
    client.force_login(agent)
    return client


def test_register_lists_and_filters(logged):
    le_mans, sable = CommuneFactory(name="Le Mans"), CommuneFactory(name="Sablé")
    for n in range(6):
        _full_case(DwellingFactory(commune=le_mans, street="Bd du Général Leclerc", street_number=str(n + 1)))
    other = DwellingFactory(commune=sable, street="rue Chanzy", owner=OwnerFactory(name="SCI Chanzy"))
    QualificationFactory(case=CaseFactory(dwelling=other), kind=Qualification.DANGER)
    url = reverse("dwellings:register")
    response = logged.get(url)
    assert response.status_code == 200 and response.context["page"].paginator.count == 7
    few = logged.get(url)
    assert "SCI Chanzy" in few.text
    assert [d.pk for d in logged.get(url, {"q": "12 bd gal leclerc"}).context["page"]] == []
    found = logged.get(url, {"q": "boulevard general leclerc"}).context["page"]
    assert len(found) == 6
    assert [d.pk for d in logged.get(url, {"q": "3 bd Leclerc Général"}).context["page"]] == []
    assert len(logged.get(url, {"q": "3 bd du gal leclerc"}).context["page"]) == 1
    assert [d.pk for d in logged.get(url, {"commune": sable.pk}).context["page"]] == [other.pk]
    assert [d.pk for d in logged.get(url, {"qualification": Qualification.DANGER}).context["page"]] == [other.pk]
    assert len(logged.get(url, {"stage": "arrete"}).context["page"]) == 6
    assert [d.pk for d in logged.get(url, {"stage": "qualifie"}).context["page"]] == [other.pk]


def test_register_query_count_does_not_grow_with_rows(logged, django_assert_num_queries):
    commune = CommuneFactory()
    _full_case(DwellingFactory(commune=commune))
    url = reverse("dwellings:register")
    logged.get(url)  # warm the session
    with django_assert_num_queries(15) as few:
        logged.get(url)
    for n in range(5):
        _full_case(DwellingFactory(commune=commune, street_number=str(100 + n)))
    with django_assert_num_queries(len(few.captured_queries)):
        logged.get(url)


def test_a_search_reads_its_ids_once_and_counts_cases_from_the_page(logged, django_assert_num_queries):
    """Counting once: the search's ids are read in one query (count and page cut in Python),
    and the cases per dwelling come with the page, not from a GROUP BY."""
    commune = CommuneFactory()
    for n in range(3):
        dwelling = DwellingFactory(commune=commune, street="rue Chanzy", street_number=str(n + 1))
        for _ in range(n + 1):
            _full_case(dwelling)
    url = reverse("dwellings:register")
    logged.get(url)  # warm the session
    with django_assert_num_queries(14) as captured:
        response = logged.get(url, {"q": "rue chanzy"})
    searches = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "dwellings_dwelling"."id" AS')
    ]
    assert len(searches) == 1 and "COUNT(" not in searches[0].upper()
    assert not any("GROUP BY" in q["sql"] for q in captured.captured_queries)
    page = response.context["page"]
    assert page.paginator.count == 3 and [d.case_count for d in page] == [1, 2, 3]
    assert 'name="commune"' in response.text and f'value="{commune.pk}"' in response.text


def test_dwelling_page_shows_cases_acts_deadlines_and_history(logged, agent, django_assert_num_queries):
    dwelling = DwellingFactory(owner=OwnerFactory(name="M. Propriétaire"))
    case = _full_case(dwelling)
    _full_case(dwelling)
    PstDwellingFactory(dwelling=dwelling)
    EnergyDiagnosisFactory(dwelling=dwelling, made_on=datetime.date(2009, 1, 1))
    EnergyDiagnosisFactory(
        dwelling=dwelling,
        stage=DpeStage.AFTER,
        made_on=datetime.date(2011, 1, 1),
        kwh_per_m2_year=200,
        energy_class="D",
    )
    url = reverse("dwellings:dwelling", args=[dwelling.pk])
    logged.get(url)
    with django_assert_num_queries(31) as first:
        response = logged.get(url)
    text = response.text
    assert "M. Propriétaire" in text and "délai dépassé" in text and "Gain : 180 kWh/m²/an" in text
    assert "L. 1331-28 II" in text and "Historique des modifications" in text
    _full_case(dwelling)
    with django_assert_num_queries(len(first.captured_queries)):
        logged.get(url)
    entry = AccessLog.objects.filter(view="dwellings:dwelling").latest("pk")
    assert (entry.user, entry.object_id, entry.organisation.code) == (agent, str(dwelling.pk), "DDE72")
    assert case.pk


def test_overdue_works_queue(logged, django_assert_num_queries):
    late = PrescribedWorkFactory(deadline=datetime.date(2010, 1, 1))
    PrescribedWorkFactory(deadline=datetime.date(2010, 1, 1), done_on=datetime.date(2009, 12, 1), done_by="office")
    PrescribedWorkFactory(deadline=datetime.date(2999, 1, 1))  # not yet due
    url = reverse("dwellings:overdue_works")
    logged.get(url)
    with django_assert_num_queries(11) as few:
        response = logged.get(url)
    assert [w.pk for w in response.context["page"]] == [late.pk]
    for _ in range(4):
        PrescribedWorkFactory(deadline=datetime.date(2010, 2, 1))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(logged.get(url).context["page"]) == 5


def test_merge_proposals_are_decided_by_a_person_with_a_reason(logged, agent):
    commune = CommuneFactory()
    kept = DwellingFactory(commune=commune, street_number="12", number_suffix="bis", street="Bd du Gal Leclerc")
    duplicate = DwellingFactory(commune=commune, street_number="", street="12b, boulevard Général-Leclerc")
    CaseFactory(dwelling=duplicate)
    DwellingFactory(commune=commune, street_number="12", street="boulevard Général Leclerc")  # not bis: another
    (proposal,) = merging.propose_merges(kept.department)
    assert merging.propose_merges(kept.department) == []  # proposed once
    assert duplicate.cases.count() == 1 and kept.cases.count() == 0  # nothing merged yet
    page = logged.get(reverse("dwellings:merges"))
    assert page.status_code == 200 and len(page.context["proposals"]) == 1
    url = reverse("dwellings:merge_decide", args=[proposal.pk])
    logged.post(url, {"accept": "1", "note": ""})
    proposal.refresh_from_db()
    assert proposal.status == "a_decider"  # no reason, no decision
    logged.post(url, {"accept": "1", "note": "Même logement, signalé deux fois par la CAF"})
    proposal.refresh_from_db()
    duplicate.refresh_from_db()
    assert (proposal.status, proposal.decided_by, duplicate.merged_into) == ("fusionne", agent, kept)
    assert kept.cases.count() == 1
    assert "signalé deux fois" in kept.history.latest().history_change_reason


def test_correction_keeps_the_reason_in_the_history(logged, agent):
    dwelling = DwellingFactory(street="rue de la Gar")
    url = reverse("dwellings:correct", args=["logement", dwelling.pk])
    assert logged.get(url).status_code == 200
    data = {
        "street_number": dwelling.street_number,
        "street": "rue de la Gare",
        "commune": dwelling.commune_id,
        "building_type": dwelling.building_type,
        "sector": dwelling.sector,
        "tenure": dwelling.tenure,
    }
    refused = logged.post(url, data)
    assert refused.status_code == 200 and "obligatoire" in refused.text
    assert logged.post(url, {**data, "reason": "Faute de frappe"}).status_code == 302
    dwelling.refresh_from_db()
    assert dwelling.street == "rue de la Gare" and dwelling.street_key == "rue gare"
    record = dwelling.history.latest()
    assert (record.history_change_reason, record.history_user) == ("Correction : Faute de frappe", agent)
    # The département is not a field of the form: posting it changes nothing.
    logged.post(url, {**data, "reason": "essai", "department": 999})
    dwelling.refresh_from_db()
    assert dwelling.department.code == "72"


def test_a_wrong_code_act_is_refused_in_the_correction_form(logged):
    act = ActFactory(signed_on=datetime.date(2020, 6, 1))
    url = reverse("dwellings:correct", args=["arrete", act.pk])
    response = logged.post(
        url, {"kind": act.kind, "signed_on": "2021-02-01", "interdiction": "", "reason": "Date erronée"}
    )
    assert response.status_code == 200 and "ordonnance n° 2020-1144" in response.text
    act.refresh_from_db()
    assert act.signed_on == datetime.date(2020, 6, 1)


def test_indelicacy_decision_review_and_register(client, manager, agent, django_assert_num_queries):
    owner = OwnerFactory(name="SCI Les Tilleuls")
    DwellingFactory(owner=owner)
    client.force_login(manager)
    url = reverse("dwellings:indelicacy_new", args=[owner.pk])
    short = client.post(url, {"decided_on": "2010-03-01", "grounds": "trop court"})
    assert short.status_code == 200 and "20 caractères" in short.text
    client.post(url, {"decided_on": "2010-03-01", "grounds": "Trois arrêtés d'insalubrité non exécutés"})
    decision = owner.indelicacy_decisions.get()
    assert decision.review_due_on == datetime.date(2011, 3, 1)
    listing = client.get(reverse("dwellings:landlords"))
    assert "SCI Les Tilleuls" in listing.text
    review = reverse("dwellings:indelicacy_review", args=[decision.pk])
    client.post(review, {"reviewed_on": "2011-02-01", "outcome": "levee", "grounds": "Travaux réalisés, arrêtés levés"})
    decision.refresh_from_db()
    assert decision.withdrawn_on == datetime.date(2011, 2, 1)
    assert "SCI Les Tilleuls" not in client.get(reverse("dwellings:landlords")).text
    client.force_login(agent)
    assert client.get(url).status_code == 403


def test_pst_page_shows_progress_against_the_plan_targets(logged, django_assert_num_queries):
    from tests.plans.sample import SAMPLE_PLAN
    from tests.territory.factories import EPCIFactory
    from toit.plans.loader import load, parse

    label = "            label: Nombre de logements mis à disposition\n            unit: count\n"
    computed = SAMPLE_PLAN.replace(
        f"{label}            periodicity: year\n",
        f"{label}            periodicity: year\n"
        "            kind: computed\n            metric: dwellings.pst_made_available\n",
    )
    assert computed != SAMPLE_PLAN
    load(parse(computed))
    le_mans = CommuneFactory(epci=EPCIFactory(siren="247200132", name="Le Mans Métropole"))
    PstDwellingFactory(dwelling=DwellingFactory(commune=le_mans), available_on=datetime.date(2010, 5, 1))
    PstDwellingFactory(available_on=datetime.date(2011, 5, 1))  # outside Le Mans Métropole
    PstDwellingFactory(dwelling=DwellingFactory(commune=le_mans), available_on=None)  # not yet
    response = logged.get(reverse("dwellings:pst"))
    (section,) = response.context["sections"]
    (row,) = section["progress"]
    assert (row["territory"], row["value"], row["remaining"]) == ("Le Mans Métropole", 1, 29)
    assert [r.territory for r in response.context["dwellings"]].count("Le Mans Métropole") == 2
