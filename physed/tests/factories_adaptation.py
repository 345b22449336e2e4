"""Factories: adaptation (registered with tests.registry for the walkers)."""

import factory

from physed.models import (
    AdaptationProfile,
    AdaptationProposal,
    FeedbackAction,
    ModificationKind,
    ProposalDirection,
    RecommendationFeedback,
)
from physed.tests.factories_library import ActivityFactory
from physed.tests.factories_roster import PEClassFactory, StudentFactory
from physed.tests.factories_sessions import ClassSessionFactory
from tests.registry import register_scoped_factory

__all__ = ["AdaptationProfileFactory", "AdaptationProposalFactory", "RecommendationFeedbackFactory"]


class AdaptationProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdaptationProfile

    student = factory.SubFactory(StudentFactory)
    has_iep = False
    has_504 = False
    skill_level = 3


class AdaptationProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdaptationProposal

    session = factory.SubFactory(ClassSessionFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..session.pe_class.school"))
    kind = ModificationKind.INTENSITY
    direction = ProposalDirection.EASIER
    text = "Walk instead of run."
    score = 0.8
    factors = factory.LazyFunction(
        lambda: [
            {
                "factor": "rpe_high",
                "value": 0.8,
                "weight": 1.0,
                "points": 0.8,
                "reason": {"key": "rpe_high", "params": {"mean": "8.7", "n": 3, "threshold": "8"}},
            }
        ]
    )


class RecommendationFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationFeedback

    pe_class = factory.SubFactory(PEClassFactory)
    activity = factory.SubFactory(ActivityFactory, school=factory.SelfAttribute("..pe_class.school"))
    action = FeedbackAction.DISMISS


register_scoped_factory(AdaptationProfile, lambda school: AdaptationProfileFactory(student__school=school))
register_scoped_factory(AdaptationProposal, lambda school: AdaptationProposalFactory(session__pe_class__school=school))
register_scoped_factory(RecommendationFeedback, lambda school: RecommendationFeedbackFactory(pe_class__school=school))


# ---- helpers for the adaptation/recommendation tests -------------------------------------------

SHIPPED_METRICS = {
    # code: (name, unit, kind, higher is better, min, max, fitness component)
    "rpe": ("RPE", "CR-10", "scale", False, 0, 10, ""),
    "heart_rate_avg": ("Average heart rate", "bpm", "count", False, 30, 230, ""),
    "heart_rate_max": ("Peak heart rate", "bpm", "count", False, 30, 240, ""),
    "skill_score": ("Skill score", "", "scale", True, 1, 4, ""),
    "score": ("Score", "points", "count", True, 0, 1000, ""),
    "pacer_laps": ("PACER laps", "laps", "count", True, 0, 250, "aerobic"),
    "mile_time": ("Mile run", "s", "duration", False, 240, 1800, "aerobic"),
    "push_ups": ("Push-ups", "reps", "count", True, 0, 150, "muscular_endurance"),
    "sit_and_reach": ("Sit and reach", "cm", "decimal", True, 0, 60, "flexibility"),
}


def shipped_metric(code: str):
    """The shipped metric row (the data migration is skipped in ``--no-migrations`` test runs)."""
    from decimal import Decimal

    from physed.models import MetricType

    name, unit, kind, higher, low, high, component = SHIPPED_METRICS[code]
    metric, _created = MetricType.objects.get_or_create(
        school=None,
        code=code,
        defaults={
            "name": name,
            "unit": unit,
            "value_kind": kind,
            "higher_is_better": higher,
            "min_value": Decimal(low),
            "max_value": Decimal(high),
            "fitness_component": component,
        },
    )
    return metric


def record(session, student, code: str, value) -> None:
    from decimal import Decimal

    from physed.models import PerformanceResult

    PerformanceResult.objects.update_or_create(
        session=session, student=student, metric=shipped_metric(code), defaults={"value": Decimal(str(value))}
    )
