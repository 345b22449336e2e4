import datetime

import factory
from django.conf import settings
from django.utils import timezone

from accounts.models import CustomRole, Membership, PermissionDecisionStat, Role, RoleAssignment, School, User
from tests.registry import register_scoped_factory


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    timezone = "UTC"
    country = "US"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


def make_member(school: School, role: str = Role.TEACHER, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, school=school, role=role)
    return user


class CustomRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomRole

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Custom role {n}")
    permissions = factory.LazyFunction(lambda: ["accounts.view_school"])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    membership = factory.SubFactory(MembershipFactory)
    custom_role = factory.SubFactory(CustomRoleFactory, school=factory.SelfAttribute("..membership.school"))


class PermissionDecisionStatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermissionDecisionStat

    day = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    school = factory.SubFactory(SchoolFactory)
    permission = "accounts.view_school"
    role = Role.TEACHER
    allowed = 3
    denied = 1


register_scoped_factory(School, lambda school: school)
register_scoped_factory(CustomRole, lambda school: CustomRoleFactory(school=school))
register_scoped_factory(RoleAssignment, lambda school: RoleAssignmentFactory(membership__school=school))
register_scoped_factory(PermissionDecisionStat, lambda school: PermissionDecisionStatFactory(school=school))
register_scoped_factory(Membership, lambda school: MembershipFactory(school=school, role=Role.ASSISTANT))
import accounts.tests.factories_activity  # noqa: E402
import accounts.tests.factories_audit  # noqa: E402
import accounts.tests.factories_preferences  # noqa: E402
import accounts.tests.factories_privacy  # noqa: E402
import accounts.tests.factories_profiles  # noqa: E402, F401
