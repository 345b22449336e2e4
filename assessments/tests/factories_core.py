"""Factories: fitness tests, standards, events, results, rubrics, skill assessments, feedback,
reports (registered for the walkers). Area helpers add richer builders in their own modules."""

import datetime

import factory

from assessments.models import (
    CriterionScore,
    Feedback,
    FeedbackKind,
    FitnessResult,
    FitnessTest,
    PerformanceLevel,
    ProgressReport,
    ReportBatch,
    Rubric,
    RubricCriterion,
    SkillAssessment,
    StandardBand,
    StandardSet,
    TestComponent,
    TestEvent,
)
from physed.tests.factories import PEClassFactory, StudentFactory
from tests.registry import register_scoped_factory

__all__ = [
    "CriterionScoreFactory",
    "FeedbackFactory",
    "FitnessResultFactory",
    "FitnessTestFactory",
    "PerformanceLevelFactory",
    "ProgressReportFactory",
    "ReportBatchFactory",
    "RubricCriterionFactory",
    "RubricFactory",
    "SkillAssessmentFactory",
    "StandardBandFactory",
    "StandardSetFactory",
    "TestEventFactory",
]


class FitnessTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FitnessTest
        django_get_or_create = ("school", "code")

    school = None
    code = "pacer_20m"
    name = "PACER (20 m)"
    component = TestComponent.AEROBIC
    unit = "laps"
    higher_is_better = True
    plausible_min = 0
    plausible_max = 250
    standard_measure = "aerobic_capacity_vo2max"
    scoring = "pacer_20m"


class StandardSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardSet

    school = None
    code = factory.Sequence(lambda n: f"set-{n}")
    name = "Test standards"
    version = "1"
    source = "Test fixture"
    effective_from = datetime.date(2020, 1, 1)


class StandardBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardBand

    standard_set = factory.SubFactory(StandardSetFactory)
    measure = "curl_up"
    sex = "F"
    age_from = 12
    age_to = 12
    zone = "HFZ"
    lower = 18
    unit = "count"


class TestEventFactory(factory.django.DjangoModelFactory):
    __test__ = False  # not a pytest test class

    class Meta:
        model = TestEvent
        skip_postgeneration_save = True

    pe_class = factory.SubFactory(PEClassFactory)
    name = factory.Sequence(lambda n: f"Fitness testing {n}")
    window = "Fall"
    date = datetime.date(2026, 10, 5)

    @factory.post_generation
    def tests(self, create, extracted, **kwargs):
        if create:
            self.tests.set(extracted if extracted is not None else [FitnessTestFactory()])


class FitnessResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FitnessResult

    event = factory.SubFactory(TestEventFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..event.pe_class.school"))
    test = factory.SubFactory(FitnessTestFactory)
    value = 30


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    school = factory.SubFactory("accounts.tests.factories.SchoolFactory")
    title = factory.Sequence(lambda n: f"Rubric {n}")

    @factory.post_generation
    def with_levels(self, create, extracted, **kwargs):
        """Two criteria (weights 2 and 1) × three levels (1, 2, 3 points) unless told otherwise."""
        if not create or extracted is False:
            return
        for position, (name, weight) in enumerate([("Technique", 2), ("Effort", 1)]):
            RubricCriterionFactory(rubric=self, name=name, weight=weight, position=position)
        for position, (name, points) in enumerate([("Beginning", 1), ("Developing", 2), ("Proficient", 3)]):
            PerformanceLevelFactory(rubric=self, name=name, points=points, position=position)


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    rubric = factory.SubFactory(RubricFactory, with_levels=False)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class PerformanceLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceLevel

    rubric = factory.SubFactory(RubricFactory, with_levels=False)
    name = factory.Sequence(lambda n: f"Level {n}")
    points = 1


class SkillAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillAssessment

    rubric = factory.SubFactory(RubricFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..rubric.school"))
    date = datetime.date(2026, 10, 6)


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionScore

    assessment = factory.SubFactory(SkillAssessmentFactory)
    criterion = factory.LazyAttribute(lambda score: score.assessment.rubric.criteria.first())
    level = factory.LazyAttribute(lambda score: score.assessment.rubric.levels.first())
    points = factory.LazyAttribute(lambda score: score.level.points)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    student = factory.SubFactory(StudentFactory)
    kind = FeedbackKind.TEACHER_COMMENT
    body = "Great effort on the PACER today."


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    student = factory.SubFactory(StudentFactory)
    school_year = 2026
    term = "s1"
    period_start = datetime.date(2026, 8, 20)
    period_end = datetime.date(2027, 1, 15)


class ReportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportBatch

    pe_class = factory.SubFactory(PEClassFactory)
    school_year = 2026
    term = "s1"
    period_start = datetime.date(2026, 8, 20)
    period_end = datetime.date(2027, 1, 15)


register_scoped_factory(FitnessTest, lambda school: FitnessTestFactory(school=school, code="school_test"))
register_scoped_factory(StandardSet, lambda school: StandardSetFactory(school=school))
register_scoped_factory(StandardBand, lambda school: StandardBandFactory(standard_set__school=school))
register_scoped_factory(TestEvent, lambda school: TestEventFactory(pe_class__school=school))
register_scoped_factory(FitnessResult, lambda school: FitnessResultFactory(event__pe_class__school=school))
register_scoped_factory(Rubric, lambda school: RubricFactory(school=school))
register_scoped_factory(SkillAssessment, lambda school: SkillAssessmentFactory(rubric__school=school))
register_scoped_factory(Feedback, lambda school: FeedbackFactory(student__school=school))
register_scoped_factory(ProgressReport, lambda school: ProgressReportFactory(student__school=school))
register_scoped_factory(ReportBatch, lambda school: ReportBatchFactory(pe_class__school=school))
