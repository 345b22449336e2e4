"""Factories: medical (registered with tests.registry for the walkers)."""

import datetime

import factory

from physed.tests.factories_roster import StudentFactory
from safety.models import (
    ActivityRestriction,
    ConditionKind,
    ConditionSeverity,
    EmergencyContact,
    MedicalCondition,
    MedicalProfile,
    Medication,
    MedicationLocation,
    MedicationSchedule,
)
from tests.registry import register_scoped_factory

__all__ = [
    "ActivityRestrictionFactory",
    "EmergencyContactFactory",
    "MedicalConditionFactory",
    "MedicalProfileFactory",
    "MedicationFactory",
]


class MedicalProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalProfile

    student = factory.SubFactory(StudentFactory)
    pe_instructions = "Inhaler before PE"
    notes = "Confidential: reviewed with the school nurse."


class MedicalConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalCondition

    profile = factory.SubFactory(MedicalProfileFactory)
    kind = ConditionKind.ASTHMA
    name = "Exercise-induced asthma"
    severity = ConditionSeverity.MODERATE
    pe_instructions = "Longer warm-up"
    notes = "Confidential condition note"


class MedicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medication

    profile = factory.SubFactory(MedicalProfileFactory)
    name = "Salbutamol inhaler"
    dose = "2 puffs"
    schedule = MedicationSchedule.BEFORE_PE
    location = MedicationLocation.STUDENT


class ActivityRestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRestriction

    profile = factory.SubFactory(MedicalProfileFactory)
    kind = "no_contact"
    reason = "Concussion"
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    end_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=21))


class EmergencyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyContact

    profile = factory.SubFactory(MedicalProfileFactory)
    name = factory.Faker("name")
    relationship = "Parent"
    phone = "+1 555 0100"
    priority = 1


register_scoped_factory(MedicalProfile, lambda school: MedicalProfileFactory(student__school=school))
register_scoped_factory(MedicalCondition, lambda school: MedicalConditionFactory(profile__student__school=school))
register_scoped_factory(Medication, lambda school: MedicationFactory(profile__student__school=school))
register_scoped_factory(ActivityRestriction, lambda school: ActivityRestrictionFactory(profile__student__school=school))
register_scoped_factory(EmergencyContact, lambda school: EmergencyContactFactory(profile__student__school=school))
