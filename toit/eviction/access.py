"""Who may see and act on eviction-prevention files. Every rule is here, so that the
security review reads one module; querysets, domain functions and the admin call it.

A file is seen through its participants (FileParticipant): organisations, never people.
A user sees a file when one of their active memberships, with a nominative role, is in an
organisation taking part in it. The observatory role sees aggregates only (metrics), never
a file.

=====================================  =====================================  ================
Who takes part in a file               When                                   Reason
=====================================  =====================================  ================
the organisation opening the file      open_file / open_file_from_report      ouverture
the author of a report                 attach_report / open_file_from_report  signalement
the household's social landlord        at opening, social sector only         bailleur
the préfecture (TOIT_PREFECTURE_CODE)  first event from the assignation on    prefecture
                                       (PREFECTURE_KINDS)
the FSL that decided                   record_fsl_decision                    fsl
the commission de surendettement       record_overindebtedness_case, when     surendettement
                                       the organisation is a Banque de France
any organisation a participant names   share_file                             partage
=====================================  =====================================  ================

=====================================  ===========================================================
What                                   Who
=====================================  ===========================================================
read a file and everything in it       members (agent, responsable, administrateur) of a
                                       participant
act on a file (events, follow-up)      the same, on behalf of that participant organisation
read an unmatched report               members of the reporting organisation
record a report                        members of the reporting organisation
find_matches                           searches every file: pooling detection across partners is
                                       the point of sheet 1A. A candidate the user cannot see
                                       shows only its reference, opening organisation and date,
                                       and why it matched (Candidate.visible is False); what the
                                       user typed is all they learn about the household
observatory                            no file, no report: metrics only
superuser                              everything in the Django admin, nothing more elsewhere
=====================================  ===========================================================
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from toit.eviction.enums import PREFECTURE_KINDS, HousingSector, ParticipantReason
from toit.organisations.enums import NOMINATIVE_ROLES, OrganisationKind
from toit.organisations.models import Membership, Organisation


def nominative_memberships(user):
    if not user or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user, role__in=NOMINATIVE_ROLES)


def acting_organisations(user):
    """Organisations on behalf of which the user may read and act on files: what a form
    offers in its « au titre de » field."""
    return Organisation.objects.filter(pk__in=nominative_memberships(user).values("organisation"))


def _participation(user, file_ref):
    from toit.eviction.models import FileParticipant

    return Exists(
        FileParticipant.objects.filter(
            file=file_ref, organisation__in=nominative_memberships(user).values("organisation")
        )
    )


def visible_files(queryset, user):
    """PreventionFile queryset narrowed, in SQL, to the files the user may read."""
    return queryset.filter(_participation(user, OuterRef("pk")))


def visible_through_file(queryset, user, path="file"):
    """Rows hanging off a file (events, contacts, plans…) narrowed to readable files."""
    return queryset.filter(_participation(user, OuterRef(path)))


def visible_reports(queryset, user):
    """Reports of the user's organisations, and reports attached to a readable file."""
    own = Q(reporting_organisation__in=nominative_memberships(user).values("organisation"))
    return queryset.filter(own | Q(_participation(user, OuterRef("file"))))


def may_act(user, organisation, file):
    return (
        nominative_memberships(user).filter(organisation=organisation).exists()
        and file.participants.filter(organisation=organisation).exists()
    )


def require_may_act(user, organisation, file):
    if not nominative_memberships(user).filter(organisation=organisation).exists():
        raise PermissionDenied(
            f"Vous n'agissez pas au titre de « {organisation} » : choisissez une organisation dont vous êtes "
            "agent, responsable ou administrateur."
        )
    if not file.participants.filter(organisation=organisation).exists():
        raise PermissionDenied(
            f"« {organisation} » ne participe pas au dossier {file.reference} : demandez à un participant "
            "de partager le dossier avec elle."
        )


def require_may_record_report(user, organisation):
    if not nominative_memberships(user).filter(organisation=organisation).exists():
        raise PermissionDenied(
            f"Vous ne pouvez pas enregistrer un signalement au nom de « {organisation} » : seuls ses agents, "
            "responsables et administrateurs le peuvent."
        )


def require_may_handle_report(user, report):
    """Matching a report is done by the reporting organisation's members."""
    if not nominative_memberships(user).filter(organisation=report.reporting_organisation_id).exists():
        raise PermissionDenied(
            f"Ce signalement a été fait par « {report.reporting_organisation} » : seuls ses membres peuvent le "
            "rattacher à un dossier."
        )


def prefecture():
    """The préfecture named by settings.TOIT_PREFECTURE_CODE, or None when it is not loaded
    (then nobody is added: a missing organisation must not block the procedure)."""
    return Organisation.objects.filter(code__iexact=settings.TOIT_PREFECTURE_CODE, kind=OrganisationKind.STATE).first()


def grant(file, organisation, reason, user=None, since=None):
    """Make `organisation` a participant of `file` for `reason` (idempotent)."""
    from toit.eviction.models import FileParticipant

    participant, _ = FileParticipant.objects.get_or_create(
        file=file,
        organisation=organisation,
        reason=reason,
        defaults={"since": since or timezone.now(), "added_by": user},
    )
    return participant


def grant_at_opening(file, user=None):
    grant(file, file.opened_by, ParticipantReason.OPENING, user)
    household = file.household
    if household.sector == HousingSector.SOCIAL and household.social_landlord_id:
        grant(file, household.social_landlord, ParticipantReason.LANDLORD, user)


def grant_for_report(report, user=None):
    grant(report.file, report.reporting_organisation, ParticipantReason.REPORT, user)


def grant_after_event(event, user=None):
    if event.kind in PREFECTURE_KINDS and (office := prefecture()) is not None:
        grant(event.file, office, ParticipantReason.PREFECTURE, user)


def grant_for_fsl_decision(decision, user=None):
    grant(decision.file, decision.fsl_organisation, ParticipantReason.FSL, user)


def grant_for_overindebtedness(case, user=None):
    if case.organisation.kind == OrganisationKind.BANQUE_DE_FRANCE:
        grant(case.file, case.organisation, ParticipantReason.OVER_INDEBTEDNESS, user)


def share_file(file, organisation, user, acting_organisation):
    """A participant shares the file with another organisation (reason « partage »)."""
    require_may_act(user, acting_organisation, file)
    return grant(file, organisation, ParticipantReason.SHARING, user)


def is_visible(file, user):
    from toit.eviction.models import PreventionFile

    return PreventionFile.objects.visible_to(user).filter(pk=file.pk).exists()
