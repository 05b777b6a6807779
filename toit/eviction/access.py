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
the author of a report                 decide_join, a participant's separate  signalement
                                       decision with a reason (logged)
the household's social landlord        at opening, social sector only         bailleur
the préfecture of the household's      first event from the assignation on    prefecture
département (is_prefecture)            (PREFECTURE_KINDS), files of its own
                                       département only (logged)
the FSL that decided                   record_fsl_decision                    fsl
the commission de surendettement       record_overindebtedness_case, when     surendettement
                                       the organisation is a Banque de France
any organisation a lasting             share_file                             partage
participant names
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
read an unmatched report               members of the reporting organisation, and the lasting
                                       participants of a file it was transmitted to
record a report                        members of the reporting organisation
find_matches                           only files the user reads through a lasting participation.
                                       A report naming a person (name, first name, birth date) of
                                       a file its organisation does not read is transmitted to
                                       that file's participants (intake.transmit); its author sees
                                       « transmis » and nothing else. Address-only likeness is
                                       never transmitted nor attached
attach a report, admit its author,     a member of an organisation taking lasting part in the file
share the file                         (require_may_widen): never on a break-glass access
break glass (accès exceptionnel)       responsables and administrateurs (not agents, not the
                                       observatory), for an organisation they hold that role in,
                                       with a motive from BreakGlassMotive and a sentence of
                                       BREAK_GLASS_MIN_REASON characters or more; the lasting
                                       participants are e-mailed and see it on the file. The
                                       page logs the attempt (AccessLog, action BREAK_GLASS,
                                       with the motive and sentence) before it says whether the
                                       reference exists: an unknown reference gets the message of
                                       a missing file, after the log entry (no existence oracle
                                       without a logged, stated reason)
cancel or restore a whole file          members of the organisation that opened it, while it takes
                                       part (toit.eviction.corrections.cancel_file); a cancelled
                                       file takes no record and no correction (require_live)
observatory                            no file, no report: metrics only
superuser                              everything in the Django admin, nothing more elsewhere
=====================================  ===========================================================
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from toit.eviction.enums import PREFECTURE_KINDS, HousingSector, ParticipantReason
from toit.organisations.enums import NOMINATIVE_ROLES, OrganisationKind, Role
from toit.organisations.models import Membership, Organisation
from toit.organisations.perms import roles_of
from toit.utils.collation import french

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


def organisation_ids(user):
    """The ids of the organisations the user reads files for, resolved in one query. Pages
    listing many files pass them to visible_files: given as a subquery, PostgreSQL misjudges
    how many there are and probes the participants of every file."""
    return list(reading_organisations(user).values_list("pk", flat=True))


def _participation(user, file_ref, organisation_ids=None):
    from toit.eviction.models import FileParticipant

    organisations = reading_organisations(user) if organisation_ids is None else organisation_ids
    return Exists(FileParticipant.objects.filter(active_participation(), file=file_ref, organisation__in=organisations))


def reading_organisation(user, file_ref=None, organisation_ids=None):
    """Subquery: the id of the organisation through which the user reads the file (one of
    theirs taking part in it; the earliest participation when several do). What the access
    log records as « au titre de ». `organisation_ids`: organisation_ids(user), resolved."""
    from toit.eviction.models import FileParticipant

    return Subquery(
        FileParticipant.objects.filter(
            active_participation(),
            file=file_ref if file_ref is not None else OuterRef("pk"),
            organisation__in=reading_organisations(user) if organisation_ids is None else organisation_ids,
        )
        .order_by("since", "pk")
        .values("organisation")[:1]
    )


def reads_file(user, file_ref):
    """Exists expression: the user reads the file `file_ref` (an OuterRef) points to."""
    return _participation(user, file_ref)


def visible_files(queryset, user, organisation_ids=None):
    """PreventionFile queryset narrowed, in SQL, to the files the user may read.
    `organisation_ids`: organisation_ids(user), when the caller resolved them already."""
    return queryset.filter(_participation(user, OuterRef("pk"), organisation_ids))


def visible_through_file(queryset, user, path="file", organisation_ids=None):
    """Rows hanging off a file (events, contacts, plans…) narrowed to readable files."""
    return queryset.filter(_participation(user, OuterRef(path), organisation_ids))


def visible_reports(queryset, user):
    """Reports of the user's organisations, reports attached to a readable file, and
    reports transmitted to a file the user's organisations take part in lastingly (its
    participants decide on them: toit.eviction.intake)."""
    from toit.eviction.models import FileParticipant, ReportTransmission

    own = Q(reporting_organisation__in=nominative_memberships(user).values("organisation"))
    transmitted = Exists(
        ReportTransmission.objects.filter(
            report=OuterRef("pk"),
            file__in=FileParticipant.objects.filter(
                expires_at__isnull=True, organisation__in=nominative_memberships(user).values("organisation")
            ).values("file"),
        )
    )
    return queryset.filter(own | Q(_participation(user, OuterRef("file"))) | Q(transmitted))


def takes_part(organisation, file):
    return file.participants.filter(active_participation(), organisation=organisation).exists()


def takes_part_lastingly(organisation, file):
    """A participation that does not expire: what any act widening access to the file
    (attaching a report, admitting its author, sharing) requires. An exceptional access
    (break glass) lets one read and act for 24 hours, never hand the file on."""
    return file.participants.filter(organisation=organisation, expires_at__isnull=True).exists()


def lasting_organisations(user, file):
    """The user's organisations (nominative role) taking part in `file` without expiry."""
    from toit.eviction.models import FileParticipant

    return Organisation.objects.filter(
        pk__in=FileParticipant.objects.filter(
            file=file,
            expires_at__isnull=True,
            organisation__in=nominative_memberships(user).values("organisation"),
        ).values("organisation")
    )


def lastingly_visible_files(queryset, user):
    """Files the user reads through a lasting participation of one of their organisations:
    the only ones a report may be matched against on their word."""
    from toit.eviction.models import FileParticipant

    return queryset.filter(
        Exists(
            FileParticipant.objects.filter(
                file=OuterRef("pk"),
                expires_at__isnull=True,
                organisation__in=nominative_memberships(user).values("organisation"),
            )
        )
    )


def files_of_organisation(queryset, organisation):
    """Files in which `organisation` takes part without expiry."""
    from toit.eviction.models import FileParticipant

    return queryset.filter(
        Exists(FileParticipant.objects.filter(file=OuterRef("pk"), organisation=organisation, expires_at__isnull=True))
    )


def require_may_widen(user, organisation, file):
    """`user` acts for `organisation`, a lasting participant of `file`: the condition to
    let another organisation or another party's report into the file."""
    require_may_act(user, organisation, file)
    if not takes_part_lastingly(organisation, file):
        raise PermissionDenied(
            f"« {organisation} » ne lit le dossier {file.reference} que par un accès exceptionnel : il ne permet "
            "ni de rattacher un signalement, ni de faire entrer une autre organisation, ni de partager le dossier."
        )


def may_act(user, organisation, file):
    return nominative_memberships(user).filter(organisation=organisation).exists() and takes_part(organisation, file)


def require_live(file):
    """A cancelled file (PreventionFile.cancelled_at) takes no new record and no correction
    until its opening organisation restores it (toit.eviction.corrections.restore_file)."""
    if file.cancelled_at:
        raise ValidationError(
            f"Le dossier {file.reference} est annulé depuis le {timezone.localtime(file.cancelled_at):%d/%m/%Y} : "
            "rien ne s'y enregistre ni ne s'y corrige. Si l'annulation était une erreur, l'organisation qui a "
            "ouvert le dossier peut le rétablir depuis la page du dossier."
        )


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
    require_live(file)


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


def prefecture_of_file(file):
    """The préfecture of the file's household's département (Organisation.is_prefecture), or
    None when that département has not declared one (then nobody is added: a missing
    organisation must not block the procedure)."""
    department_code = file.household.commune.department.code
    return Organisation.objects.prefecture_of(department_code)


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


def grant_after_event(event, user=None):
    if event.kind in PREFECTURE_KINDS and (office := prefecture_of_file(event.file)) is not None:
        join_as_prefecture(event.file, office, user)


def prefecture_departments(organisation):
    """INSEE codes of the départements whose files `organisation` joins as the préfecture: its
    own département when it is that département's préfecture, none otherwise."""
    if organisation is None or not organisation.is_prefecture or organisation.department_id is None:
        return frozenset()
    return frozenset({organisation.department.code})


def prefecture_files(queryset, organisation):
    """Files the préfecture may join by law (art. 24 of loi 89-462): those of its own
    département(s). Empty for any other organisation."""
    return queryset.filter(household__commune__department__code__in=prefecture_departments(organisation))


def join_as_prefecture(file, organisation, user=None):
    """The préfecture takes part in `file` from the assignation on, for a file of its own
    département only; each join is written to the access log (and the participants see it
    in the file's list of participants). Returns the participation, or None when the file
    is outside its département."""
    from toit.audit.enums import AccessAction
    from toit.audit.log import record_access
    from toit.eviction.models import PreventionFile

    if not prefecture_files(PreventionFile.objects.filter(pk=file.pk), organisation).exists():
        return None
    if file.participants.filter(organisation=organisation, reason=ParticipantReason.PREFECTURE).exists():
        return file.participants.get(organisation=organisation, reason=ParticipantReason.PREFECTURE)
    participant = grant(file, organisation, ParticipantReason.PREFECTURE, user)
    record_access(
        user,
        file,
        action=AccessAction.JOIN,
        organisation=organisation,
        reason="Préfecture : participation de droit à partir de l'assignation (art. 24 de la loi n° 89-462)",
        view="eviction.access.join_as_prefecture",
    )
    return participant


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

    # Not on the strength of an exceptional access (require_may_widen).
    require_may_widen(user, acting_organisation, file)
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


def break_glass(file, organisation, user, reason, now=None, *, motive=None):
    """Give `organisation` a participation in `file` for BREAK_GLASS_HOURS, on the word of
    `user`, a responsable or administrateur of it, who chooses a `motive` from
    BreakGlassMotive and states `reason` (a sentence). Asking again renews the access. The
    caller logs the access (toit.audit, action BREAK_GLASS) in the same transaction; the
    lasting participants are e-mailed once it commits (toit.eviction.break_glass_notice).
    Nothing done under it lets anyone else in (require_may_widen)."""
    from toit.eviction.break_glass_notice import notify_participants
    from toit.eviction.enums import BreakGlassMotive
    from toit.eviction.models import FileParticipant

    if not break_glass_organisations(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            f"Seuls les responsables et administrateurs de « {organisation} » peuvent demander un accès "
            "exceptionnel en son nom : demandez-le à l'un d'eux."
        )
    if motive not in BreakGlassMotive.values:
        raise ValidationError({"motive": "Choisissez le motif de l'accès exceptionnel dans la liste."})
    if len((reason or "").strip()) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            {
                "reason": f"Décrivez la situation en une phrase de {BREAK_GLASS_MIN_REASON} caractères au "
                "moins : elle est inscrite au journal des accès et montrée aux participants du dossier."
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
            "motive": motive,
            "statement": reason.strip(),
        },
    )
    notify_participants(participant)
    return participant


def break_glass_log_reason(motive, statement):
    """What the access log keeps of a break-glass request: the motive and the sentence."""
    from toit.eviction.enums import BreakGlassMotive

    label = BreakGlassMotive(motive).label if motive in BreakGlassMotive.values else "motif non choisi"
    return f"{label} : {statement.strip()}"


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
        .order_by(french("name"))
        .first()
    )
    if acting is None:
        raise PermissionDenied("Aucune de vos organisations ne participe à ce dossier.")
    return acting
