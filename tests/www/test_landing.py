"""Each role lands on its own work."""

import datetime

from django.urls import reverse

from tests.eviction.factories import EventFactory, PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction.enums import EventKind
from toit.organisations.enums import Role


def test_an_agent_lands_on_queues_and_recent_files(client, django_assert_max_num_queries):
    org = OrganisationFactory(code="CAF72", name="CAF de la Sarthe")
    mine = PreventionFileFactory(opened_by=org)
    EventFactory(file=mine, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1), organisation=org)
    other = PreventionFileFactory(opened_by=OrganisationFactory(code="AUTRE"))
    EventFactory(file=other, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1))
    client.force_login(member_of(org))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("home"))
    text = response.text
    assert "Mon travail" in text and "À traiter" in text
    assert mine.reference in text and other.reference not in text
    assert "Files de l'équipe" not in text


def test_a_responsable_sees_the_team_queues(client):
    org = OrganisationFactory(code="CAF72", name="CAF de la Sarthe")
    file = PreventionFileFactory(opened_by=org)
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1), organisation=org)
    client.force_login(member_of(org, role=Role.MANAGER))
    text = client.get(reverse("home")).text
    assert "Files de l'équipe, par organisation" in text and "CAF de la Sarthe" in text


def test_who_follows_no_eviction_file_lands_on_their_spaces(client, django_assert_max_num_queries):
    """An operator of accommodation or of a MOUS, even a responsable: no empty eviction
    queues, their spaces first, and no team queues counted for nothing."""
    org = OrganisationFactory(code="MOUS72", name="Opérateur MOUS")
    other = PreventionFileFactory(opened_by=OrganisationFactory(code="AUTRE"))
    EventFactory(file=other, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1))
    client.force_login(member_of(org, role=Role.MANAGER))
    with django_assert_max_num_queries(16):
        text = client.get(reverse("home")).text
    assert "Vos espaces de travail" in text
    for name in ("accommodation:home", "priority_access:home", "plans:home"):
        assert f'href="{reverse(name)}"' in text
    assert "Rien à traiter pour vos organisations" in text
    assert "À traiter" not in text and "Files de l'équipe" not in text and other.reference not in text


def test_one_recent_file_is_enough_to_land_on_the_queues(client):
    org = OrganisationFactory(code="CAF72")
    file = PreventionFileFactory(opened_by=org)
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1), organisation=org)
    client.force_login(member_of(org))
    text = client.get(reverse("home")).text
    assert "À traiter" in text and file.reference in text and "Vos espaces de travail" not in text


def test_the_observatory_lands_on_its_dashboard(client):
    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    response = client.get(reverse("home"))
    assert response.url == reverse("observatory:home")


def test_recent_files_are_those_of_the_last_recorded_events_among_visible_files(client):
    """Ordered by their last recorded event (PreventionFile.last_event_at, kept by every
    function that records an event): another's file in between is skipped, a file counts
    once, a file without events or cancelled is left out."""
    from django.utils import timezone

    from toit.eviction.models import Event
    from toit.eviction.procedure import refresh_procedure_state
    from toit.www import landing

    org = OrganisationFactory(code="CAF72")
    other = OrganisationFactory(code="AUTRE")
    mine = [PreventionFileFactory(opened_by=org) for _ in range(3)]
    theirs = PreventionFileFactory(opened_by=other)
    quiet = PreventionFileFactory(opened_by=org)  # no event recorded
    cancelled = PreventionFileFactory(opened_by=org, cancelled_at=timezone.now())
    now = timezone.now()
    # Oldest to newest: mine[0], then mine[1] twice, then someone else's, then mine[2].
    events = ((50, mine[0]), (40, mine[1]), (30, mine[1]), (20, theirs), (10, mine[2]), (5, cancelled))
    for minutes, file in events:
        event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1))
        Event.objects.filter(pk=event.pk).update(created_at=now - datetime.timedelta(minutes=minutes))
        refresh_procedure_state(file)  # as add_event does, here after the recording time is set
    user = member_of(org)
    recent = landing.recent_files(user)
    assert [f.pk for f in recent] == [mine[2].pk, mine[1].pk, mine[0].pk]
    assert recent[0].last_activity == now - datetime.timedelta(minutes=10)
    assert recent[1].last_activity == now - datetime.timedelta(minutes=30)
    client.force_login(user)
    text = client.get(reverse("home")).text
    assert all(f.reference in text for f in mine)
    assert theirs.reference not in text and quiet.reference not in text and cancelled.reference not in text


def test_queue_counts_stop_past_the_cap(monkeypatch):
    from toit.www import landing

    org = OrganisationFactory(code="CAF72")
    for _ in range(3):
        EventFactory(
            file=PreventionFileFactory(opened_by=org), kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1)
        )
    files = landing.PreventionFile.objects.filter(participants__organisation=org)
    assert landing.capped_count(files) == 3
    from toit.www.eviction import queues

    monkeypatch.setattr(queues, "COUNT_CAP", 2)  # the queue page's cap, which the landing page reads through
    monkeypatch.setattr(landing, "COUNT_CAP", 2)
    assert landing.capped_count(files) == 3  # COUNT_CAP + 1: the page says « plus de 2 »
