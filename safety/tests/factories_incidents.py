"""Factories: incidents (registered with tests.registry for the walkers)."""

import datetime

import factory
from django.utils import timezone

from physed.tests.factories_roster import StudentFactory
from safety.models import (
    BodyArea,
    GuardianNotice,
    Incident,
    IncidentAction,
    IncidentAmendment,
    IncidentKind,
    IncidentSeverity,
    IncidentStudent,
    InjuryType,
)
from tests.registry import register_scoped_factory

__all__ = [
    "GuardianNoticeFactory",
    "IncidentActionFactory",
    "IncidentAmendmentFactory",
    "IncidentFactory",
    "IncidentStudentFactory",
]


class IncidentFactory(factory.django.DjangoModelFactory):
    """A filed report written straight to the table (tests of the service use the service)."""

    class Meta:
        model = Incident

    school = factory.SubFactory("accounts.tests.factories.SchoolFactory")
    reference = factory.Sequence(lambda n: f"INC-2026-{n + 1:04d}")
    kind = IncidentKind.INJURY
    severity = IncidentSeverity.MINOR
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    location = "Main gym"
    description = "Fell during a relay race and grazed a knee."


class IncidentStudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentStudent

    incident = factory.SubFactory(IncidentFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..incident.school"))
    injured = True
    body_area = BodyArea.KNEE
    injury_type = InjuryType.CUT


class IncidentActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentAction

    incident = factory.SubFactory(IncidentFactory)
    description = "Check the floor tape at the relay line."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class IncidentAmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentAmendment

    incident = factory.SubFactory(IncidentFactory)
    reason = "Location corrected"
    changes = factory.LazyFunction(lambda: {"location": ["Gym", "Main gym"]})


class GuardianNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianNotice

    incident = factory.SubFactory(IncidentFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..incident.school"))
    subject = "Incident at school"
    body = "Your child grazed a knee in PE; first aid was given."


register_scoped_factory(Incident, lambda school: IncidentFactory(school=school))
register_scoped_factory(IncidentAction, lambda school: IncidentActionFactory(incident__school=school))
register_scoped_factory(GuardianNotice, lambda school: GuardianNoticeFactory(incident__school=school))
