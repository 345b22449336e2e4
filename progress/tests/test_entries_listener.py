"""Session results become progress entries (physed result listener), and metric sources."""

from decimal import Decimal

import pytest

from physed.models import AttendanceStatus
from physed.services.results import ResultEntry, record_results
from physed.tests.factories import AttendanceRecordFactory, ClassSessionFactory, EnrollmentFactory, MetricTypeFactory
from progress import metrics
from progress.models import EntrySource, ProgressEntry

pytestmark = pytest.mark.django_db


def test_metric_and_attendance_sources(school):
    MetricTypeFactory(school=school, code="jumps", name="Jumps", unit="reps", higher_is_better=True)
    info = metrics.describe(school, "metric.jumps")
    assert (info.label, info.unit, info.higher_is_better) == ("Jumps", "reps", True)
    assert metrics.describe(school, "attendance.rate").unit == "%"


def test_results_upsert_and_remove_entries(school, teacher, django_capture_on_commit_callbacks):
    session = ClassSessionFactory(pe_class__school=school)
    student = EnrollmentFactory(pe_class=session.pe_class).student
    AttendanceRecordFactory(session=session, student=student, status=AttendanceStatus.PRESENT)
    metric = MetricTypeFactory(school=school, code="jumps")
    with django_capture_on_commit_callbacks(execute=True):
        record_results(
            actor=teacher,
            session=session,
            entries=[ResultEntry(student=student.pk, metric=metric.pk, value=Decimal("12"))],
        )
    row = ProgressEntry.objects.get()
    assert (row.metric_key, row.value, row.date, row.source) == (
        "metric.jumps",
        12,
        session.date,
        EntrySource.PERFORMANCE_RESULT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_results(
            actor=teacher,
            session=session,
            entries=[ResultEntry(student=student.pk, metric=metric.pk, value=Decimal("15"))],
        )
    assert list(ProgressEntry.objects.values_list("value", flat=True)) == [15]
    with django_capture_on_commit_callbacks(execute=True):
        record_results(
            actor=teacher, session=session, entries=[ResultEntry(student=student.pk, metric=metric.pk, value=None)]
        )
    assert ProgressEntry.objects.count() == 0
