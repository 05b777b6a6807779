import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.organisations.factories import OrganisationFactory, member_of
from tests.priority_access.factories import DaloAgglomerationFactory, DaloAppealFactory, HousingDemandFactory
from tests.territory.factories import DepartmentFactory
from toit.linkage.enums import LinkStatus
from toit.linkage.models import LinkDecision, LinkRun, RecordLink
from toit.organisations.enums import Role

D = datetime.date


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def dde():
    return OrganisationFactory(code="DDE72", name="DDE de la Sarthe")


@pytest.fixture
def register():
    return OrganisationFactory(code="AFIDEM", name="Fichier de la demande")


def _run(department, links):
    run = LinkRun.objects.create(
        department=department,
        sources=["dalo", "demande"],
        started_at=datetime.datetime(2011, 1, 3, tzinfo=datetime.UTC),
        lower_threshold=0.3,
        upper_threshold=0.999,
    )
    for left, right, status in links:
        RecordLink.objects.create(
            run=run,
            left_source="dalo",
            left_pk=left.pk,
            right_source="demande",
            right_pk=right.pk,
            probability=0.99999 if status == LinkStatus.ACCEPTED else 0.9,
            status=status,
        )
    return run


def test_dalo_queue_shows_deadlines_of_the_users_appeals_only(dde):
    DaloAppealFactory(holder=dde, priority=True, last_name="Prioritaire", decided_on=D(2009, 4, 15))
    DaloAppealFactory(holder=dde, last_name="Enattente", filed_on=D(2009, 2, 1))
    DaloAppealFactory(priority=True, last_name="Autrepartenaire")
    page = text_of(client_of(member_of(dde)).get(reverse("priority_access:dalo_queue")))
    assert "PRIORITAIRE" in page and "15/07/2009" in page  # three months after the decision
    assert "ENATTENTE" in page and "01/05/2009" in page  # the commission's three months
    assert "hors délai" in page
    assert "AUTREPARTENAIRE" not in page


def test_dalo_queue_drops_a_household_on_the_day_the_obligation_ended(dde):
    today = timezone.localdate()
    DaloAppealFactory(holder=dde, priority=True, last_name="Sortiaujourdhui", ended_on=today, end_reason="injoignable")
    DaloAppealFactory(
        holder=dde,
        priority=True,
        last_name="Sortidemain",
        ended_on=today + datetime.timedelta(days=1),
        end_reason="desistement",
    )
    page = text_of(client_of(member_of(dde)).get(reverse("priority_access:dalo_queue")))
    assert "SORTIDEMAIN" in page and "SORTIAUJOURDHUI" not in page
    assert "Ménages prioritaires non relogés (1, dont 1 hors délai)" in page


def test_household_page_tells_an_end_without_rehousing(dde):
    appeal = DaloAppealFactory(holder=dde, priority=True, ended_on=D(2010, 3, 1), end_reason="offre_refusee")
    page = text_of(client_of(member_of(dde)).get(reverse("priority_access:household", args=["dalo", appeal.pk])))
    assert "fin sans relogement le 01/03/2010 (offre adaptée refusée sans motif légitime)" in page


def test_dalo_queue_reads_the_departments_dated_setting():
    department = DepartmentFactory(code="44", name="Loire-Atlantique")
    # The appeal's holder is of its département: a Sarthe organisation reads no record of
    # the Loire-Atlantique (row-level security on PostgreSQL, issue 14).
    dde = OrganisationFactory(code="DDE44", name="DDE de Loire-Atlantique", department=department)
    DaloAgglomerationFactory(department=department, large_agglomeration=True)
    DaloAppealFactory(holder=dde, department=department, priority=True, decided_on=D(2009, 4, 15))
    page = text_of(client_of(member_of(dde)).get(reverse("priority_access:dalo_queue")))
    assert "15/10/2009" in page  # six months


def test_dalo_queue_query_count_does_not_grow(dde, django_assert_num_queries):
    agent = member_of(dde)
    client = client_of(agent)
    DaloAppealFactory(holder=dde, priority=True)
    DaloAppealFactory(holder=dde)
    client.get(reverse("priority_access:dalo_queue"))
    # Session and user (2, and 3 to save the session), roles; appeals waiting for a decision,
    # for housing; the dated settings; one insert into the access log.
    expected = 2 + 3 + 1 + 2 + 1 + 1
    with django_assert_num_queries(expected):
        client.get(reverse("priority_access:dalo_queue"))
    for _ in range(5):
        DaloAppealFactory(holder=dde, priority=True)
    with django_assert_num_queries(expected):
        client.get(reverse("priority_access:dalo_queue"))


def test_household_page_follows_links_to_what_the_user_may_see(dde, register):
    appeal = DaloAppealFactory(holder=dde, last_name="NOËL", first_name="Éric", priority=True)
    demand = HousingDemandFactory(holder=register, last_name="NOEL", first_name="Eric", department=appeal.department)
    _run(appeal.department, [(appeal, demand, LinkStatus.ACCEPTED)])
    url = reverse("priority_access:household", args=["dalo", appeal.pk])
    # The DDE agent: the appeal, not the register's demand, nor a hint of it.
    page = text_of(client_of(member_of(dde)).get(url))
    assert "NOËL Éric" in page and "NOEL Eric" not in page and "Demande n°" not in page
    both = member_of(dde)
    both.memberships.create(organisation=register, role=Role.AGENT)
    page = text_of(client_of(both).get(url))
    assert "NOËL Éric" in page and "NOEL Eric" in page
    # The register's agent cannot open the appeal: the 404 of a missing record.
    assert client_of(member_of(register)).get(url).status_code == 404
    missing = reverse("priority_access:household", args=["dalo", 999_999])
    assert client_of(member_of(dde)).get(missing).status_code == 404
    unknown = reverse("priority_access:household", args=["inconnu", appeal.pk])
    assert client_of(member_of(dde)).get(unknown).status_code == 404


def test_review_page_decides_and_keeps_the_decision(dde, register):
    appeal = DaloAppealFactory(holder=dde, last_name="GUERIN", first_name="Nadia")
    demand = HousingDemandFactory(holder=register, last_name="Guérin", first_name="Nadia", department=appeal.department)
    run = _run(appeal.department, [(appeal, demand, LinkStatus.REVIEW)])
    link = run.links.get()
    both = member_of(dde)
    both.memberships.create(organisation=register, role=Role.AGENT)
    client = client_of(both)
    page = text_of(client.get(reverse("priority_access:review")))
    assert "GUERIN Nadia" in page and "GUÉRIN Nadia" in page
    # One side only: the link is not listed, and posting on it is the 404 of a missing link.
    one_side = client_of(member_of(dde))
    assert "GUERIN" not in text_of(one_side.get(reverse("priority_access:review")))
    post = {"link": link.pk, "organisation": dde.pk, "verdict": "confirme", "reason": "même adresse"}
    assert one_side.post(reverse("priority_access:review"), post).status_code == 404
    response = client.post(reverse("priority_access:review"), post)
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED
    decision = LinkDecision.objects.get(link=link, decided_by=both)
    assert decision.acting_for == dde and decision.reason == "même adresse"


def test_review_page_query_count(dde, register, django_assert_num_queries):
    both = member_of(dde)
    both.memberships.create(organisation=register, role=Role.AGENT)
    client = client_of(both)
    appeal = DaloAppealFactory(holder=dde)
    demand = HousingDemandFactory(holder=register, department=appeal.department)
    _run(appeal.department, [(appeal, demand, LinkStatus.REVIEW)])
    client.get(reverse("priority_access:review"))
    # Session and user (2, and 3 to save the session), organisations, roles; the queue;
    # describe dalo and demande (1 each); the access log: fetch and insert per source (4).
    expected = 14
    with django_assert_num_queries(expected):
        client.get(reverse("priority_access:review"))
    more = [
        (DaloAppealFactory(holder=dde), HousingDemandFactory(holder=register, department=appeal.department))
        for _ in range(3)
    ]
    _run(appeal.department, [(a, b, LinkStatus.REVIEW) for a, b in more])
    with django_assert_num_queries(expected):
        client.get(reverse("priority_access:review"))


def test_cross_matching_counts_for_all_names_for_the_entitled(dde, register):
    appeal = DaloAppealFactory(holder=dde, last_name="NOËL", first_name="Éric", priority=True)
    demand = HousingDemandFactory(holder=register, last_name="NOEL", first_name="Eric", department=appeal.department)
    _run(appeal.department, [(appeal, demand, LinkStatus.ACCEPTED)])
    url = reverse("priority_access:cross_matching", args=[appeal.department.code])
    observatory = text_of(client_of(member_of(dde, role=Role.OBSERVATORY)).get(url))
    assert "Prioritaires DALO non relogés dans le délai" in observatory
    assert "NOËL" not in observatory and "NOEL" not in observatory
    both = member_of(dde)
    both.memberships.create(organisation=register, role=Role.AGENT)
    page = text_of(client_of(both).get(url))
    assert "NOËL Éric" in page and "NOEL Eric" in page


def test_only_managers_launch_a_run(dde):
    department = DepartmentFactory()
    url = reverse("priority_access:cross_matching", args=[department.code])
    assert client_of(member_of(dde)).post(url).status_code == 403
    assert client_of(member_of(dde, role=Role.OBSERVATORY)).post(url).status_code == 403
    response = client_of(member_of(dde, role=Role.MANAGER)).post(url)
    assert response.status_code == 302
    assert LinkRun.objects.filter(department=department).count() == 1


def test_home_lists_the_users_records_in_constant_queries(dde, register, django_assert_num_queries):
    agent = member_of(dde)
    client = client_of(agent)
    DaloAppealFactory(holder=dde, last_name="Mienne")
    HousingDemandFactory(holder=register, last_name="Autrefichier")
    page = text_of(client.get(reverse("priority_access:home")))
    assert "MIENNE" in page and "AUTREFICHIER" not in page
    # Session and user (2, and 3 to save the session), roles; one query per channel (6);
    # one insert into the access log.
    expected = 2 + 3 + 1 + 6 + 1
    with django_assert_num_queries(expected):
        client.get(reverse("priority_access:home"))
    for _ in range(4):
        DaloAppealFactory(holder=dde)
    with django_assert_num_queries(expected):
        client.get(reverse("priority_access:home"))
