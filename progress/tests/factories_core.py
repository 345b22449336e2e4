"""Factories: goals, milestones, progress entries, achievements (registered for the walkers)."""

import datetime

import factory

from physed.tests.factories import StudentFactory
from progress.models import Achievement, AchievementDefinition, EntrySource, Goal, Milestone, ProgressEntry
from tests.registry import register_scoped_factory

__all__ = [
    "AchievementDefinitionFactory",
    "AchievementFactory",
    "GoalFactory",
    "MilestoneFactory",
    "ProgressEntryFactory",
]


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    student = factory.SubFactory(StudentFactory)
    school = factory.LazyAttribute(lambda goal: goal.student.school if goal.student else goal.pe_class.school)
    title = factory.Sequence(lambda n: f"Goal {n}")
    metric_key = "fitness.pacer_20m"
    metric_label = "PACER (20 m)"
    unit = "laps"
    higher_is_better = True
    baseline = 20
    target = 35
    start_date = datetime.date(2026, 9, 1)
    deadline = datetime.date(2027, 5, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    target_value = 27
    due_date = datetime.date(2027, 1, 15)


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    metric_key = "fitness.pacer_20m"
    value = 25
    date = datetime.date(2026, 10, 1)
    source = EntrySource.MANUAL


class AchievementDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AchievementDefinition

    school = None
    code = factory.Sequence(lambda n: f"badge-{n}")
    name = factory.Sequence(lambda n: f"Badge {n}")
    description = "Ten sessions in a row."
    rule = factory.LazyFunction(lambda: {"type": "attendance_streak", "length": 10})


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    definition = factory.SubFactory(AchievementDefinitionFactory)
    student = factory.SubFactory(StudentFactory)
    awarded_on = datetime.date(2026, 10, 1)
    evidence = factory.LazyFunction(lambda: {"reasons": ["10 sessions in a row"]})


register_scoped_factory(Goal, lambda school: GoalFactory(student__school=school, school=school))
register_scoped_factory(Milestone, lambda school: MilestoneFactory(goal__student__school=school, goal__school=school))
register_scoped_factory(ProgressEntry, lambda school: ProgressEntryFactory(student__school=school))
register_scoped_factory(AchievementDefinition, lambda school: AchievementDefinitionFactory(school=school))
register_scoped_factory(Achievement, lambda school: AchievementFactory(student__school=school))
