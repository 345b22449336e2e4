"""Factories of the preferences area, registered for the API walkers."""

import factory

from accounts.models import Notification, Role, SchoolPreferenceDefaults, UserPreference
from accounts.tests.factories import SchoolFactory, UserFactory, make_member
from tests.registry import register_scoped_factory


class UserPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserPreference

    user = factory.SubFactory(UserFactory)


class SchoolPreferenceDefaultsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolPreferenceDefaults
        django_get_or_create = ("school",)

    school = factory.SubFactory(SchoolFactory)
    theme = "light"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "account.role_changed"
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Something changed."


register_scoped_factory(SchoolPreferenceDefaults, lambda school: SchoolPreferenceDefaultsFactory(school=school))
# notifications belong to a user: "one in this school" = one for a member of the school
register_scoped_factory(Notification, lambda school: NotificationFactory(user=make_member(school, Role.TEACHER)))
