import factory
from django.conf import settings
from django.utils import timezone

from accounts.models import Membership, Role, School, User
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


register_scoped_factory(School, lambda school: school)
register_scoped_factory(Membership, lambda school: MembershipFactory(school=school, role=Role.ASSISTANT))
