"""Reports in, files opened (fiche 1A). The agent of the reporting organisation records a
report, looks at find_matches(report.identity, user) and either attaches the report to a
candidate file or opens a new one; either way the report records who decided and when."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.eviction import access
from toit.eviction.enums import EventKind, LandlordKind, MemberRelationship
from toit.eviction.matching import find_matches
from toit.eviction.models import Household, HouseholdMember, PreventionFile, PrivateLandlord, Report
from toit.eviction.procedure import add_event

__all__ = ["attach_report", "find_matches", "open_file", "open_file_from_report", "record_report"]


def record_report(user, organisation, *, today=None, **fields):
    """Record a report of unpaid rent made by `organisation` (source, reported_on,
    debt_amount, months_unpaid and the reported identity: last_name, first_name,
    birth_name, birth_date, street, commune, sector, social_landlord,
    private_landlord_name)."""
    access.require_may_record_report(user, organisation)
    today = today or timezone.localdate()
    report = Report(reporting_organisation=organisation, recorded_by=user, **fields)
    report.full_clean()
    if report.reported_on > today:
        raise ValidationError({"reported_on": "La date du signalement est dans le futur : corrigez-la."})
    report.save()
    return report


def attach_report(report, file, user, *, today=None):
    """Attach `report` to an existing `file` after the agent confirmed the match. The
    reporting organisation joins the file and an « impayé signalé » event is added.
    Returns that event."""
    return _attach(report, file, user, today=today, opened_file=False)


def _attach(report, file, user, *, today, opened_file):
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("reporting_organisation").get(pk=report.pk)
        access.require_may_handle_report(user, report)
        if report.file_id is not None:
            raise ValidationError(
                f"Ce signalement est déjà rattaché au dossier {report.file.reference} : il ne peut l'être qu'une fois."
            )
        report.file = file
        report.matched_by = user
        report.matched_at = timezone.now()
        report.opened_file = opened_file
        report.save(update_fields=["file", "matched_by", "matched_at", "opened_file"])
        access.grant_for_report(report, user)
        return add_event(
            file,
            EventKind.UNPAID_REPORTED,
            report.reported_on,
            user,
            report.reporting_organisation,
            amount=report.debt_amount,
            report=report,
            today=today,
        )


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
    organisation; the report is attached to it. Returns the file."""
    organisation = report.reporting_organisation
    access.require_may_handle_report(user, report)
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
        file = open_file(household, [member], user, organisation, opened_on=opened_on or report.reported_on)
        _attach(report, file, user, today=today, opened_file=True)
    return file
