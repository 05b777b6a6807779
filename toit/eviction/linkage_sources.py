"""Eviction-prevention files offered to the cross-matching of sheet 3A
(toit.linkage.sources): the household's reference person, and whether the FSL granted a
guarantee. Visibility is the file's (toit.eviction.access)."""

from django.urls import reverse

from toit.eviction.enums import FslResult, MemberRelationship
from toit.eviction.models import FslDecision, HouseholdMember, PreventionFile
from toit.linkage.identity import Identity
from toit.linkage.sources import RecordView, Source, register

CODE = "expulsion"


def _reference_members(files):
    return {
        m.household_id: m
        for m in HouseholdMember.objects.filter(
            household__in=files.values("household"), relationship=MemberRelationship.REFERENCE
        )
    }


def identities(department):
    # A file cancelled as opened by mistake (a duplicate) is not a record of its own.
    files = PreventionFile.objects.live().filter(
        household__commune__department=department, household__anonymised_at__isnull=True
    )
    members = _reference_members(files)
    rows = files.select_related("household__commune").only(
        "pk", "household_id", "household__commune__insee_code", "household__commune__postcodes"
    )
    found = []
    for file in rows:
        member = members.get(file.household_id)
        if member is None:
            continue
        commune = file.household.commune
        found.append(
            Identity(
                source=CODE,
                record_id=str(file.pk),
                last_name=member.last_name,
                first_name=member.first_name,
                birth_name=member.birth_name,
                birth_date=member.birth_date,
                postcode=commune.postcodes[0] if commune.postcodes else "",
                commune=commune.insee_code,
            )
        )
    return found


def visible_pks(user):
    return PreventionFile.objects.visible_to(user).values("pk")


def describe(pks):
    files = PreventionFile.objects.filter(pk__in=pks).select_related("household", "opened_by")
    members = _reference_members(files)
    views = {}
    for file in files:
        member = members.get(file.household_id)
        views[file.pk] = RecordView(
            source=CODE,
            pk=file.pk,
            name=f"{member.last_name.upper()} {member.first_name}" if member else "",
            birth_date=member.birth_date if member else None,
            summary=f"Dossier {file.reference} ouvert le {file.opened_on:%d/%m/%Y} par {file.opened_by}",
            url=reverse("eviction:file", args=[file.reference]),
        )
    return views


def flags(department, today):
    guaranteed = FslDecision.objects.filter(
        file__household__commune__department=department,
        under_guarantee=True,
        result=FslResult.GRANTED,
        decided_on__lte=today,
    ).values_list("file_id", flat=True)
    return {pk: {"garanti_fsl"} for pk in guaranteed}


register(
    Source(
        CODE,
        "Prévention des expulsions (dont FSL)",
        identities=identities,
        visible_pks=visible_pks,
        describe=describe,
        flags=flags,
        model=PreventionFile,
        # An anonymised household names nobody (toit.eviction.retention): links to its files go.
        retained_pks=lambda: PreventionFile.objects.filter(household__anonymised_at__isnull=True).values("pk"),
    )
)
