"""Factories: sessions (registered with tests.registry for the walkers)."""

import datetime
from decimal import Decimal

import factory

from physed.models import (
    AttendanceRecord,
    AttendanceStatus,
    ClassSession,
    MetricType,
    PerformanceResult,
    SessionBlock,
    ValueKind,
)
from physed.tests.factories_library import ActivityFactory
from physed.tests.factories_roster import PEClassFactory, StudentFactory
from tests.registry import register_scoped_factory

__all__ = [
    "AttendanceRecordFactory",
    "ClassSessionFactory",
    "MetricTypeFactory",
    "PerformanceResultFactory",
    "SessionBlockFactory",
]


class ClassSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSession

    pe_class = factory.SubFactory(PEClassFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 9, 1) + datetime.timedelta(days=n % 200))
    period = "1"
    title = "Invasion games: passing"


class SessionBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionBlock

    session = factory.SubFactory(ClassSessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    activity = factory.SubFactory(ActivityFactory, school=factory.SelfAttribute("..session.pe_class.school"))
    planned_minutes = 15


class AttendanceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttendanceRecord

    session = factory.SubFactory(ClassSessionFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..session.pe_class.school"))
    status = AttendanceStatus.PRESENT


class MetricTypeFactory(factory.django.DjangoModelFactory):
    """A school's own metric by default (``school=None`` for a shipped one)."""

    class Meta:
        model = MetricType

    school = None
    code = factory.Sequence(lambda n: f"metric_{n}")
    name = factory.Sequence(lambda n: f"Metric {n}")
    unit = "reps"
    value_kind = ValueKind.COUNT
    higher_is_better = True
    min_value = Decimal("0")
    max_value = Decimal("1000")


class PerformanceResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceResult

    session = factory.SubFactory(ClassSessionFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..session.pe_class.school"))
    metric = factory.SubFactory(MetricTypeFactory, school=factory.SelfAttribute("..session.pe_class.school"))
    value = Decimal("10")


register_scoped_factory(ClassSession, lambda school: ClassSessionFactory(pe_class__school=school))
register_scoped_factory(SessionBlock, lambda school: SessionBlockFactory(session__pe_class__school=school))
register_scoped_factory(AttendanceRecord, lambda school: AttendanceRecordFactory(session__pe_class__school=school))
register_scoped_factory(MetricType, lambda school: MetricTypeFactory(school=school))
register_scoped_factory(PerformanceResult, lambda school: PerformanceResultFactory(session__pe_class__school=school))
