import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.eviction.factories import (
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
    ReportFactory,
    social_landlord,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.eviction.enums import (
    EventKind,
    HousingSector,
    LandlordKind,
    MemberRelationship,
    ParticipantReason,
    ReportSource,
)
from toit.eviction.intake import attach_report, open_file, open_file_from_report, record_report
from toit.eviction.matching import ReportIdentity, all_matches, find_matches
from toit.eviction.models import Household, HouseholdMember
from toit.organisations.enums import OrganisationKind

D = datetime.date
TODAY = D(2012, 12, 31)


@pytest.fixture
def existing():
    """A file for Mme Sylvie Dupont née Martin, 12 bis rue de la Gare, private landlord."""
    landlord = PrivateLandlordFactory(name="SCI Les Tilleuls")
    household = HouseholdFactory(street="12 bis rue de la Gare", private_landlord=landlord)
    HouseholdMemberFactory(
        household=household, last_name="Dupont", birth_name="Martin", first_name="Sylvie", birth_date=D(1975, 4, 12)
    )
    return PreventionFileFactory(household=household, opened_by=OrganisationFactory(code="CG72"))


def identity(**kwargs):
    values = {"last_name": "DUPONT", "first_name": "sylvie", "birth_date": D(1975, 4, 12)}
    return ReportIdentity(**(values | kwargs))


class TestFindMatches:
    @pytest.mark.parametrize(
        "fields",
        [
            {},
            {"last_name": "Dupont née Martin"},
            {"last_name": "MARTIN épouse DUPONT"},
            {"last_name": "Martin"},  # known by her birth name to this partner
            {"last_name": "dupont", "first_name": "SYLVIE "},
        ],
    )
    def test_same_person(self, existing, fields):
        (candidate,) = all_matches(identity(**fields))
        assert candidate.file == existing
        assert candidate.same_person and not candidate.same_address_and_landlord

    def test_other_birth_date_or_first_name_is_not_a_match(self, existing):
        assert all_matches(identity(birth_date=D(1975, 4, 13))) == []
        assert all_matches(identity(first_name="Sylviane")) == []
        assert all_matches(identity(birth_date=None)) == []

    def test_same_address_and_landlord(self, existing):
        (candidate,) = all_matches(
            identity(
                last_name="Petit",
                first_name="Marc",
                street="12B, R. DE LA GARE",
                commune_id=existing.household.commune_id,
                private_landlord_name="sci les tilleuls",
            )
        )
        assert candidate.file == existing
        assert candidate.same_address_and_landlord and not candidate.same_person
        assert candidate.reasons == ["même adresse et même bailleur"]

    def test_same_address_other_landlord_or_commune_is_not_a_match(self, existing):
        base = {"last_name": "Petit", "first_name": "Marc", "street": "12 bis rue de la Gare"}
        commune_id = existing.household.commune_id
        assert all_matches(identity(**base, commune_id=commune_id, private_landlord_name="M. Leroy")) == []
        other = CommuneFactory().pk
        assert all_matches(identity(**base, commune_id=other, private_landlord_name="SCI Les Tilleuls")) == []
        assert all_matches(identity(**base, commune_id=commune_id)) == []  # landlord unknown

    def test_social_landlord_address_match(self):
        landlord = social_landlord()
        household = HouseholdFactory(street="4 allée des Pins", sector=HousingSector.SOCIAL, social_landlord=landlord)
        file = PreventionFileFactory(household=household)
        found = all_matches(
            identity(street="4 all. des pins", commune_id=household.commune_id, social_landlord_id=landlord.pk)
        )
        assert [c.file for c in found] == [file]

    def test_find_matches_proposes_only_files_the_user_reads(self, existing):
        (candidate,) = find_matches(identity(), member_of(existing.opened_by))
        assert candidate.file == existing and candidate.visible
        assert find_matches(identity(), member_of(OrganisationFactory())) == []

    def test_one_query(self, existing, django_assert_num_queries):
        user = member_of(existing.opened_by)
        with django_assert_num_queries(1):
            find_matches(identity(), user)


@pytest.fixture
def caf():
    return OrganisationFactory(code="CAF72", kind=OrganisationKind.CAF_MSA)


class TestRecordReport:
    def test_member_records_a_report(self, caf):
        user = member_of(caf)
        report = record_report(
            user,
            caf,
            source=ReportSource.CAF_MSA,
            reported_on=D(2010, 3, 1),
            debt_amount=Decimal("900"),
            last_name="Dupont",
            first_name="Sylvie",
            today=TODAY,
        )
        assert (report.reporting_organisation, report.recorded_by, report.file) == (caf, user, None)

    def test_outsider_may_not_report_for_the_organisation(self, caf):
        with pytest.raises(PermissionDenied):
            record_report(member_of(OrganisationFactory()), caf, source=ReportSource.CAF_MSA)

    def test_future_report_is_refused(self, caf):
        with pytest.raises(ValidationError) as excinfo:
            record_report(
                member_of(caf),
                caf,
                source=ReportSource.CAF_MSA,
                reported_on=D(2013, 1, 1),
                debt_amount=Decimal("900"),
                last_name="Dupont",
                first_name="Sylvie",
                today=TODAY,
            )
        assert "reported_on" in excinfo.value.message_dict


class TestAttachReport:
    def test_attaching_records_who_confirmed(self, existing, caf):
        # The CAF knows her by her birth name; the file was opened under her married name
        # and the CAF takes part in it.
        existing.participants.create(organisation=caf, reason=ParticipantReason.SHARING)
        report = ReportFactory(reporting_organisation=caf, debt_amount=Decimal("1500.00"), last_name="MARTIN")
        user = member_of(caf)
        (candidate,) = find_matches(report.identity, user)
        assert candidate.file == existing
        event = attach_report(report, existing, user, today=TODAY)
        report.refresh_from_db()
        assert (report.file, report.matched_by, report.opened_file) == (existing, user, False)
        assert report.matched_at is not None
        assert (event.kind, event.date, event.amount, event.report, event.organisation) == (
            EventKind.UNPAID_REPORTED,
            report.reported_on,
            Decimal("1500.00"),
            report,
            caf,
        )

    def test_a_report_is_attached_once(self, existing, caf):
        existing.participants.create(organisation=caf, reason=ParticipantReason.SHARING)
        report = ReportFactory(reporting_organisation=caf)
        user = member_of(caf)
        attach_report(report, existing, user, today=TODAY)
        with pytest.raises(ValidationError, match="déjà rattaché au dossier"):
            attach_report(report, PreventionFileFactory(opened_by=caf), user, today=TODAY)

    def test_a_participant_may_not_attach_a_report_it_does_not_see(self, existing, caf):
        report = ReportFactory(reporting_organisation=caf, birth_date=None)
        with pytest.raises(PermissionDenied):
            attach_report(report, existing, member_of(existing.opened_by), today=TODAY)
        report.refresh_from_db()
        assert report.file is None


class TestOpenFileFromReport:
    def test_opens_a_file_with_the_reported_household(self, caf):
        landlord = social_landlord()
        commune = CommuneFactory()
        report = ReportFactory(
            reporting_organisation=caf,
            last_name="Dupont née Martin",
            commune=commune,
            sector=HousingSector.SOCIAL,
            social_landlord=landlord,
        )
        user = member_of(caf)
        file = open_file_from_report(report, user, today=TODAY, phone="02 43 00 00 00")
        report.refresh_from_db()
        assert (report.file, report.opened_file, report.matched_by) == (file, True, user)
        assert (file.opened_by, file.opened_on, file.created_by) == (caf, report.reported_on, user)
        assert file.household.commune == commune
        assert file.household.phone == "02 43 00 00 00"
        (member,) = file.household.members.all()
        assert (member.name_key, member.birth_name_key) == ("dupont|sylvie", "martin|sylvie")
        reasons = set(file.participants.values_list("organisation__code", "reason"))
        assert reasons == {
            ("CAF72", ParticipantReason.OPENING),
            ("SARTHE-HABITAT", ParticipantReason.LANDLORD),
        }
        assert list(file.events.values_list("kind", flat=True)) == [EventKind.UNPAID_REPORTED]

    def test_private_landlord_is_created(self, caf):
        report = ReportFactory(reporting_organisation=caf, commune=CommuneFactory(), private_landlord_name="M. Leroy")
        file = open_file_from_report(report, member_of(caf), today=TODAY)
        assert file.household.private_landlord.name == "M. Leroy"

    def test_missing_commune_is_a_field_error_and_writes_nothing(self, caf):
        report = ReportFactory(reporting_organisation=caf, commune=None)
        with pytest.raises(ValidationError) as excinfo:
            open_file_from_report(report, member_of(caf), today=TODAY)
        assert "commune" in excinfo.value.message_dict
        assert not Household.objects.exists()

    def test_failure_after_opening_rolls_everything_back(self, caf):
        # A report in the future fails at the event; the household must not stay behind.
        report = ReportFactory(reporting_organisation=caf, commune=CommuneFactory(), reported_on=D(2013, 2, 1))
        with pytest.raises(ValidationError):
            open_file_from_report(report, member_of(caf), today=TODAY)
        assert not Household.objects.exists()
        report.refresh_from_db()
        assert report.file is None


def test_open_file_needs_one_reference_person():
    organisation = OrganisationFactory()
    household = Household(street="1 rue Nationale", commune=CommuneFactory(), sector=HousingSector.PRIVATE)
    child = HouseholdMember(last_name="Petit", first_name="Léa", relationship=MemberRelationship.CHILD)
    with pytest.raises(ValidationError, match="personne de référence"):
        open_file(household, [child], member_of(organisation), organisation)


def test_a_social_landlords_household_has_a_legal_person_landlord():
    organisation = OrganisationFactory()
    landlord = social_landlord()
    household = HouseholdFactory(sector=HousingSector.SOCIAL, social_landlord=landlord)
    file = open_file(household, [], member_of(organisation), organisation)
    assert file.landlord_kind == LandlordKind.LEGAL_PERSON
    private = HouseholdFactory(sector=HousingSector.PRIVATE)
    assert open_file(private, [], member_of(organisation), organisation).landlord_kind == LandlordKind.UNKNOWN
    sci = open_file(private, [], member_of(organisation), organisation, landlord_kind=LandlordKind.FAMILY_SCI)
    assert sci.landlord_kind == LandlordKind.FAMILY_SCI
