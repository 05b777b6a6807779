"""Who is told what about a file. The référents of the file's participating organisations
(toit.eviction.models.FileReferent; an organisation without one is told through its
responsables) receive a notification in Toit and, once a day, an e-mail digest
(manage.py toit_notifications digest). The person who acted is not told of their own act.

Messages name the file by its reference and say what happened, never who the household is.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from toit.notifications.enums import NotificationKind
from toit.notifications.models import Notification
from toit.organisations.enums import Role

DEADLINE_NOTICE_DAYS = 15


def file_recipients(file, exclude=None):
    """Users to tell about `file`: each active participant's référent, or its responsables."""
    from toit.eviction import access
    from toit.eviction.models import FileReferent
    from toit.organisations.models import Membership
    from toit.users.models import User

    organisations = set(file.participants.filter(access.active_participation()).values_list("organisation", flat=True))
    # A référent who has left the organisation is no longer one.
    still_member = Membership.objects.active().filter(user=OuterRef("user"), organisation=OuterRef("organisation"))
    referents = dict(
        FileReferent.objects.filter(file=file, organisation__in=organisations)
        .filter(Exists(still_member))
        .values_list("organisation", "user")
    )
    without = organisations - set(referents)
    managers = Membership.objects.active().filter(organisation__in=without, role=Role.MANAGER).values("user")
    users = User.objects.filter(Q(pk__in=referents.values()) | Q(pk__in=managers), is_active=True)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.order_by("pk"))


def _file_url(file, anchor=""):
    url = reverse("eviction:file", args=[file.reference])
    return f"{url}#{anchor}" if anchor else url


def notify(users, kind, message, *, file=None, url="", key=""):
    """Write one notification per user; with a key, a user already told is not told again."""
    rows = [Notification(recipient=u, kind=kind, file=file, message=message, url=url, key=key) for u in users]
    if key:
        told = set(Notification.objects.filter(key=key, recipient__in=users).values_list("recipient", flat=True))
        rows = [r for r in rows if r.recipient.pk not in told]
    Notification.objects.bulk_create(rows)
    return rows


def notify_event(event, user):
    file = event.file
    text = event.describe()
    message = f"Dossier {file.reference} : {text[:1].upper()}{text[1:]} a été enregistré{_agree(event)}"
    if event.organisation_id:
        message += f" par « {event.organisation} »"
    notify(
        file_recipients(file, exclude=user),
        NotificationKind.EVENT,
        message + ".",
        file=file,
        url=_file_url(file, "chronologie"),
    )


def _agree(event):
    from toit.eviction.chronology import Act, _e

    return _e(Act.from_event(event))


def notify_correction(file, user, reason, what):
    who = (user.get_full_name() or user.get_username()) if user else "Toit"
    message = f"Dossier {file.reference} : {what} par {who}. Motif : « {reason} »."
    notify(
        file_recipients(file, exclude=user),
        NotificationKind.CORRECTION,
        message,
        file=file,
        url=_file_url(file, "historique"),
    )


def notify_break_glass(participant, user):
    file = participant.file
    until = timezone.localtime(participant.expires_at)
    message = (
        f"Dossier {file.reference} : accès exceptionnel accordé à « {participant.organisation} » "
        f"jusqu'au {until:%d/%m/%Y à %H:%M}. Le motif déclaré est au journal des accès."
    )
    others = [u for u in file_recipients(file, exclude=user)]
    notify(others, NotificationKind.BREAK_GLASS, message, file=file, url=_file_url(file, "participants"))


def notify_deadlines(today, files=None):
    """Tell the référents of every open file of a legal deadline within DEADLINE_NOTICE_DAYS
    (once per deadline). Returns the number of notifications written."""
    from toit.eviction.models import Event, PreventionFile
    from toit.eviction.timeline import acts_of, deadlines

    horizon = today + datetime.timedelta(days=DEADLINE_NOTICE_DAYS)
    files = files if files is not None else PreventionFile.objects.live().filter(anonymised_at__isnull=True)
    events = {}
    for event in Event.objects.filter(file__in=files).order_by("date", "pk"):
        events.setdefault(event.file_id, []).append(event)
    written = 0
    for file in files.filter(pk__in=events.keys()):
        for deadline in deadlines(acts_of(events[file.pk]), today, file.lease_signed_on):
            if not today <= deadline.date <= horizon:
                continue
            message = f"Dossier {file.reference} : {deadline.label} le {deadline.date:%d/%m/%Y}."
            key = f"echeance:{file.pk}:{deadline.code}:{deadline.date:%Y%m%d}"
            written += len(
                notify(
                    file_recipients(file), NotificationKind.DEADLINE, message, file=file, url=_file_url(file), key=key
                )
            )
    return written


def notify_reports_waiting(today):
    """Reports not yet matched to a file are a decision for the reporting organisation's
    members: tell each of them once."""
    from toit.eviction.models import Report
    from toit.organisations.enums import NOMINATIVE_ROLES
    from toit.organisations.models import Membership
    from toit.users.models import User

    written = 0
    for report in Report.objects.unmatched().select_related("reporting_organisation").order_by("pk"):
        members = User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(organisation=report.reporting_organisation_id, role__in=NOMINATIVE_ROLES)
            .values("user"),
            is_active=True,
        )
        message = (
            f"Signalement du {report.reported_on:%d/%m/%Y} de « {report.reporting_organisation} » en attente : "
            "rattachez-le à un dossier ou ouvrez-en un."
        )
        url = reverse("eviction:report", args=[report.pk])
        written += len(notify(list(members), NotificationKind.REPORT, message, url=url, key=f"signalement:{report.pk}"))
    return written
