"""The work queues page: counts in a summary, then lists linking to the files, for all the
user's organisations or one of them, in a fixed number of queries."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.eviction.factories import (
    ContactAttemptFactory,
    EventFactory,
    RepaymentPaymentFactory,
    RepaymentPlanFactory,
    ReportFactory,
    plan_with_local_practices,
)
from tests.organisations.factories import OrganisationFactory
from tests.www.eviction.conftest import make_file
from toit.eviction.enums import EventKind
from toit.organisations.models import Membership
from toit.plans.models import Plan

DAY = datetime.timedelta(days=1)


def text_of(response):
    return response.text.replace("&#x27;", "'").replace("\u202f", " ").replace("\xa0", " ")


def summons(file, day, hearing):
    EventFactory(file=file, kind=EventKind.SUMMONS, date=day, hearing_date=hearing)


def build(org, other_org):
    today = timezone.localdate()
    if not Plan.objects.exists():  # the département's local practices (fiche 1B sets no delay)
        plan_with_local_practices(contact_after_summons_days=15, diagnosis_before_hearing_days=42)
    ReportFactory(reporting_organisation=org, last_name="Signalé")
    silent = make_file(org, last_name="Silence")
    summons(silent, today - 20 * DAY, today + 90 * DAY)
    contacted = make_file(org, last_name="Joint")
    summons(contacted, today - 20 * DAY, today + 90 * DAY)
    ContactAttemptFactory(file=contacted, date=today - 10 * DAY)
    soon = make_file(org, last_name="Bientôt")
    summons(soon, today - 5 * DAY, today + 20 * DAY)
    requisition = make_file(org, last_name="Requis")
    EventFactory(file=requisition, kind=EventKind.REQUISITION, date=today - 100 * DAY)
    plan_file = make_file(org, last_name="Apure")
    RepaymentPlanFactory(file=plan_file, organisation=org, start_date=today - 10 * DAY)  # one instalment missed
    hidden = make_file(other_org, last_name="Ailleurs")
    summons(hidden, today - 20 * DAY, today + 10 * DAY)
    return {"silent": silent, "soon": soon, "requisition": requisition, "plan": plan_file, "hidden": hidden}


def test_counts_and_lists(agent_client, org, other_org):
    files = build(org, other_org)
    text = text_of(agent_client.get(reverse("eviction:queues")))
    assert "Signalements à rapprocher d'un dossier (1)" in text
    assert "Assignations sans contact établi depuis 15 jours ou plus (1)" in text
    assert "Audiences dans les 42 jours sans diagnostic réalisé (1)" in text  # the others are 90 days off
    assert "Réquisitions de la force publique en attente de décision du préfet (1)" in text
    assert "Plans d'apurement avec au moins une échéance impayée (1)" in text
    assert "silence valant refus" in text  # the réquisition is more than two months old
    for name in ("silent", "soon", "requisition", "plan"):
        assert reverse("eviction:file", args=[files[name].reference]) in text
    assert files["hidden"].reference not in text and "AILLEURS" not in text
    assert "SILENCE" in text and "SIGNALÉ" in text


def test_a_plan_says_what_was_paid_by_today(agent_client, org):
    today = timezone.localdate()
    plan = RepaymentPlanFactory(file=make_file(org, last_name="Versé"), organisation=org, start_date=today - 40 * DAY)
    RepaymentPaymentFactory(plan=plan, date=today - 35 * DAY, amount="40.00")
    RepaymentPaymentFactory(plan=plan, date=today - 3 * DAY, amount="20.50")
    RepaymentPaymentFactory(plan=plan, date=today + 5 * DAY, amount="20.00")  # announced, not yet paid
    text = text_of(agent_client.get(reverse("eviction:queues")))
    assert "60,50 € versés pour 2 échéances dues" in text


def test_one_organisation_at_a_time(agent_client, agent, org, other_org):
    files = build(org, other_org)
    second = OrganisationFactory(code="CCAS-LE-MANS", name="CCAS du Mans")
    Membership.objects.create(user=agent, organisation=second, role="agent")
    own = make_file(second, last_name="Second")
    summons(own, timezone.localdate() - 30 * DAY, timezone.localdate() + 100 * DAY)
    everything = text_of(agent_client.get(reverse("eviction:queues")))
    assert own.reference in everything and files["silent"].reference in everything
    only = text_of(agent_client.get(reverse("eviction:queues"), {"organisation": second.code}))
    assert own.reference in only and files["silent"].reference not in only
    assert "En résumé pour CCAS du Mans" in only


def test_query_count_does_not_grow(agent_client, org, other_org, django_assert_num_queries):
    build(org, other_org)
    # Session and user (2, and 3 to save the session), roles, the user's own organisations
    # (reports to match) and those read for, services included (files and plans: every queue
    # then filters on these ids), the two local practices of the départements' plans, then per
    # queue the ids (the count, capped) then the rows shown and what they show: reports 1 + 1,
    # files 3 × (ids, rows, members), plans 2 + 2 (ids of the plans that break, then of those
    # that never do; rows with what they have been paid, members), then one insert into the
    # access log for every row shown.
    expected = 2 + 3 + 2 + 1 + 2 + 2 + 3 * 3 + 4 + 1
    with django_assert_num_queries(expected):
        agent_client.get(reverse("eviction:queues"))
    build(org, other_org)
    build(org, other_org)
    with django_assert_num_queries(expected):
        agent_client.get(reverse("eviction:queues"))


def test_without_a_declared_practice_the_queues_say_so(agent_client, org, other_org):
    text = text_of(agent_client.get(reverse("eviction:queues")))
    assert "Assignations sans contact établi (aucun délai de pratique locale déclaré" in text


def test_a_long_queue_says_more_than_the_cap(agent_client, org, other_org, monkeypatch):
    from toit.www.eviction import queues

    build(org, other_org)
    today = timezone.localdate()
    for day in range(3):
        summons(make_file(org, last_name=f"Ancien{day}"), today - (30 + day) * DAY, today + 90 * DAY)
    monkeypatch.setattr(queues, "COUNT_CAP", 3)
    monkeypatch.setattr(queues, "SHOWN", 2)
    text = text_of(agent_client.get(reverse("eviction:queues")))
    # Four assignations without contact: more than the cap of 3, the oldest two shown.
    assert "Assignations sans contact établi depuis 15 jours ou plus (plus de 3)" in text
    assert "<strong>plus de 3</strong>" in text
    assert "ANCIEN2" in text and "ANCIEN1" in text and "ANCIEN0" not in text and "SILENCE" not in text
    assert "Réquisitions de la force publique en attente de décision du préfet (1)" in text


def test_the_landing_page_counts_as_the_querysets_do_unresolved(agent_client, agent, org, other_org):
    """The landing page resolves the organisation ids once, for speed: its counts are those
    of the querysets left to find the user's organisations themselves (files through the
    organisations read for, services included; reports to match of the user's own), and
    the plans are read in the queue page's two parts."""
    from django.utils import timezone

    from tests.organisations.factories import OrganisationFactory
    from toit.www import landing

    files = build(org, other_org)
    # A service below the agent's organisation: the agent reads its files (one more
    # réquisition awaiting), but its reports to match are its own staff's work.
    service = OrganisationFactory(code="SERVICE", name="Service", parent=org)
    ReportFactory(reporting_organisation=service, last_name="Service")
    below = make_file(service, last_name="Dessous")
    EventFactory(file=below, kind=EventKind.REQUISITION, date=timezone.localdate() - 100 * DAY)
    unresolved = {
        slug: landing.capped_count(queryset)
        for _label, slug, queryset, _parts in landing._queue_counts(agent, timezone.localdate())
    }
    landed = {slug: count for _label, slug, count in agent_client.get(reverse("home")).context["queues"]}
    assert landed == unresolved == {"signalements": 1, "sans-contact": 1, "audiences": 1, "requisitions": 2, "plans": 1}
    assert files["hidden"].reference not in agent_client.get(reverse("home")).text
    counted = landing._queue_counts(agent, timezone.localdate(), None, [org.pk], [org.pk])
    assert [parts is not None for *_rest, parts in counted] == [False, False, False, False, True]


def test_the_queue_page_lists_what_the_landing_page_counts(agent_client, org, other_org):
    """Both read files through the organisations the agent reads for, services included,
    and reports to match of the agent's own organisations: a count on the landing page is
    the number its link shows."""
    from tests.organisations.factories import OrganisationFactory

    build(org, other_org)
    service = OrganisationFactory(code="SERVICE", name="Service", parent=org)
    ReportFactory(reporting_organisation=service, last_name="Service")  # its own staff's work
    below = make_file(service, last_name="Dessous")
    EventFactory(file=below, kind=EventKind.REQUISITION, date=timezone.localdate() - 100 * DAY)
    landed = {slug: count for _label, slug, count in agent_client.get(reverse("home")).context["queues"]}
    listed = {queue.slug: queue.count for queue in agent_client.get(reverse("eviction:queues")).context["queues"]}
    assert listed == landed == {"signalements": 1, "sans-contact": 1, "audiences": 1, "requisitions": 2, "plans": 1}
    text = text_of(agent_client.get(reverse("eviction:queues")))
    assert below.reference in text and "SERVICE" not in text
