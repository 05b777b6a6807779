import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.eviction.factories import PreventionFileFactory, ReportFactory, prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction import access
from toit.eviction.enums import BreakGlassMotive, EventKind
from toit.eviction.models import FileReferent
from toit.eviction.procedure import add_event
from toit.notifications.digest import send_digests
from toit.notifications.enums import NotificationKind
from toit.notifications.models import Notification
from toit.notifications.notify import notify_deadlines, notify_reports_waiting
from toit.organisations.enums import Role

D = datetime.date
TODAY = D(2010, 6, 1)


def world():
    prefecture()
    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe")
    adil = OrganisationFactory(code="ADIL72", name="ADIL")
    agent, referent, manager = member_of(caf), member_of(caf), member_of(caf, role=Role.MANAGER)
    adil_manager = member_of(adil, role=Role.MANAGER)
    file = PreventionFileFactory(opened_by=caf, participants=[adil])
    FileReferent.objects.create(file=file, organisation=caf, user=referent)
    return file, caf, agent, referent, manager, adil_manager


def test_a_new_event_tells_the_referents_not_the_author():
    file, caf, agent, referent, _manager, adil_manager = world()
    add_event(file, EventKind.ORDER_TO_PAY, D(2010, 5, 1), agent, caf, today=TODAY)
    told = set(Notification.objects.values_list("recipient", flat=True))
    # The CAF has a référent: only them; the ADIL has none: its responsables.
    assert told == {referent.pk, adil_manager.pk}
    notice = Notification.objects.get(recipient=referent)
    assert notice.kind == NotificationKind.EVENT and file.reference in notice.message
    assert "Durand" not in notice.message  # no household name in a notification


def test_a_referent_who_left_the_organisation_is_replaced_by_the_responsables():
    file, caf, agent, referent, manager, _ = world()
    referent.memberships.update(is_active=False)
    add_event(file, EventKind.ORDER_TO_PAY, D(2010, 5, 1), agent, caf, today=TODAY)
    assert Notification.objects.filter(recipient=manager).exists()
    assert not Notification.objects.filter(recipient=referent).exists()


def test_deadlines_within_15_days_are_told_once():
    file, caf, agent, referent, *_ = world()
    # Hearing on 10/06/2010, 9 days after TODAY.
    add_event(file, EventKind.SUMMONS, D(2010, 3, 1), agent, caf, hearing_date=D(2010, 6, 10), today=TODAY)
    Notification.objects.all().delete()
    assert notify_deadlines(TODAY) > 0
    hearing = Notification.objects.filter(recipient=referent, kind=NotificationKind.DEADLINE)
    assert any("Audience" in n.message and "10/06/2010" in n.message for n in hearing)
    before = Notification.objects.count()
    notify_deadlines(TODAY)
    assert Notification.objects.count() == before  # once per deadline
    Notification.objects.all().delete()
    notify_deadlines(D(2010, 5, 1))  # 40 days before: nothing about the hearing
    assert not Notification.objects.filter(message__contains="Audience").exists()


def test_break_glass_and_waiting_reports_are_told():
    file, caf, agent, referent, *_ = world()
    boss = member_of(OrganisationFactory(code="CCAS"), role=Role.MANAGER)
    participant = access.break_glass(
        file,
        boss.memberships.get().organisation,
        boss,
        "Urgence : ménage à la rue ce soir",
        motive=BreakGlassMotive.EMERGENCY,
    )
    from toit.notifications.notify import notify_break_glass

    notify_break_glass(participant, boss)
    assert Notification.objects.get(recipient=referent, kind=NotificationKind.BREAK_GLASS)
    report = ReportFactory(reporting_organisation=caf)
    notify_reports_waiting(TODAY)
    notify_reports_waiting(TODAY)
    assert Notification.objects.filter(recipient=agent, kind=NotificationKind.REPORT).count() == 1
    assert str(report.pk) in Notification.objects.get(recipient=agent, kind=NotificationKind.REPORT).url


def test_the_daily_digest_sends_one_email_per_person_once():
    file, caf, agent, referent, *_ = world()
    add_event(file, EventKind.ORDER_TO_PAY, D(2010, 5, 1), agent, caf, today=TODAY)
    add_event(file, EventKind.SUMMONS, D(2010, 5, 10), agent, caf, hearing_date=D(2010, 8, 1), today=TODAY)
    assert send_digests() == 2  # the référent, the ADIL's responsable
    to_referent = next(m for m in mail.outbox if m.to == [referent.email])
    assert "2 notification(s)" in to_referent.subject and file.reference in to_referent.body
    assert send_digests() == 0
    call_command("toit_notifications", "quotidien", "--date", "2010-06-01")


def test_the_header_counter_and_the_list(client):
    file, caf, agent, referent, *_ = world()
    add_event(file, EventKind.ORDER_TO_PAY, D(2010, 5, 1), agent, caf, today=TODAY)
    client.force_login(referent)
    counter = client.get(reverse("notifications:counter")).text
    assert 'data-unread="1"' in counter
    page = client.get(reverse("notifications:list")).text
    assert file.reference in page and "nouveau" in page
    client.post(reverse("notifications:mark_read"))
    assert "data-unread" not in client.get(reverse("notifications:counter")).text
    # Someone else's notifications are never listed.
    client.force_login(agent)
    assert file.reference not in client.get(reverse("notifications:list")).text
