"""Finding the files a report may belong to (fiche 1A: pooling the detection of unpaid
rent). Candidates come from one SQL query on indexed normalised keys, among the files the
agent already reads; the agent confirms (toit.eviction.intake.attach_report) or opens a new
file. A report naming a person of a file its author does not read is transmitted to that
file's participants (toit.eviction.intake.transmit), never shown to the author."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Replace

from toit.eviction import access
from toit.eviction.models import HouseholdMember, PreventionFile
from toit.eviction.normalise import address_key, landlord_key
from toit.linkage.identity import birth_date_variants, person_key_variants

MAX_CANDIDATES = 20


@dataclass(frozen=True)
class ReportIdentity:
    last_name: str
    first_name: str
    birth_name: str = ""
    birth_date: datetime.date | None = None
    street: str = ""
    commune_id: int | None = None
    social_landlord_id: int | None = None
    private_landlord_name: str = ""

    @classmethod
    def from_report(cls, report):
        return cls(
            last_name=report.last_name,
            first_name=report.first_name,
            birth_name=report.birth_name,
            birth_date=report.birth_date,
            street=report.street,
            commune_id=report.commune_id,
            social_landlord_id=report.social_landlord_id,
            private_landlord_name=report.private_landlord_name,
        )

    def person_keys(self):
        # French spelling habits (particles, swapped boxes) from the shared identity module.
        return person_key_variants(self.last_name, self.first_name, self.birth_name)

    def address_key(self):
        return address_key(self.street)


@dataclass(frozen=True)
class Candidate:
    file: PreventionFile
    same_person: bool
    same_address_and_landlord: bool
    # Always True for find_matches (it proposes only files the user reads); kept in the
    # API's answers, whose clients read it.
    visible: bool

    @property
    def reasons(self):
        found = []
        if self.same_person:
            found.append(
                "même nom (d'usage ou de naissance), même prénom et même date de naissance (ou jour et mois inversés ; "
                "ou, sans date de naissance signalée, même commune)"
            )
        if self.same_address_and_landlord:
            found.append("même adresse et même bailleur")
        return found


def _person_match(identity):
    keys = identity.person_keys()
    if not keys:
        return Value(False)
    members = HouseholdMember.objects.filter(household=OuterRef("household")).filter(
        Q(name_key__in=keys) | Q(birth_name_key__in=keys)
    )
    if identity.birth_date is not None:
        members = members.filter(birth_date__in=birth_date_variants(identity.birth_date))
    elif identity.commune_id is not None:
        # No birth date reported: the same name in the same commune is worth showing; the
        # agent compares and decides.
        members = members.filter(household__commune_id=identity.commune_id)
    else:
        return Value(False)
    return Exists(members)


def _compact(expression):
    """« S.C.I. Les Tilleuls » and « SCI les tilleuls »: stored keys keep spaces between
    words; compare them without."""
    return Replace(expression, Value(" "), Value(""))


def _address_match(identity):
    street = identity.address_key()
    if not street or identity.commune_id is None:
        return Value(False)
    if identity.social_landlord_id:
        landlord = Q(household__social_landlord_id=identity.social_landlord_id)
    elif key := landlord_key(identity.private_landlord_name):
        landlord = Q(_landlord_compact=key.replace(" ", ""))
    else:
        return Value(False)
    same = Q(household__commune_id=identity.commune_id, household__address_key=street) & landlord
    return ExpressionWrapper(same, output_field=BooleanField())


def _matches(identity):
    return (
        PreventionFile.objects.live()
        .alias(_landlord_compact=_compact(F("household__private_landlord__name_key")))
        .annotate(same_person=_person_match(identity), same_address=_address_match(identity))
        .filter(Q(same_person=True) | Q(same_address=True))
        .select_related("household__commune", "opened_by")
        .order_by("-same_person", "-opened_on", "-pk")
    )


def _candidates(queryset):
    return [
        Candidate(file=f, same_person=f.same_person, same_address_and_landlord=f.same_address, visible=True)
        for f in queryset[:MAX_CANDIDATES]
    ]


def find_matches(report_identity, user, organisation=None):
    """Files the user already reads (through a lasting participation of one of their
    organisations) that may be the reported household's: same normalised name (used or
    birth name, "née X" / "épouse Y" understood) and first name with the same birth date;
    or the same normalised address in the same commune with the same landlord. Person
    matches first, then the most recently opened. A file the user does not read is never
    a candidate: not even its existence is told (see toit.eviction.access and
    hidden_person_matches). With `organisation`, only the files that organisation takes
    lasting part in (an import acts for one organisation)."""
    files = access.lastingly_visible_files(_matches(report_identity), user)
    if organisation is not None:
        files = access.files_of_organisation(files, organisation)
    return _candidates(files)


def all_matches(report_identity):
    """find_matches over every file, whoever may read them: for the matching rules' tests
    and for code that decides on behalf of the files' participants, never shown as is."""
    return _candidates(_matches(report_identity))


def hidden_person_matches(report_identity, organisation):
    """Files in which `organisation` takes no lasting part whose household has the
    reported person (same name, first name and birth date): where a report of
    `organisation` is transmitted. Address-only likeness never counts here."""
    files = (
        _matches(report_identity)
        .filter(same_person=True)
        .exclude(pk__in=access.files_of_organisation(PreventionFile.objects.all(), organisation).values("pk"))
    )
    return list(files[:MAX_CANDIDATES])


def organisation_reads_person(report_identity, organisation):
    """Whether `organisation` takes lasting part in a file whose household has the person."""
    own = access.files_of_organisation(PreventionFile.objects.all(), organisation)
    return _matches(report_identity).filter(same_person=True, pk__in=own.values("pk")).exists()


def matches_among(report_identity, files):
    """find_matches' rule among `files` (a PreventionFile queryset the caller has already
    narrowed to what the acting organisation may reach)."""
    return _candidates(_matches(report_identity).filter(pk__in=files.values("pk")))
