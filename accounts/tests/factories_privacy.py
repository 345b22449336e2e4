"""Factories of the privacy area (scoped ones for the API walkers)."""

import factory

from accounts.models import ErasureRequest, PersonExternalId, RetentionPolicy, Role
from accounts.tests.factories import SchoolFactory, make_member
from tests.registry import register_scoped_factory


class ErasureRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ErasureRequest

    school = factory.SubFactory(SchoolFactory)
    subject = factory.LazyAttribute(lambda o: make_member(o.school, Role.STUDENT))
    requested_by = factory.SelfAttribute("subject")
    reason = "Leaving the school"


class RetentionPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionPolicy

    school = factory.SubFactory(SchoolFactory)
    category = factory.Sequence(lambda n: f"category-{n}")
    keep_days = 30


class PersonExternalIdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonExternalId

    school = factory.SubFactory(SchoolFactory)
    external_id = factory.Sequence(lambda n: f"EXT{n:05d}")
    user = factory.LazyAttribute(lambda o: make_member(o.school, Role.STUDENT))


register_scoped_factory(ErasureRequest, lambda school: ErasureRequestFactory(school=school))
register_scoped_factory(RetentionPolicy, lambda school: RetentionPolicyFactory(school=school))
register_scoped_factory(PersonExternalId, lambda school: PersonExternalIdFactory(school=school))
