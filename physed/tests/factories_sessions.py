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
    "class_with_students",
    "shipped_metric",
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


def class_with_students(school, count: int = 5, *, start_date=datetime.date(2026, 8, 20), **class_fields):
    """A class in ``school`` with ``count`` active enrollments (students of that school)."""
    from physed.tests.factories_roster import EnrollmentFactory

    pe_class = PEClassFactory(school=school, **class_fields)
    students = [
        EnrollmentFactory(pe_class=pe_class, student__school=school, start_date=start_date).student
        for _ in range(count)
    ]
    return pe_class, students


def shipped_metric(code: str) -> MetricType:
    """A shipped metric from physed/data/metrics.json (loaded on first use)."""
    from physed.services.metrics_data import load_shipped_metrics

    metric = MetricType.objects.filter(school__isnull=True, code=code).first()
    if metric is None:
        load_shipped_metrics()
        metric = MetricType.objects.get(school__isnull=True, code=code)
    return metric
