"""The daily e-mail digest: each user with notifications not yet sent receives one e-mail
listing them (references and what happened, no personal data), with a link to Toit."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from toit.notifications.models import Notification


def send_digests(now=None):
    """Send one e-mail per user; returns the number of e-mails sent."""
    now = now or timezone.now()
    pending = Notification.objects.filter(emailed_at__isnull=True).select_related("recipient").order_by("pk")
    by_user = {}
    for notification in pending:
        by_user.setdefault(notification.recipient, []).append(notification)
    sent = 0
    base = getattr(settings, "TOIT_SITE_URL", "").rstrip("/")
    for user, notifications in by_user.items():
        if not user.email or not user.is_active:
            continue
        lines = [f"- {n.message}" + (f"\n  {base}{n.url}" if n.url and base else "") for n in notifications]
        body = (
            f"Bonjour {user.get_full_name() or user.get_username()},\n\n"
            f"{len(notifications)} notification(s) vous attendent dans Toit :\n\n" + "\n".join(lines) + "\n\n"
            "Ce courriel récapitule les notifications du jour ; elles restent consultables dans Toit "
            "(« Notifications », en haut de chaque page).\n"
        )
        with transaction.atomic():
            send_mail(
                f"Toit : {len(notifications)} notification(s)",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        sent += 1
    return sent
