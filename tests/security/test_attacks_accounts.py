"""Attacks of issue 10 on accounts: an organisation's administrator taking over another
person's account through the Django admin; whoever knows a password enrolling their own
authenticator; a forged X-Forwarded-For in the access log and around the login lockout;
the access log emptied on PostgreSQL."""

import datetime

import pytest
from axes.helpers import get_client_ip_address
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from toit.audit.log import client_ip, log_access
from toit.audit.models import AccessLog
from toit.organisations.enums import Role
from toit.organisations.models import Membership
from toit.users.models import User
from toit.www.auth.password import ENROLMENT_KEY

APPS = ["eviction", "audit", "organisations", "users", "api"]


@pytest.fixture
def own():
    return OrganisationFactory(code="ADIL72", name="ADIL de la Sarthe")


@pytest.fixture
def other():
    return OrganisationFactory(code="CCAS-ALLONNES", name="CCAS d'Allonnes")


@pytest.fixture
def staff(client, own):
    user = member_of(own, role=Role.ADMIN, is_staff=True, username="admin-adil")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))
    client.force_login(user)
    return user


# 3. Admin takeover --------------------------------------------------------------------------


class TestAdminTakeover:
    def test_a_membership_cannot_pull_in_another_organisations_agent_or_the_superuser(self, client, staff, own, other):
        victim = member_of(other, username="agent-ccas")
        root = UserFactory(username="root", is_superuser=True, is_staff=True)
        for target in (victim, root):
            response = client.post(
                reverse("admin:organisations_membership_add"),
                {"user": target.pk, "organisation": own.pk, "role": Role.ADMIN, "is_active": "on"},
            )
            assert response.status_code == 200 and "Sélectionnez un choix valide" in response.text
            assert not Membership.objects.filter(user=target, organisation=own).exists()

    def test_a_user_also_in_another_organisation_is_out_of_reach(self, client, staff, own, other):
        shared = member_of(own, username="double")
        MembershipFactory(user=shared, organisation=other)
        assert client.get(reverse("admin:users_user_change", args=[shared.pk])).status_code != 200
        client.post(reverse("admin:auth_user_password_change", args=[shared.pk]), {
            "password1": "un-mot-de-passe-choisi", "password2": "un-mot-de-passe-choisi",
        })  # fmt: skip
        shared.refresh_from_db()
        assert not shared.check_password("un-mot-de-passe-choisi")

    def test_no_password_is_typed_for_someone_else_even_of_ones_organisation(self, client, staff, own):
        colleague = member_of(own, username="collegue")
        url = reverse("admin:auth_user_password_change", args=[colleague.pk])
        assert client.get(url).status_code == 403
        client.post(url, {"password1": "un-mot-de-passe-choisi", "password2": "un-mot-de-passe-choisi"})
        colleague.refresh_from_db()
        assert not colleague.check_password("un-mot-de-passe-choisi")
        # Their own password: Django's page, which asks for the current one.
        assert client.get(reverse("admin:auth_user_password_change", args=[staff.pk])).status_code == 200

    def test_a_reset_link_is_sent_instead(self, client, staff, own, settings):
        colleague = member_of(own, username="collegue", email="collegue@example.org")
        client.post(
            reverse("admin:users_user_changelist"),
            {"action": "send_password_reset", "_selected_action": [colleague.pk]},
        )
        (message,) = mail.outbox
        assert message.to == ["collegue@example.org"] and "/mot-de-passe/" in message.body

    def test_a_created_user_is_inside_one_of_ones_organisations_without_a_password(self, client, staff, own, other):
        response = client.post(reverse("admin:users_user_add"), {
            "username": "nouvelle", "email": "nouvelle@example.org", "first_name": "Nina", "last_name": "Nouvelle",
            "organisation": own.pk, "role": Role.AGENT,
        })  # fmt: skip
        assert response.status_code == 302, response.text[:2000]
        created = User.objects.get(username="nouvelle")
        assert not created.has_usable_password()
        assert list(created.memberships.values_list("organisation__code", "role")) == [("ADIL72", Role.AGENT)]
        assert "/mot-de-passe/" in mail.outbox[0].body
        refused = client.post(reverse("admin:users_user_add"), {
            "username": "ailleurs", "email": "a@example.org", "organisation": other.pk, "role": Role.ADMIN,
        })  # fmt: skip
        assert refused.status_code == 200 and not User.objects.filter(username="ailleurs").exists()


# 4. Second factor ---------------------------------------------------------------------------


class TestSecondFactorEnrolment:
    @pytest.fixture(autouse=True)
    def _require_2fa(self, settings):
        settings.TOIT_REQUIRE_2FA = True

    def test_knowing_the_password_is_not_enough_to_enrol(self, client):
        agent = member_of(OrganisationFactory(), username="agent", password="le-mot-de-passe-fuite")
        assert client.login(username="agent", password="le-mot-de-passe-fuite")
        response = client.get(reverse("two_factor_setup"))
        assert response.status_code == 403 and "Lien d'activation nécessaire" in response.text
        assert not TOTPDevice.objects.filter(user=agent).exists()

    def test_the_activation_link_opens_enrolment_in_that_browser(self, client):
        agent = member_of(OrganisationFactory(), username="agent", email="agent@example.org")
        client.post(reverse("password_reset"), {"email": "agent@example.org"})
        (message,) = mail.outbox
        assert "choisir le mot de passe" in message.body
        link = next(line for line in message.body.splitlines() if "/mot-de-passe/" in line)
        path = link.split("testserver", 1)[1]
        form_page = client.get(path, follow=True)
        assert "Choisir un mot de passe" in form_page.text
        client.post(form_page.redirect_chain[-1][0], {
            "new_password1": "un-tout-nouveau-mot-de-passe", "new_password2": "un-tout-nouveau-mot-de-passe",
        })  # fmt: skip
        assert client.login(username="agent", password="un-tout-nouveau-mot-de-passe")
        page = client.get(reverse("two_factor_setup"))
        assert page.status_code == 200 and "Activer la double authentification" in page.text
        assert TOTPDevice.objects.filter(user=agent, confirmed=False).exists()

    def test_the_session_key_changes_once_the_second_factor_is_verified(self, client):
        from django_otp.oath import totp

        agent = member_of(OrganisationFactory(), role=Role.MANAGER)
        device = TOTPDevice.objects.create(user=agent, name="téléphone", confirmed=True)
        client.force_login(agent)
        before = client.session.session_key
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        client.post(reverse("two_factor_verify"), {"token": code})
        assert client.session.session_key != before
        assert client.get(reverse("organisations:list")).status_code == 200


def test_the_reset_pages_are_in_french(client):
    page = client.get(reverse("password_reset")).text
    assert "Mot de passe oublié" in page and "Recevoir le lien" in page
    assert "Mot de passe oublié ?" in client.get(reverse("login")).text
    assert "Lien expiré ou déjà utilisé" in client.get("/mot-de-passe/MQ/faux-jeton/").text


# 4. Client address ---------------------------------------------------------------------------


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/prevention/", **meta)
    request.user = UserFactory()
    return request


class TestClientAddress:
    def test_a_forged_header_from_an_untrusted_client_is_ignored(self, settings):
        settings.TOIT_TRUSTED_PROXIES = ["10.0.0.1"]
        request = request_from("198.51.100.7", "203.0.113.9")
        log_access(request, OrganisationFactory())
        assert AccessLog.objects.get().ip_address == "198.51.100.7"

    def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop(self, settings):
        settings.TOIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
        # The client wrote « 1.2.3.4 » itself; the proxy appended the address it saw.
        assert client_ip(request_from("10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"

    @pytest.mark.parametrize("forwarded", ["pas-une-adresse", "203.0.113.9, <script>", "", " , ", "999.1.1.1"])
    def test_a_malformed_header_gives_a_valid_address_and_no_error(self, settings, forwarded):
        settings.TOIT_TRUSTED_PROXIES = ["10.0.0.1"]
        request = request_from("10.0.0.1", forwarded)
        log_access(request, OrganisationFactory())  # a 500 on PostgreSQL before issue 10
        assert AccessLog.objects.get().ip_address in ("10.0.0.1", "203.0.113.9")

    def test_the_login_lockout_keys_on_the_same_address(self, settings):
        settings.TOIT_TRUSTED_PROXIES = []
        request = request_from("198.51.100.7", "203.0.113.9")
        assert get_client_ip_address(request) == client_ip(request) == "198.51.100.7"

    def test_rotating_the_forged_header_does_not_escape_the_lockout(self, settings):
        """A guard rather than an attack of the old code (axes already read REMOTE_ADDR):
        the lockout and the log now agree on one address, and it stays unforgeable."""
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        member_of(OrganisationFactory(), username="camille", password="le-bon-mot-de-passe")
        client = Client(REMOTE_ADDR="198.51.100.7")
        for n in range(3):
            client.post(
                reverse("login"), {"username": "camille", "password": "faux"}, HTTP_X_FORWARDED_FOR=f"93.184.216.{n}"
            )
        locked = client.post(
            reverse("login"),
            {"username": "camille", "password": "le-bon-mot-de-passe"},
            HTTP_X_FORWARDED_FOR="93.184.216.99",
        )
        assert locked.status_code == 429


# 4. The access log on PostgreSQL ---------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="déclencheurs propres à PostgreSQL")
class TestAccessLogTriggers:
    def entry(self, days_ago=0):
        log_access(request_from("127.0.0.1"), OrganisationFactory())
        entry = AccessLog.objects.latest("pk")
        if days_ago:
            # Backdating needs the triggers off for one statement (a superuser's session).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(
                    "UPDATE audit_accesslog SET created_at = %s WHERE id = %s",
                    [timezone.now() - datetime.timedelta(days=days_ago), entry.pk],
                )
                cursor.execute("SET LOCAL session_replication_role = origin")
        return entry

    def test_delete_is_refused(self):
        entry = self.entry()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [entry.pk])
        assert AccessLog.objects.filter(pk=entry.pk).exists()

    def test_truncate_is_refused(self):
        self.entry()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL toit.allow_truncate = 'off'")
            cursor.execute("TRUNCATE audit_accesslog")
        assert AccessLog.objects.exists()

    def test_the_purge_removes_only_what_is_past_retention(self):
        old, recent = self.entry(days_ago=400), self.entry()
        assert AccessLog.objects.purge_before(timezone.now() - datetime.timedelta(days=365)) == 1
        assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
        assert not AccessLog.objects.filter(pk=old.pk).exists()
        with pytest.raises(DatabaseError), transaction.atomic():
            AccessLog.objects.purge_before(timezone.now())


def test_a_proconnect_login_opens_enrolment_for_that_session():
    """ProConnect proves the person: it stands for the activation link (issue 10)."""
    from django.contrib.sessions.backends.db import SessionStore

    from toit.www.auth.proconnect import ProConnectBackend

    user = UserFactory(email="agent.public@exemple.gouv.fr")
    backend = ProConnectBackend.__new__(ProConnectBackend)  # no OIDC settings needed here
    backend.request = RequestFactory().get("/oidc/callback/")
    backend.request.session = SessionStore()
    backend.update_user(user, {"email": user.email})
    assert backend.request.session[ENROLMENT_KEY] == user.pk
