"""Factories: protocols, emergency procedures, steps, drills (registered for the walkers)."""

import datetime

import factory

from accounts.tests.factories import SchoolFactory
from safety.models import Drill, EmergencyKind, EmergencyProcedure, EmergencyStep, ProtocolSignOff, SafetyProtocol
from tests.registry import register_scoped_factory

__all__ = [
    "DrillFactory",
    "EmergencyProcedureFactory",
    "EmergencyStepFactory",
    "ProtocolSignOffFactory",
    "SafetyProtocolFactory",
]


class SafetyProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyProtocol

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Protocol {n}")
    activity_category = "gymnastics"
    requirements = "Mats under every apparatus."
    pre_activity_checks = factory.LazyFunction(lambda: ["Mats in place", "Apparatus pins locked"])
    supervision_ratio = 20
    review_interval_days = 365


class ProtocolSignOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtocolSignOff

    protocol = factory.SubFactory(SafetyProtocolFactory)
    signed_on = factory.LazyFunction(lambda: datetime.date.today())
    note = "Reviewed."


class EmergencyProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyProcedure

    school = factory.SubFactory(SchoolFactory)
    kind = EmergencyKind.FIRE
    title = factory.Sequence(lambda n: f"Fire evacuation {n}")
    location = "Gym"
    contacts = factory.LazyFunction(lambda: [{"name": "Front office", "role": "Office", "phone": "555-0100"}])
    aed_locations = "Gym lobby"
    first_aid_locations = "PE office"
    drill_interval_days = 90


class EmergencyStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyStep

    procedure = factory.SubFactory(EmergencyProcedureFactory)
    order = factory.Sequence(lambda n: n + 1)
    instruction = "Stop the activity."
    role = "Teacher in charge"


class DrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drill

    procedure = factory.SubFactory(EmergencyProcedureFactory)
    held_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    duration_minutes = 8
    participant_count = 25


register_scoped_factory(SafetyProtocol, lambda school: SafetyProtocolFactory(school=school))
register_scoped_factory(EmergencyProcedure, lambda school: EmergencyProcedureFactory(school=school))
register_scoped_factory(Drill, lambda school: DrillFactory(procedure__school=school))
register_scoped_factory(ProtocolSignOff, lambda school: ProtocolSignOffFactory(protocol__school=school))
