"""Factories: library (registered with tests.registry for the walkers)."""

import factory

from physed.models import Activity, ActivityCategory, EquipmentType, Exercise, ExerciseCategory, MuscleGroup
from tests.registry import register_scoped_factory

__all__ = ["ActivityFactory", "EquipmentTypeFactory", "ExerciseFactory", "MuscleGroupFactory"]


class EquipmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentType
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"equipment-{n}")
    name = factory.Sequence(lambda n: f"Equipment {n}")


class MuscleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MuscleGroup
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"muscle-{n}")
    name = factory.Sequence(lambda n: f"Muscle {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    """A school's own activity by default; pass ``school=None`` for a shipped one."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    school = None
    slug = factory.Sequence(lambda n: f"activity-{n}")
    name = factory.Sequence(lambda n: f"Activity {n}")
    description = "A test activity."
    category = ActivityCategory.INVASION
    skills = factory.LazyFunction(lambda: ["passing"])
    fitness_components = factory.LazyFunction(lambda: ["aerobic"])
    grade_bands = factory.LazyFunction(lambda: ["6_8"])
    instructions = "Play it."


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    school = None
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    name = factory.Sequence(lambda n: f"Exercise {n}")
    category = ExerciseCategory.STRENGTH
    instructions = "Do it."
    default_sets = 2
    default_reps = 10


register_scoped_factory(Activity, lambda school: ActivityFactory(school=school))
register_scoped_factory(Exercise, lambda school: ExerciseFactory(school=school))
