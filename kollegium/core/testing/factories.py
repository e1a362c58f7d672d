"""factory-boy factories for the foundation's models. Apps add their own in their tests."""

import factory
from factory.django import DjangoModelFactory

from kollegium.accounts.models import User
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Role,
    Team,
    TeamMembership,
)

TEST_PASSWORD = "a-long-test-password-1"  # noqa: S105


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class OwnerFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.OWNER
    name = factory.Sequence(lambda n: f"Kommun {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.SCHOOL
    parent = factory.SubFactory(OwnerFactory)
    name = factory.Sequence(lambda n: f"Skola {n}")
    name_en = factory.Sequence(lambda n: f"School {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Arbetslag {n}")


class TeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Nätverk {n}")


class NetworkMembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    school = factory.SubFactory(SchoolFactory)


class FocusFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentFocus

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Fokus {n}")


def teacher_at(school: Organisation, role: str = Role.TEACHER, **user_fields) -> User:
    """A new person with a membership at the school."""
    user: User = UserFactory(**user_fields)  # type: ignore[assignment]
    MembershipFactory(user=user, school=school, role=role)
    return user
