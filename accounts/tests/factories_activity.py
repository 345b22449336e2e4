"""Factories for activity tracking and analytics."""

import factory
from django.utils import timezone

from accounts.models import ActivityEvent, ActivityKind, SatisfactionResponse
from accounts.tests.factories import SchoolFactory, UserFactory
from tests.registry import register_scoped_factory


class ActivityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEvent

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = ActivityKind.FEATURE
    route_group = "people"
    method = "GET"
    status_code = 200
    duration_ms = 40


class SatisfactionResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatisfactionResponse

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    kind = "csat"
    score = 4


register_scoped_factory(ActivityEvent, lambda school: ActivityEventFactory(school=school))
register_scoped_factory(SatisfactionResponse, lambda school: SatisfactionResponseFactory(school=school))
