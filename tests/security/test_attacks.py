"""Attacks of issue 10, performed as an outsider would: an agent of another partner (a
bailiff firm, a landlords' union), a partner's software with an API key, a responsable who
breaks the glass. Each one got into a household's file without going through someone who
already had it; each test fails on the code before issue 10 and passes after.

The victim: the file of Mme Sylvie Dupont (born 12/04/1975), 12 rue de la Gare, Le Mans,
private landlord « SCI Les Tilleuls », opened by the CAF. The attacker knows her name,
first name and birth date, or only her building and landlord."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.eviction.factories import (
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.api.enums import Scope
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog
from toit.eviction import access, intake
from toit.eviction.enums import EventKind, JoinDecision, ReportSource, TransmissionStatus
from toit.eviction.models import Event, Report, ReportTransmission
from toit.organisations.enums import OrganisationKind, Role

D = datetime.date
TODAY = D(2012, 12, 31)


@pytest.fixture
def le_mans():
    return CommuneFactory(insee_code="72181", name="Le Mans")


@pytest.fixture
def caf():
    return OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)


@pytest.fixture
def victim(caf, le_mans):
    household = HouseholdFactory(
        street="12 rue de la Gare", commune=le_mans, private_landlord=PrivateLandlordFactory(name="SCI Les Tilleuls")
    )
    HouseholdMemberFactory(household=household, last_name="DUPONT", first_name="Sylvie", birth_date=D(1975, 4, 12))
    return PreventionFileFactory(household=household, opened_by=caf, opened_on=D(2010, 1, 4))


@pytest.fixture
def bailiff():
    return OrganisationFactory(code="HUISSIERS72", name="Étude d'huissiers", kind=OrganisationKind.ASSOCIATION)


@pytest.fixture
def attacker(bailiff):
    return member_of(bailiff, first_name="Attila", last_name="Attaquant")


@pytest.fixture
def owner(caf):
    return member_of(caf, first_name="Olga", last_name="Owner")


def named_report(**overrides):
    """What the attacker types: the victim's name, first name and birth date."""
    return {
        "source": ReportSource.LANDLORD,
        "reported_on": D(2011, 3, 1),
        "debt_amount": Decimal("1200.00"),
        "last_name": "Dupont",
        "first_name": "sylvie",
        "birth_date": D(1975, 4, 12),
        **overrides,
    }


def address_report(le_mans, **overrides):
    """No name known: the building's street, commune and landlord."""
    return {
        "source": ReportSource.LANDLORD,
        "reported_on": D(2011, 3, 1),
        "debt_amount": Decimal("800.00"),
        "last_name": "Inconnu",
        "first_name": "X",
        "street": "12 rue de la Gare",
        "commune": le_mans,
        "private_landlord_name": "SCI Les Tilleuls",
        **overrides,
    }


def participant_codes(file):
    return set(file.participants.values_list("organisation__code", flat=True))


# 1. Report intake --------------------------------------------------------------------------


class TestReportIntake:
    def test_the_report_page_does_not_list_a_file_the_reporter_cannot_see(self, client, victim, bailiff, attacker):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report())
        client.force_login(attacker)
        page = client.get(reverse("eviction:report", args=[report.pk])).text
        assert victim.reference not in page
        assert "CAF de la Sarthe" not in page
        assert "Transmis" in page

    def test_an_address_only_likeness_shows_and_transmits_nothing(self, client, victim, bailiff, attacker, le_mans):
        report = intake.record_report(attacker, bailiff, today=TODAY, **address_report(le_mans))
        client.force_login(attacker)
        page = client.get(reverse("eviction:report", args=[report.pk])).text
        assert victim.reference not in page
        assert not ReportTransmission.objects.exists()
        assert "Aucun dossier que vous suivez ne correspond" in page

    @pytest.mark.parametrize("kind", ["named", "address"])
    def test_posting_the_file_reference_does_not_attach(self, client, victim, bailiff, attacker, le_mans, kind):
        fields = named_report() if kind == "named" else address_report(le_mans)
        report = intake.record_report(attacker, bailiff, today=TODAY, **fields)
        client.force_login(attacker)
        client.post(reverse("eviction:report_attach", args=[report.pk]), {"reference": victim.reference})
        report.refresh_from_db()
        assert report.file is None
        assert "HUISSIERS72" not in participant_codes(victim)
        assert client.get(reverse("eviction:file", args=[victim.reference])).status_code == 404

    def test_the_domain_function_refuses_a_file_the_attacker_does_not_take_part_in(self, victim, bailiff, attacker):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report())
        with pytest.raises(PermissionDenied):
            intake.attach_report(report, victim, attacker, today=TODAY)
        with pytest.raises(PermissionDenied):
            intake.attach_report(report, victim, attacker, organisation=bailiff, today=TODAY)
        assert "HUISSIERS72" not in participant_codes(victim)

    def test_opening_a_file_from_a_transmitted_report_is_refused(self, victim, bailiff, attacker, le_mans):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report(commune=le_mans, street="1 r"))
        with pytest.raises(ValidationError, match="transmis"):
            intake.open_file_from_report(report, attacker, today=TODAY)


class TestApi:
    @pytest.fixture
    def bailiff_api(self, bailiff):
        return client_for(make_key(bailiff, scopes=[Scope.REPORTS_WRITE, Scope.REPORTS_READ]).token)

    def payload(self, **overrides):
        return {
            "source": "bailleur",
            "reported_on": "2011-03-01",
            "debt_amount": "1200.00",
            "last_name": "DUPONT",
            "first_name": "sylvie",
            "birth_date": "1975-04-12",
            "street": "12 rue de la Gare",
            "commune": "72181",
            "private_landlord_name": "SCI Les Tilleuls",
            **overrides,
        }

    def test_a_partner_key_learns_nothing_and_cannot_attach(self, bailiff_api, victim):
        response = bailiff_api.post("/api/reports/", self.payload(), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["matches"] == [] and body["status"] == "transmis" and body["file"] is None
        assert victim.reference not in response.text
        attach = bailiff_api.post(f"/api/reports/{body['id']}/attach/", {"file": victim.reference}, format="json")
        assert attach.status_code == 422
        assert "HUISSIERS72" not in participant_codes(victim)
        assert Report.objects.get(pk=body["id"]).file is None

    def test_an_address_only_report_by_api_shows_no_candidate(self, bailiff_api, victim):
        response = bailiff_api.post("/api/reports/", self.payload(last_name="X", birth_date=None), format="json")
        assert response.json()["matches"] == [] and response.json()["status"] == "a_rattacher"
        assert victim.reference not in response.text

    def test_the_author_still_sees_transmis_once_a_participant_attached(self, bailiff_api, victim, owner):
        body = bailiff_api.post("/api/reports/", self.payload(), format="json").json()
        intake.attach_report(Report.objects.get(pk=body["id"]), victim, owner, today=TODAY)
        seen = bailiff_api.get(f"/api/reports/{body['id']}/").json()
        assert (seen["status"], seen["file"], seen["matched_at"]) == ("transmis", None, None)
        listed = bailiff_api.get("/api/reports/?matched=true").json()
        assert listed["count"] == 0


class TestTransmission:
    """The rule that replaces the attack: the file's participants decide."""

    def test_a_participant_attaches_then_decides_apart_whether_the_author_joins(
        self, client, victim, bailiff, attacker, owner
    ):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report())
        (transmission,) = ReportTransmission.objects.filter(report=report)
        assert (transmission.file, transmission.status) == (victim, TransmissionStatus.PENDING)
        # The owner sees it in its queue, with the file it concerns.
        client.force_login(owner)
        queue = client.get(reverse("eviction:transmitted")).text
        assert "DUPONT" in queue and victim.reference in queue
        response = client.post(
            reverse("eviction:transmission_decide", args=[report.pk, transmission.pk]), {"decision": "rattacher"}
        )
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.file == victim
        assert Event.objects.get(report=report).kind == EventKind.UNPAID_REPORTED
        # Attached, and the author still outside.
        assert "HUISSIERS72" not in participant_codes(victim)
        outsider = Client()
        outsider.force_login(attacker)
        page = outsider.get(reverse("eviction:report", args=[report.pk])).text
        assert victim.reference not in page and "Transmis" in page
        # The join is a decision of its own, with a reason, logged.
        client.force_login(owner)
        refused = client.post(reverse("eviction:report_join", args=[report.pk]), {"join": "oui", "reason": "oui"})
        assert refused.status_code == 302 and "HUISSIERS72" not in participant_codes(victim)
        client.post(
            reverse("eviction:report_join", args=[report.pk]),
            {"join": "oui", "reason": "Mandaté par le bailleur pour le protocole"},
        )
        report.refresh_from_db()
        assert report.join_decision == JoinDecision.JOINED and report.join_decided_by == owner
        assert "HUISSIERS72" in participant_codes(victim)
        entry = AccessLog.objects.get(action=AccessAction.JOIN)
        assert (entry.object_ref, entry.organisation, entry.user) == (victim.reference, bailiff, owner)
        assert "protocole" in entry.reason

    def test_the_author_cannot_decide_on_its_own_transmission(self, client, victim, bailiff, attacker):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report())
        (transmission,) = report.transmissions.all()
        client.force_login(attacker)
        url = reverse("eviction:transmission_decide", args=[report.pk, transmission.pk])
        assert client.post(url, {"decision": "rattacher"}).status_code == 404
        with pytest.raises(PermissionDenied):
            intake.decline_transmission(transmission, attacker)
        report.refresh_from_db()
        assert report.file is None

    def test_a_declined_report_returns_to_its_author_who_may_open_a_file(
        self, victim, bailiff, attacker, owner, le_mans
    ):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report(commune=le_mans, street="1 r"))
        (transmission,) = report.transmissions.all()
        assert intake.report_status(report, attacker) == "transmis"
        intake.decline_transmission(transmission, owner, note="Homonyme")
        assert list(Report.objects.awaiting_match(attacker)) == [report]
        assert intake.report_status(report, attacker) == "a_rattacher"
        opened = intake.open_file_from_report(report, attacker, today=TODAY, sector="parc_prive")
        assert opened != victim and "HUISSIERS72" not in participant_codes(victim)

    def test_joining_needs_a_reason(self, victim, bailiff, attacker, owner):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report())
        intake.attach_report(report, victim, owner, today=TODAY)
        with pytest.raises(ValidationError):
            intake.decide_join(report, owner, join=True, reason="ok")
        assert "HUISSIERS72" not in participant_codes(victim)


# 4. Break glass never lasts -------------------------------------------------------------------


class TestBreakGlass:
    @pytest.fixture
    def manager(self, bailiff):
        return member_of(bailiff, role=Role.MANAGER, email="")

    def test_nothing_done_under_break_glass_creates_a_lasting_participation(self, victim, bailiff, manager, attacker):
        access.break_glass(victim, bailiff, manager, "Le juge demande le dossier pour demain", motive="demande_juge")
        report = intake.record_report(manager, bailiff, today=TODAY, **named_report())
        with pytest.raises(PermissionDenied):
            intake.attach_report(report, victim, manager, organisation=bailiff, today=TODAY)
        with pytest.raises(PermissionDenied):
            access.share_file(victim, OrganisationFactory(code="AMIS"), manager, bailiff)
        lasting = victim.participants.filter(organisation=bailiff, expires_at__isnull=True)
        assert not lasting.exists()
        assert "AMIS" not in participant_codes(victim)

    def test_any_fifteen_characters_no_longer_open_a_file(self, client, victim, bailiff, manager):
        client.force_login(manager)
        response = client.post(
            reverse("eviction:break_glass"),
            {"reference": victim.reference, "organisation": bailiff.pk, "reason": "x" * 15},
        )
        assert response.status_code == 422 and "Choisissez le motif" in response.text
        assert "HUISSIERS72" not in participant_codes(victim)
        with pytest.raises(ValidationError):
            access.break_glass(victim, bailiff, manager, "x" * 15)

    def test_the_participants_are_told_and_see_the_motive(
        self, client, victim, bailiff, manager, owner, django_capture_on_commit_callbacks, mailoutbox
    ):
        owner.email = "olga@caf72.example"
        owner.save()
        client.force_login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("eviction:break_glass"), {
                "reference": victim.reference, "organisation": bailiff.pk, "motive": "danger",
                "reason": "Menaces de violence signalées par le voisinage ce matin",
            })  # fmt: skip
        (message,) = mailoutbox
        assert message.to == ["olga@caf72.example"] and victim.reference in message.subject
        assert "Danger pour une personne du ménage" in message.body and "DUPONT" not in message.body
        owner_client = Client()
        owner_client.force_login(owner)
        page = owner_client.get(reverse("eviction:file", args=[victim.reference])).text.replace("&#x27;", "'")
        assert "Accès exceptionnel en cours" in page and "Menaces de violence signalées" in page


# 4. What was read or tried leaves a trace ------------------------------------------------------


class TestTraces:
    def test_a_refused_reference_is_logged(self, client, victim, attacker):
        client.force_login(attacker)
        for reference in (victim.reference, "PX-ZZZZ-ZZZZ"):
            assert client.get(reverse("eviction:file", args=[reference])).status_code == 404
        entries = AccessLog.objects.filter(action=AccessAction.REFUSED, user=attacker)
        assert sorted(entries.values_list("object_ref", flat=True)) == sorted([victim.reference, "PX-ZZZZ-ZZZZ"])
        assert {e.reason for e in entries} == {"Réponse 404"}

    def test_a_refused_id_through_the_api_is_logged(self, victim, bailiff, owner):
        report = intake.record_report(owner, victim.opened_by, today=TODAY, **named_report(birth_date=None))
        api = client_for(make_key(bailiff, scopes=[Scope.REPORTS_READ]).token)
        assert api.get(f"/api/reports/{report.pk}/").status_code == 404
        entry = AccessLog.objects.get(action=AccessAction.REFUSED)
        assert (entry.object_id, entry.view) == (str(report.pk), "api:report")

    def test_reads_in_the_django_admin_are_logged(self, client, victim, caf):
        from django.contrib.auth.models import Permission

        staff = member_of(caf, role=Role.ADMIN, is_staff=True)
        staff.user_permissions.set(Permission.objects.filter(content_type__app_label="eviction"))
        client.force_login(staff)
        for name, obj in (("household", victim.household), ("preventionfile", victim)):
            assert client.get(reverse(f"admin:eviction_{name}_change", args=[obj.pk])).status_code == 200
        assert client.get(reverse("admin:eviction_preventionfile_changelist")).status_code == 200
        logged = AccessLog.objects.filter(action=AccessAction.ADMIN, user=staff)
        assert set(logged.values_list("object_type", "object_id")) == {
            ("eviction.household", str(victim.household.pk)),
            ("eviction.preventionfile", str(victim.pk)),
        }
        assert logged.filter(object_type="eviction.preventionfile").count() == 2  # the form, then the list


def test_the_queue_of_transmitted_reports_has_a_fixed_query_count(
    client, victim, bailiff, attacker, owner, django_assert_num_queries
):
    for day in range(1, 6):
        intake.record_report(attacker, bailiff, today=TODAY, **named_report(reported_on=D(2011, 3, day)))
    client.force_login(owner)
    # Session and user (2, and 3 to save the session), roles, count, transmissions with
    # their reports and files, and the access-log entries (one insert).
    with django_assert_num_queries(9):
        page = client.get(reverse("eviction:transmitted")).text
    assert page.count(victim.reference) == 5


class TestAdminParticipations:
    """An organisation's administrator in the Django admin: no participation row typed by
    hand (a break-glass access made lasting, a partner let in), no report's file shown to
    its author."""

    @pytest.fixture
    def staff_of(self):
        from django.contrib.auth.models import Permission

        def make(organisation, role=Role.ADMIN):
            user = member_of(organisation, role=role, is_staff=True)
            user.user_permissions.set(Permission.objects.filter(content_type__app_label="eviction"))
            return user

        return make

    def test_a_break_glass_access_cannot_be_made_lasting_in_the_admin(self, client, victim, bailiff, staff_of):
        staff = staff_of(bailiff)
        access.break_glass(victim, bailiff, staff, "Le juge demande le dossier pour demain", motive="demande_juge")
        client.force_login(staff)
        page = client.get(reverse("admin:eviction_preventionfile_change", args=[victim.pk]))
        assert page.status_code == 200
        assert 'name="participants-0-expires_at"' not in page.text
        assert 'name="participants-__prefix__-organisation"' not in page.text

    def test_the_owner_admin_types_no_participation_either(self, client, victim, caf, staff_of):
        client.force_login(staff_of(caf))
        page = client.get(reverse("admin:eviction_preventionfile_change", args=[victim.pk])).text
        assert 'name="participants-0-organisation"' not in page
        assert 'name="participants-__prefix__-organisation"' not in page

    def test_the_author_of_a_transmitted_report_does_not_see_its_file_in_the_admin(
        self, client, victim, bailiff, attacker, owner, staff_of
    ):
        report = intake.record_report(attacker, bailiff, today=TODAY, **named_report())
        intake.attach_report(report, victim, owner, today=TODAY)
        client.force_login(staff_of(bailiff))
        listing = client.get(reverse("admin:eviction_report_changelist")).text
        form = client.get(reverse("admin:eviction_report_change", args=[report.pk])).text
        searched = client.get(reverse("admin:eviction_report_changelist"), {"q": victim.reference}).text
        assert victim.reference not in listing and victim.reference not in form
        assert "DUPONT" not in searched.upper().split("<TBODY>")[-1]
