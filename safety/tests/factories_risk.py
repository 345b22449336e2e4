"""Factories: risk assessments, hazards and risk bands (registered for the walkers)."""

import datetime

import factory

from accounts.tests.factories import SchoolFactory
from safety.models import Hazard, RiskAssessment, RiskAssessmentStatus, RiskBand, RiskSubject
from tests.registry import register_scoped_factory

__all__ = ["HazardFactory", "RiskAssessmentFactory", "RiskBandFactory"]


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    """A draft venue assessment reviewed in a year; no owner unless given."""

    class Meta:
        model = RiskAssessment

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Sports hall assessment {n}")
    subject = RiskSubject.VENUE
    venue = "Sports hall"
    review_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))
    status = RiskAssessmentStatus.DRAFT


class HazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hazard

    assessment = factory.SubFactory(RiskAssessmentFactory)
    order = factory.Sequence(lambda n: n + 1)
    description = "Wet floor near the entrance"
    who_at_risk = "Students and staff"
    likelihood = 3
    severity = 3
    controls = "Mats at the door; mop before the lesson."
    residual_likelihood = 2
    residual_severity = 2


class RiskBandFactory(factory.django.DjangoModelFactory):
    """One band of a school's own set (the walkers need one row; a real set covers 1..25)."""

    class Meta:
        model = RiskBand

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"band-{n}")
    name = factory.Sequence(lambda n: f"Band {n}")
    min_score = 1
    max_score = 25
    required_action = "Follow the usual procedures."


register_scoped_factory(RiskAssessment, lambda school: RiskAssessmentFactory(school=school))
register_scoped_factory(Hazard, lambda school: HazardFactory(assessment__school=school))
register_scoped_factory(RiskBand, lambda school: RiskBandFactory(school=school))
