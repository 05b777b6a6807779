"""The middleware learns a user's roles and départements in one query and leaves them where
toit.organisations.perms looks first: they must stay exactly perms' own answers."""

from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.territory.factories import DepartmentFactory
from toit.organisations.enums import Role
from toit.organisations.perms import departments_of, roles_of
from toit.rowsecurity import scope
from toit.users.models import User


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_primed_roles_and_departements_are_those_of_perms(django_assert_num_queries):
    orne = OrganisationFactory(code="ADIL61", department=DepartmentFactory(code="61", name="Orne"))
    user = member_of(orne)
    MembershipFactory(user=user, organisation=OrganisationFactory(code="CD72", department=DepartmentFactory()))
    MembershipFactory(user=user, organisation=OrganisationFactory(code="BDF", department=None), role=Role.OBSERVATORY)
    MembershipFactory(user=user, organisation=OrganisationFactory(code="OLD", department=None), is_active=False)
    expected = (roles_of(fresh(user)), departments_of(fresh(user)))
    primed = fresh(user)
    with django_assert_num_queries(1):
        assert scope.departments_for(primed) == {"61", "72"}
        assert (roles_of(primed), departments_of(primed)) == expected
    assert departments_of(primed) == {"61", "72"}
    assert roles_of(primed) == {Role.AGENT, Role.OBSERVATORY}


def test_who_is_narrowed():
    assert scope.departments_for(None) == frozenset()
    assert scope.departments_for(fresh(UserFactory())) == frozenset()  # no membership: nothing
    assert scope.departments_for(fresh(UserFactory(is_superuser=True))) is None
    assert (
        scope.departments_for(fresh(member_of(OrganisationFactory(code="ANAH", department=None)))) is None
    )  # national
    sarthe = OrganisationFactory(code="ADIL72", department=DepartmentFactory())
    assert scope.departments_for(fresh(member_of(sarthe))) == {"72"}
