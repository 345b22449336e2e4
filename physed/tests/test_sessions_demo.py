"""The sessions demo: 8 weeks from the weekly schedule ending today, past ones completed with
attendance and results, a few planned ahead; deterministic and idempotent."""

import datetime

import pytest
from django.utils import timezone

from physed import demo_sessions
from physed.models import AttendanceRecord, ClassSession, PerformanceResult, SessionStatus
from physed.selectors.performance import student_metric_trend
from physed.tests.factories_library import ActivityFactory
from physed.tests.factories_roster import ClassMeetingFactory
from physed.tests.factories_sessions import class_with_students, shipped_metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_class(school):
    for index in range(6):
        ActivityFactory(school=None, slug=f"shipped-{index}")
    pe_class, students = class_with_students(school, 12, start_date=datetime.date(2020, 1, 1))
    ClassMeetingFactory(pe_class=pe_class, weekday=1, start_time=datetime.time(10), end_time=datetime.time(10, 50))
    ClassMeetingFactory(pe_class=pe_class, weekday=4, start_time=datetime.time(10), end_time=datetime.time(10, 50))
    return pe_class, students


def _snapshot(pe_class):
    sessions = list(
        ClassSession.objects.filter(pe_class=pe_class).order_by("date").values_list("date", "status", "title")
    )
    attendance = list(
        AttendanceRecord.objects.filter(session__pe_class=pe_class)
        .order_by("session__date", "student_id")
        .values_list("session__date", "student__last_name", "status")
    )
    return sessions, attendance


def test_demo_seeds_eight_weeks_idempotently(demo_class, school):
    pe_class, students = demo_class
    demo_sessions.seed({"schools": {"northside": school}})
    today = timezone.localdate()
    sessions = ClassSession.objects.filter(pe_class=pe_class)
    assert 16 <= sessions.count() <= 20
    assert all(s.date.weekday() in (1, 4) for s in sessions)
    assert (
        sessions.filter(status=SessionStatus.COMPLETED, date__lt=today).count()
        == sessions.filter(date__lt=today).count()
    )
    assert sessions.filter(status=SessionStatus.PLANNED, date__gte=today).count() >= 2
    assert min(s.date for s in sessions) >= today - datetime.timedelta(weeks=8)
    assert all(2 <= s.blocks.count() <= 4 for s in sessions)
    past = sessions.filter(date__lt=today).count()
    records = AttendanceRecord.objects.filter(session__pe_class=pe_class)
    assert records.count() == past * len(students)
    present_share = records.filter(status="present").count() / records.count()
    assert 0.75 < present_share < 0.97
    assert records.exclude(status="present").values("status").distinct().count() >= 3
    pacer = shipped_metric("pacer_laps")
    assert PerformanceResult.objects.filter(metric=pacer, session__pe_class=pe_class).exists()
    assert PerformanceResult.objects.filter(metric__code="rpe", session__pe_class=pe_class).exists()
    improving = [student_metric_trend(s, pacer)["slope_per_week"] or 0 for s in students]
    assert sum(improving) / len(improving) > 0  # the gentle upward trend shows through the noise

    first = _snapshot(pe_class)
    demo_sessions.seed({"schools": {"northside": school}})
    assert _snapshot(pe_class) == first


def test_demo_is_deterministic(demo_class, school):
    pe_class, _students = demo_class
    demo_sessions.seed({"schools": {"northside": school}})
    first = _snapshot(pe_class)
    ClassSession.objects.filter(pe_class=pe_class).delete()
    demo_sessions.seed({"schools": {"northside": school}})
    assert _snapshot(pe_class) == first


def test_demo_without_library_or_schools(school):
    pe_class, _students = class_with_students(school, 3)
    demo_sessions.seed({})
    assert not ClassSession.objects.exists()
    demo_sessions.seed({"schools": {"northside": school}})
    sessions = ClassSession.objects.filter(pe_class=pe_class)
    assert sessions.exists() and not any(s.blocks.exists() for s in sessions)
