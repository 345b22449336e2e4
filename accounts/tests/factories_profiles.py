"""Factories for the profiles area (and the scoped factories the API walkers use)."""

import factory

from accounts.models import Profile, Role, StaffRecord, User
from accounts.tests.factories import SchoolFactory, UserFactory, make_member
from tests.registry import register_scoped_factory


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    preferred_name = factory.Faker("first_name")
    pronouns = "they/them"
    title = "PE teacher"
    phone = "+1 555 0100"
    bio = "Coaches the running club."


class StaffRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRecord

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    staff_id = factory.Sequence(lambda n: f"S{n:05d}")


def make_user_in_school(school) -> User:
    """A user with a current (teacher) membership in ``school``, with a profile."""
    user = make_member(school, Role.TEACHER)
    ProfileFactory(user=user)
    return user


register_scoped_factory(User, make_user_in_school)
register_scoped_factory(StaffRecord, lambda school: StaffRecordFactory(school=school))
