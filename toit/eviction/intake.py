"""Reports in, files opened (fiche 1A). The agent of the reporting organisation records a
report, looks at find_matches(report.identity, user) — files it already reads, nothing
else — and either attaches the report to one of them or opens a new file; either way the
report records who decided and when.

A report naming a person (name, first name, birth date) of a file its organisation does
not read is transmitted to that file's participants instead (transmit): its author sees it
marked « transmis » and learns nothing more. A participant who reads both decides whether
the report is this household's (attach_report or decline_transmission) and, as a separate
decision with a reason, whether the reporting organisation joins the file (decide_join).
No other path lets a report's author into a file."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.audit.enums import AccessAction
from toit.audit.log import record_access
from toit.eviction import access
from toit.eviction.dates import ImpossibleDate, check_birth_date, report_date_errors
from toit.eviction.enums import (
    EventKind,
    JoinDecision,
    LandlordKind,
    MemberRelationship,
    ParticipantReason,
    TransmissionStatus,
)
from toit.eviction.lease import lease_errors
from toit.eviction.matching import find_matches, hidden_person_matches, organisation_reads_person
from toit.eviction.models import Household, HouseholdMember, PreventionFile, PrivateLandlord, Report, ReportTransmission
from toit.eviction.procedure import add_event

__all__ = [
    "attach_report",
    "decide_join",
    "decline_transmission",
    "find_matches",
    "open_file",
    "open_file_from_report",
    "record_report",
    "transmit",
]

JOIN_MIN_REASON = 15
TRANSMITTED = "transmis"


def record_report(user, organisation, *, today=None, **fields):
    """Record a report of unpaid rent made by `organisation` (source, reported_on,
    debt_amount, months_unpaid, the reported identity: last_name, first_name,
    birth_name, birth_date, street, commune, sector, social_landlord,
    private_landlord_name, and the lease when known: lease_signed_on, landlord_kind,
    monthly_rent), and transmit it when it names a person of a file the organisation does
    not read (transmit)."""
    access.require_may_record_report(user, organisation)
    today = today or timezone.localdate()
    report = Report(reporting_organisation=organisation, recorded_by=user, **fields)
    # The lease's own wording first (French, naming the rule), then the model's checks.
    errors = lease_errors(
        today=today,
        lease_signed_on=report.lease_signed_on,
        landlord_kind=report.landlord_kind,
        monthly_rent=report.monthly_rent,
    )
    try:
        report.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    if errors := report_date_errors(reported_on=report.reported_on, birth_date=report.birth_date, today=today):
        raise ValidationError(errors)
    with transaction.atomic():
        report.save()
        transmit(report)
    return report


def transmit(report):
    """Hand `report` to the participants of the files whose household has the reported
    person when its organisation reads none of them. Returns the transmissions made.
    When the organisation reads a file with the person, its agent decides as usual, and
    nothing is transmitted: the report's author is asked about what it already knows."""
    identity = report.identity
    if identity.birth_date is None or not identity.person_keys():
        return []
    organisation = report.reporting_organisation
    if organisation_reads_person(identity, organisation):
        return []
    return [
        ReportTransmission.objects.get_or_create(report=report, file=file)[0]
        for file in hidden_person_matches(identity, organisation)
    ]


def report_status(report, user):
    """What the page says of a report: « rattaché » to a file the user reads, « transmis »
    while the participants of a file the user does not read decide, and once they attached
    it (its author is told nothing more), or « à rattacher » — also after they set it aside,
    so that its author can open a file for the household."""
    if report.file_id is not None and access.is_visible(report.file, user):
        return "rattache"
    if report.file_id is not None or report.transmissions.filter(status=TransmissionStatus.PENDING).exists():
        return TRANSMITTED
    return "a_rattacher"


def attach_report(report, file, user, *, organisation=None, today=None):
    """Attach `report` to `file` after a person who reads both confirmed the match: a
    member of an organisation taking lasting part in the file (not an exceptional access),
    who sees the report (its author's member, or the file's participant it was transmitted
    to). The file gets the report's facts (an « impayé signalé » event). The reporting
    organisation does not join the file by this: see decide_join. Returns the event."""
    return _attach(report, file, user, organisation=organisation, today=today, opened_file=False)


def _acting_organisation(user, file, organisation):
    lasting = access.lasting_organisations(user, file)
    if organisation is None:
        organisation = lasting.order_by("pk").first()
        if organisation is None:
            raise PermissionDenied(
                f"Vous ne participez pas durablement au dossier {file.reference} : seul un participant (hors accès "
                "exceptionnel) peut y rattacher un signalement."
            )
        return organisation
    access.require_may_widen(user, organisation, file)
    return organisation


def _attach(report, file, user, *, organisation, today, opened_file):
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("reporting_organisation").get(pk=report.pk)
        if not Report.objects.visible_to(user).filter(pk=report.pk).exists():
            raise PermissionDenied("Ce signalement ne vous est pas destiné.")
        acting = _acting_organisation(user, file, organisation)
        if report.file_id is not None:
            raise ValidationError(
                f"Ce signalement est déjà rattaché au dossier {report.file.reference} : il ne peut l'être qu'une fois."
            )
        now = timezone.now()
        report.file = file
        report.matched_by = user
        report.matched_at = now
        report.opened_file = opened_file
        report.save(update_fields=["file", "matched_by", "matched_at", "opened_file"])
        decided = {"decided_by": user, "deciding_organisation": acting, "decided_at": now}
        report.transmissions.filter(file=file).update(status=TransmissionStatus.ATTACHED, **decided)
        report.transmissions.filter(status=TransmissionStatus.PENDING).exclude(file=file).update(
            status=TransmissionStatus.SUPERSEDED, **decided
        )
        return add_event(
            file,
            EventKind.UNPAID_REPORTED,
            report.reported_on,
            user,
            acting,
            amount=report.debt_amount,
            report=report,
            today=today,
        )


def decline_transmission(transmission, user, *, organisation=None, note=""):
    """A participant of the file says the transmitted report is not this household's. When
    no other transmission is pending, the report is back in its author's queue, « à
    rattacher », where its author may open a file."""
    with transaction.atomic():
        transmission = ReportTransmission.objects.select_for_update().select_related("file").get(pk=transmission.pk)
        acting = _acting_organisation(user, transmission.file, organisation)
        if transmission.status != TransmissionStatus.PENDING:
            raise ValidationError("La décision sur ce signalement transmis est déjà prise.")
        transmission.status = TransmissionStatus.DECLINED
        transmission.decided_by = user
        transmission.deciding_organisation = acting
        transmission.decided_at = timezone.now()
        transmission.note = note.strip()
        transmission.save()
    return transmission


def decide_join(report, user, *, join, reason, organisation=None):
    """A participant of the file the report is attached to decides, with a reason, whether
    the reporting organisation joins the file (reason « signalement »). Written to the
    access log when it joins: from then on its members read the whole file."""
    reason = (reason or "").strip()
    if len(reason) < JOIN_MIN_REASON:
        raise ValidationError(
            {
                "reason": f"Indiquez en {JOIN_MIN_REASON} caractères au moins pourquoi l'organisation qui signale "
                "participe ou non au dossier : la décision est inscrite au journal."
            }
        )
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("reporting_organisation", "file")
            .get(pk=report.pk)
        )
        if report.file_id is None:
            raise ValidationError("Ce signalement n'est rattaché à aucun dossier : rattachez-le d'abord.")
        file = report.file
        acting = _acting_organisation(user, file, organisation)
        if report.join_decision:
            raise ValidationError("La participation de l'organisation qui signale est déjà décidée.")
        report.join_decision = JoinDecision.JOINED if join else JoinDecision.REFUSED
        report.join_reason = reason
        report.join_decided_by = user
        report.join_decided_at = timezone.now()
        report.save(update_fields=["join_decision", "join_reason", "join_decided_by", "join_decided_at"])
        if join:
            access.grant(file, report.reporting_organisation, ParticipantReason.REPORT, user)
            record_access(
                user,
                file,
                action=AccessAction.JOIN,
                organisation=report.reporting_organisation,
                reason=f"Admise par « {acting} » à la suite du signalement n° {report.pk} : {reason}",
                view="eviction.intake.decide_join",
            )
    return report


def open_file(
    household,
    members,
    user,
    organisation,
    *,
    opened_on=None,
    lease_signed_on=None,
    monthly_rent=None,
    landlord_kind=None,
):
    """Open a file for a household (saved or not) and its members (unsaved
    HouseholdMember, exactly one of them the reference person), on behalf of
    `organisation`. Returns the file, readable by the opening organisation (and the
    household's social landlord). A household of a social landlord has a legal-person
    landlord (the CCAPEX referral of the loi ALUR applies) unless told otherwise."""
    if not access.nominative_memberships(user).filter(organisation=organisation).exists():
        raise PermissionDenied(
            f"Vous ne pouvez pas ouvrir un dossier au nom de « {organisation} » : seuls ses agents, responsables et "
            "administrateurs le peuvent."
        )
    references = [m for m in members if m.relationship == MemberRelationship.REFERENCE]
    if household.pk is None and len(references) != 1:
        raise ValidationError("Indiquez une et une seule personne de référence du ménage.")
    with transaction.atomic():
        if household.pk is None:
            household.full_clean()
            household.save()
        for member in members:
            member.household = household
            member.full_clean()
            member.save()
        file = PreventionFile(
            household=household,
            opened_by=organisation,
            created_by=user,
            opened_on=opened_on or timezone.localdate(),
            lease_signed_on=lease_signed_on,
            monthly_rent=monthly_rent,
            landlord_kind=landlord_kind
            if landlord_kind is not None
            else (LandlordKind.LEGAL_PERSON if household.social_landlord_id else LandlordKind.UNKNOWN),
        )
        file.full_clean()
        file.save()
        access.grant_at_opening(file, user)
    return file


def open_file_from_report(report, user, *, opened_on=None, today=None, **household_fields):
    """Open a new file from `report` when no candidate is the household: the household and
    its reference person come from the reported identity (`household_fields` complete or
    override it: street, commune, sector, phone…). Opened on behalf of the reporting
    organisation; the report is attached to it, and its lease (signature date, landlord
    kind, rent), when it gives one, becomes the file's. Returns the file."""
    organisation = report.reporting_organisation
    access.require_may_handle_report(user, report)
    if report.transmissions.filter(status=TransmissionStatus.PENDING).exists():
        raise ValidationError(
            "Ce signalement est transmis : attendez la décision avant d'ouvrir un dossier pour ce ménage."
        )
    if report.file_id is not None:
        raise ValidationError(
            f"Ce signalement est déjà rattaché au dossier {report.file.reference} : ouvrez le dossier existant."
        )
    values = {
        "street": report.street,
        "commune": report.commune,
        "sector": report.sector,
        "social_landlord": report.social_landlord,
        **household_fields,
    }
    if report.birth_date is not None:
        # A report stored before the rule (toit.eviction.dates) must not carry its date
        # into a household.
        try:
            check_birth_date(report.birth_date, today=today or timezone.localdate(), reported_on=report.reported_on)
        except ImpossibleDate as exc:
            raise ValidationError({"birth_date": exc.sentence()}) from None
    missing = [name for name in ("street", "commune", "sector") if not values[name]]
    if missing:
        raise ValidationError(
            {name: "Le signalement ne l'indique pas : complétez ce champ pour ouvrir le dossier." for name in missing}
        )
    with transaction.atomic():
        if report.private_landlord_name and "private_landlord" not in household_fields:
            landlord = PrivateLandlord(name=report.private_landlord_name)
            landlord.full_clean()
            landlord.save()
            values["private_landlord"] = landlord
        household = Household(**values)
        member = HouseholdMember(
            last_name=report.last_name,
            first_name=report.first_name,
            birth_name=report.birth_name,
            birth_date=report.birth_date,
            relationship=MemberRelationship.REFERENCE,
        )
        file = open_file(
            household,
            [member],
            user,
            organisation,
            opened_on=opened_on or report.reported_on,
            lease_signed_on=report.lease_signed_on,
            monthly_rent=report.monthly_rent,
            # Unknown on the report: the file's own default (a social landlord is a legal person).
            landlord_kind=report.landlord_kind or None,
        )
        _attach(report, file, user, organisation=organisation, today=today, opened_file=True)
    return file
