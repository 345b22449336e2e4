"""Builders for the goals and achievements tests: a test metric source (``t.laps`` higher is
better, ``t.mile`` lower is better), linked student accounts and entries."""

import datetime

from accounts.models import Role
from accounts.tests.factories import make_member
from physed.models import Guardianship
from physed.tests.factories import StudentFactory
from progress.metrics import MetricInfo, register_metric_source
from progress.models import EntrySource, ProgressEntry

__all__ = ["TEST_METRICS", "days", "entry", "linked_student", "register_test_metrics"]

TEST_METRICS = [
    MetricInfo("t.laps", "Laps", "laps", True, 0, 0, 300),
    MetricInfo("t.mile", "Mile run", "s", False, 0, 60, 1800),
]


def register_test_metrics() -> None:
    register_metric_source("t", lambda school: TEST_METRICS)


def days(n: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=n)


def linked_student(school, *, guardian=None, **fields):
    """A student record with its own student account (and optionally a guardian account)."""
    user = make_member(school, Role.STUDENT)
    student = StudentFactory(school=school, user=user, **fields)
    if guardian is not None:
        Guardianship.objects.create(student=student, guardian=guardian, name="Parent", email=guardian.email)
    return student


def entry(student, value, on, key="t.laps", **fields) -> ProgressEntry:
    fields.setdefault("source", EntrySource.MANUAL)
    return ProgressEntry.objects.create(
        school=student.school, student=student, metric_key=key, value=value, date=on, **fields
    )
