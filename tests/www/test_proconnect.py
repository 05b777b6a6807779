from tests.organisations.factories import UserFactory
from toit.www.auth.proconnect import ProConnectBackend


def test_matches_provisioned_users_by_email_only():
    user = UserFactory(email="Agent.Public@exemple.gouv.fr")
    UserFactory(email="inactif@exemple.gouv.fr", is_active=False)
    backend = ProConnectBackend.__new__(ProConnectBackend)  # no OIDC settings needed for these methods
    assert list(backend.filter_users_by_claims({"email": "agent.public@exemple.gouv.fr"})) == [user]
    assert not backend.filter_users_by_claims({"email": "inactif@exemple.gouv.fr"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
    assert backend.create_user({"email": "nouveau@exemple.gouv.fr"}) is None


def test_updates_names_from_claims():
    user = UserFactory(first_name="C", last_name="M")
    backend = ProConnectBackend.__new__(ProConnectBackend)
    backend.update_user(user, {"given_name": "Camille", "usual_name": "Martin"})
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
