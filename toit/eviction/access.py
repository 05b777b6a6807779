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
the organisation a responsable or      break_glass, for BREAK_GLASS_HOURS     bris_de_glace
administrateur acts for, outside its   (24 h), stating a reason (logged)
scope (« accès exceptionnel »)
=====================================  =====================================  ================

A participation with an `expires_at` in the past counts for nothing: every rule below reads
active participations only (active_participation).

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
break glass (accès exceptionnel)       responsables and administrateurs (not agents, not the
                                       observatory), for an organisation they hold that role in,
                                       with a reason of BREAK_GLASS_MIN_REASON characters or
                                       more. The page logs the attempt (AccessLog, action
                                       BREAK_GLASS, with the reason) before it says whether the
                                       reference exists: an unknown reference gets the message of
                                       a missing file, after the log entry (no existence oracle
                                       without a logged, stated reason)
observatory                            no file, no report: metrics only
superuser                              everything in the Django admin, nothing more elsewhere
=====================================  ===========================================================
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from toit.eviction.enums import PREFECTURE_KINDS, HousingSector, ParticipantReason
from toit.organisations.enums import NOMINATIVE_ROLES, OrganisationKind, Role
from toit.organisations.models import Membership, Organisation
from toit.organisations.perms import roles_of

BREAK_GLASS_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
BREAK_GLASS_HOURS = 24
BREAK_GLASS_MIN_REASON = 15


def nominative_memberships(user):
    if not user or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user, role__in=NOMINATIVE_ROLES)


# How deep the hierarchy of organisations goes for reading files: an organisation, its
# services (children) and their services (grandchildren).
HIERARCHY_DEPTH = 2


def reading_organisations(user):
    """Organisation ids through which the user reads files: those of their nominative
    memberships and, down the hierarchy (Organisation.parent), their services: the
    conseil général's agents read what is shared with its directions and its FSL. Acting
    on a file stays with the organisations that take part in it (acting_organisations)."""
    own = nominative_memberships(user).values("organisation")
    below = Q(pk__in=own)
    for depth in range(1, HIERARCHY_DEPTH + 1):
        below |= Q(**{f"{'parent__' * depth}in": own})
    return Organisation.objects.filter(below).values("pk")


def acting_organisations(user):
    """Organisations on behalf of which the user may read and act on files: what a form
    offers in its « au titre de » field."""
    return Organisation.objects.filter(pk__in=nominative_memberships(user).values("organisation"))


def active_participation(prefix=""):
    """Q on FileParticipant (or through `prefix`, e.g. "participants__"): the participation
    has not expired. Only break-glass participations expire."""
    return Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": timezone.now()})


def _participation(user, file_ref):
    from toit.eviction.models import FileParticipant

    return Exists(
        FileParticipant.objects.filter(
            active_participation(),
            file=file_ref,
            organisation__in=reading_organisations(user),
        )
    )


def reading_organisation(user, file_ref=None):
    """Subquery: the id of the organisation through which the user reads the file (one of
    theirs taking part in it; the earliest participation when several do). What the access
    log records as « au titre de »."""
    from toit.eviction.models import FileParticipant

    return Subquery(
        FileParticipant.objects.filter(
            active_participation(),
            file=file_ref if file_ref is not None else OuterRef("pk"),
            organisation__in=reading_organisations(user),
        )
        .order_by("since", "pk")
        .values("organisation")[:1]
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


def takes_part(organisation, file):
    return file.participants.filter(active_participation(), organisation=organisation).exists()


def may_act(user, organisation, file):
    return nominative_memberships(user).filter(organisation=organisation).exists() and takes_part(organisation, file)


def require_may_act(user, organisation, file):
    if not nominative_memberships(user).filter(organisation=organisation).exists():
        raise PermissionDenied(
            f"Vous n'agissez pas au titre de « {organisation} » : choisissez une organisation dont vous êtes "
            "agent, responsable ou administrateur."
        )
    if not takes_part(organisation, file):
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


# The kinds of organisation a file may be shared with: those that follow households
# (docs/access.md). Never a funder, a court, the representatives of private landlords or
# an « other » body such as a steering committee, which see aggregates only.
SHAREABLE_KINDS = frozenset(
    {
        OrganisationKind.STATE,
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.CAF_MSA,
        OrganisationKind.FSL,
        OrganisationKind.SOCIAL_LANDLORD,
        OrganisationKind.ASSOCIATION,
        OrganisationKind.BANQUE_DE_FRANCE,
        OrganisationKind.OPERATOR,
    }
)


def share_file(file, organisation, user, acting_organisation, *, reason=""):
    """A participant shares the file with another organisation (reason « partage »); the
    stated reason is the change reason of the participation's history."""
    from toit.eviction.models import FileParticipant

    require_may_act(user, acting_organisation, file)
    if organisation.kind not in SHAREABLE_KINDS or not organisation.is_active:
        raise ValidationError(
            {
                "partner": f"Un dossier ne se partage pas avec « {organisation} » "
                f"({organisation.get_kind_display().lower()}) : seules les organisations qui suivent des ménages "
                "le lisent."
            }
        )
    existing = FileParticipant.objects.filter(file=file, organisation=organisation, reason=ParticipantReason.SHARING)
    if existing.exists():
        return existing.get()
    participant = FileParticipant(
        file=file, organisation=organisation, reason=ParticipantReason.SHARING, since=timezone.now(), added_by=user
    )
    participant._history_user = user
    participant._change_reason = reason.strip()
    participant.save()
    return participant


def may_break_glass(user):
    """Whether the user may ask for an exceptional access at all (one cached query)."""
    return bool(roles_of(user) & BREAK_GLASS_ROLES)


def break_glass_organisations(user):
    """Organisations on behalf of which the user may open a file outside their scope."""
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.active().filter(user=user, role__in=BREAK_GLASS_ROLES)
    return Organisation.objects.filter(pk__in=memberships.values("organisation"))


def file_for_break_glass(reference):
    """The file a break-glass request names, whoever may see it, or None. The only lookup
    of a file outside the user's scope: call it once the reason is stated, and log the
    request whatever it returns (see the module's table)."""
    from toit.eviction.models import PreventionFile
    from toit.eviction.references import clean_reference

    canonical = clean_reference(reference)
    return PreventionFile.objects.filter(reference=canonical).first() if canonical else None


def break_glass(file, organisation, user, reason, now=None):
    """Give `organisation` a participation in `file` for BREAK_GLASS_HOURS, on the word of
    `user`, a responsable or administrateur of it, who states `reason`. Asking again renews
    the access. The caller logs the access (toit.audit, action BREAK_GLASS) in the same
    transaction."""
    from toit.eviction.models import FileParticipant

    if not break_glass_organisations(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            f"Seuls les responsables et administrateurs de « {organisation} » peuvent demander un accès "
            "exceptionnel en son nom : demandez-le à l'un d'eux."
        )
    if len((reason or "").strip()) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            {
                "reason": f"Indiquez le motif de l'accès exceptionnel en {BREAK_GLASS_MIN_REASON} caractères au "
                "moins : il est inscrit au journal des accès."
            }
        )
    now = now or timezone.now()
    participant, _ = FileParticipant.objects.update_or_create(
        file=file,
        organisation=organisation,
        reason=ParticipantReason.BREAK_GLASS,
        defaults={
            "since": now,
            "expires_at": now + datetime.timedelta(hours=BREAK_GLASS_HOURS),
            "added_by": user,
        },
    )
    return participant


def is_visible(file, user):
    from toit.eviction.models import PreventionFile

    return PreventionFile.objects.visible_to(user).filter(pk=file.pk).exists()


def require_may_correct(user, organisation, file):
    """Who corrects or cancels a record of a file: a member of the organisation that
    recorded it, while that organisation takes part in the file. A record with no
    organisation (the household and its members, shared by every participant; rows
    imported without one) is corrected by a member of any participant. Returns the
    organisation acted for."""
    if organisation is not None:
        if not nominative_memberships(user).filter(organisation=organisation).exists():
            raise PermissionDenied(
                f"Cet enregistrement a été saisi au titre de « {organisation} » : seuls ses agents, responsables "
                "et administrateurs peuvent le corriger ou l'annuler. Demandez-leur la correction."
            )
        if not takes_part(organisation, file):
            raise PermissionDenied(f"« {organisation} » ne participe plus au dossier {file.reference}.")
        return organisation
    acting = (
        acting_organisations(user)
        .filter(active_participation("eviction_participations__"), eviction_participations__file=file)
        .order_by("name")
        .first()
    )
    if acting is None:
        raise PermissionDenied("Aucune de vos organisations ne participe à ce dossier.")
    return acting
