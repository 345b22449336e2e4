"""Factories: library (registered with tests.registry for the walkers)."""

import factory

from physed.models import (
    Activity,
    ActivityCategory,
    EquipmentType,
    Exercise,
    ExerciseCategory,
    GradeBand,
    GradeSpanIndicator,
    MuscleGroup,
    PEStandard,
)
from tests.registry import register_scoped_factory

__all__ = [
    "ActivityFactory",
    "EquipmentTypeFactory",
    "ExerciseFactory",
    "GradeSpanIndicatorFactory",
    "MuscleGroupFactory",
    "PEStandardFactory",
]


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


class PEStandardFactory(factory.django.DjangoModelFactory):
    """Numbers from 100 up, so they never meet the four shipped standards."""

    class Meta:
        model = PEStandard
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 100 + n)
    short_name = factory.Sequence(lambda n: f"Standard {n}")
    summary = "A test standard."
    source = "https://example.org/standards"


class GradeSpanIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeSpanIndicator

    standard = factory.SubFactory(PEStandardFactory)
    grade_band = GradeBand.G6_8
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.standard.number}.8.{n + 1}")
    content_category = "Games"
    description = "A test indicator."
    source = "https://example.org/standards"


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

    @factory.post_generation
    def equipment(self, create, extracted, **kwargs):
        if create and extracted:
            self.equipment.set(extracted)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if create and extracted:
            self.standards.set(extracted)


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

    @factory.post_generation
    def equipment(self, create, extracted, **kwargs):
        if create and extracted:
            self.equipment.set(extracted)

    @factory.post_generation
    def primary_muscles(self, create, extracted, **kwargs):
        if create and extracted:
            self.primary_muscles.set(extracted)

    @factory.post_generation
    def secondary_muscles(self, create, extracted, **kwargs):
        if create and extracted:
            self.secondary_muscles.set(extracted)


register_scoped_factory(Activity, lambda school: ActivityFactory(school=school))
register_scoped_factory(Exercise, lambda school: ExerciseFactory(school=school))
# reference data (no school): the walkers' query-count check makes rows of every listed model
register_scoped_factory(EquipmentType, lambda school: EquipmentTypeFactory())
register_scoped_factory(MuscleGroup, lambda school: MuscleGroupFactory())
register_scoped_factory(PEStandard, lambda school: PEStandardFactory())
register_scoped_factory(GradeSpanIndicator, lambda school: GradeSpanIndicatorFactory())
