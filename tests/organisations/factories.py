import factory

from toit.organisations.enums import OrganisationKind, Role
from toit.organisations.models import Membership, Organisation
from toit.users.models import User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.ASSOCIATION
    # Most tests live in one département, the Sarthe's; a national body says department=None.
    department = factory.SubFactory("tests.territory.factories.DepartmentFactory")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password("mot-de-passe-de-test")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.AGENT


def member_of(organisation, role=Role.AGENT, **user_kwargs):
    """A user with one active membership."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_kwargs)).user
