"""The e-mail that tells a file's participants that another organisation opened it by an
exceptional access (issue 10): which organisation, who, why, until when — the file's
reference, never the household's name. Sent once the transaction commits, to the active
members (agent, responsable, administrateur) of every lasting participant."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from toit.organisations.enums import NOMINATIVE_ROLES
from toit.organisations.models import Membership


def recipients(participant):
    from toit.eviction.models import FileParticipant

    lasting = FileParticipant.objects.filter(file=participant.file_id, expires_at__isnull=True).values("organisation")
    return sorted(
        set(
            Membership.objects.active()
            .filter(organisation__in=lasting, role__in=NOMINATIVE_ROLES)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def notify_participants(participant):
    def send():
        emails = recipients(participant)
        if not emails:
            return
        until = timezone.localtime(participant.expires_at)
        who = (
            participant.added_by.get_full_name() or participant.added_by.get_username() if participant.added_by else ""
        )
        subject = f"Accès exceptionnel au dossier {participant.file.reference}"
        body = (
            f"« {participant.organisation} » a ouvert le dossier {participant.file.reference} par un accès "
            f"exceptionnel (bris de glace), à la demande de {who}, jusqu'au {until:%d/%m/%Y à %H:%M}.\n\n"
            f"Motif : {participant.get_motive_display()}\n« {participant.statement} »\n\n"
            "Chaque consultation est inscrite au journal des accès. Si cet accès vous semble injustifié, signalez-le "
            "à l'administrateur de Toit."
        )
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails])

    transaction.on_commit(send)
