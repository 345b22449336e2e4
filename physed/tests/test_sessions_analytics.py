"""Attendance and performance analytics on known data: rates, streaks, weekly trend, students
below the threshold, least-squares trends with the metric's direction, distributions — and who
may read them (a student and their guardian through the object grant, nobody else's)."""

import datetime
import random

import pytest
from guardian.shortcuts import assign_perm

from physed.models import AttendanceRecord, PerformanceResult, SessionStatus
from physed.selectors.attendance import class_attendance_summary, streaks, student_attendance_summary
from physed.selectors.performance import class_performance, histogram, linear_trend, student_metric_trend, summary_stats
from physed.tests.factories_sessions import ClassSessionFactory, class_with_students, shipped_metric

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 9, 7)


def _sessions(pe_class, count, *, step_days=7, start=MONDAY):
    return [
        ClassSessionFactory(pe_class=pe_class, date=start + datetime.timedelta(days=i * step_days))
        for i in range(count)
    ]


def _mark(session, student, status):
    AttendanceRecord.objects.create(session=session, student=student, status=status)


def test_three_present_one_absent_is_75_percent(school):
    pe_class, (kid,) = class_with_students(school, 1)
    sessions = _sessions(pe_class, 4)
    for session, status in zip(sessions, ["present", "absent", "present", "present"], strict=True):
        _mark(session, kid, status)
    summary = student_attendance_summary(kid, today=MONDAY + datetime.timedelta(days=21))
    assert summary["total"] == 4
    assert summary["participation_rate"] == 0.75 and summary["attendance_rate"] == 0.75
    assert summary["counts"]["present"] == 3 and summary["counts"]["absent"] == 1
    assert summary["rates"]["absent"] == 0.25
    assert summary["current_streak"] == 2 and summary["longest_streak"] == 2
    assert summary["below_threshold"] is True and summary["threshold"] == 0.8
    weeks = summary["weeks"]
    assert len(weeks) == 8 and weeks[-1]["week_start"] == MONDAY + datetime.timedelta(days=21)
    assert [w["participation_rate"] for w in weeks[-4:]] == [1.0, 0.0, 1.0, 1.0]
    assert weeks[0]["participation_rate"] is None


def test_cancelled_sessions_do_not_count(school):
    pe_class, (kid,) = class_with_students(school, 1)
    kept, dropped = _sessions(pe_class, 2)
    dropped.status = SessionStatus.CANCELLED
    dropped.save()
    _mark(kept, kid, "present")
    _mark(dropped, kid, "absent")
    assert student_attendance_summary(kid)["total"] == 1


def test_streaks():
    newest_first = ["present", "late", "absent", "present", "present", "present", "excused"]
    assert streaks(newest_first) == {"current_streak": 2, "longest_streak": 3, "current_absence_streak": 0}
    assert streaks(["absent", "excused", "medical"])["current_absence_streak"] == 2
    assert streaks([]) == {"current_streak": 0, "longest_streak": 0, "current_absence_streak": 0}


def test_sitting_out_is_on_site_but_not_participating(school):
    pe_class, (kid,) = class_with_students(school, 1)
    for session, status in zip(_sessions(pe_class, 2), ["sitting_out", "present"], strict=True):
        _mark(session, kid, status)
    summary = student_attendance_summary(kid)
    assert summary["participation_rate"] == 0.5 and summary["attendance_rate"] == 1.0


def test_class_summary_flags_students_below_threshold(school):
    pe_class, students = class_with_students(school, 3)
    sessions = _sessions(pe_class, 5)
    pattern = {
        students[0]: ["present"] * 5,
        students[1]: ["present", "absent", "absent", "present", "late"],  # 3/5 = 60 %
        students[2]: ["present", "present", "present", "present", "not_dressed"],  # 4/5 = 80 %, not below
    }
    for student, statuses in pattern.items():
        for session, status in zip(sessions, statuses, strict=True):
            _mark(session, student, status)
    summary = class_attendance_summary(pe_class)
    assert summary["total"] == 15
    assert [s["participation_rate"] for s in summary["sessions"]] == [
        1.0,
        round(2 / 3, 4),
        round(2 / 3, 4),
        1.0,
        round(2 / 3, 4),
    ]
    assert [s["student"] for s in summary["below_threshold"]] == [students[1].pk]
    assert summary["students"][0]["participation_rate"] == 0.6
    assert summary["participation_rate"] == round(12 / 15, 4)
    assert class_attendance_summary(pe_class, threshold=0.9)["below_threshold"][-1]["student"] == students[2].pk


def test_linear_trend_recovers_a_generated_slope():
    rng = random.Random(5)
    points = [(MONDAY + datetime.timedelta(days=7 * w + rng.randint(0, 4)), 0) for w in range(10)]
    points = [(day, 20 + 1.5 * (day - MONDAY).days / 7) for day, _ in points]
    fit = linear_trend(points)
    assert fit["slope_per_week"] == pytest.approx(1.5)
    assert fit["intercept"] == pytest.approx(20 + 1.5 * (points[0][0] - MONDAY).days / 7)
    assert fit["r2"] == pytest.approx(1.0)
    assert linear_trend(points[:1])["slope_per_week"] is None
    assert linear_trend([(MONDAY, 1), (MONDAY, 2)])["slope_per_week"] is None


def test_student_trend_uses_the_metric_direction(school):
    pe_class, (kid,) = class_with_students(school, 1)
    sessions = _sessions(pe_class, 6)
    pacer, mile = shipped_metric("pacer_laps"), shipped_metric("mile_time")
    for week, session in enumerate(sessions):
        PerformanceResult.objects.create(session=session, student=kid, metric=pacer, value=20 + 2 * week)
        PerformanceResult.objects.create(session=session, student=kid, metric=mile, value=600 - 10 * week)
    laps = student_metric_trend(kid, pacer)
    assert laps["slope_per_week"] == pytest.approx(2.0) and laps["improvement_per_week"] == pytest.approx(2.0)
    assert laps["direction"] == "improving" and laps["best"] == 30 and laps["first"] == 20 and laps["n"] == 6
    run = student_metric_trend(kid, mile)
    assert run["slope_per_week"] == pytest.approx(-10.0) and run["improvement_per_week"] == pytest.approx(10.0)
    assert run["direction"] == "improving" and run["best"] == 550


def test_trend_labels_steady_declining_and_insufficient(school):
    pe_class, students = class_with_students(school, 3)
    sessions = _sessions(pe_class, 4)
    pacer = shipped_metric("pacer_laps")
    for week, session in enumerate(sessions):
        PerformanceResult.objects.create(session=session, student=students[0], metric=pacer, value=40)
        PerformanceResult.objects.create(session=session, student=students[1], metric=pacer, value=40 - 3 * week)
    PerformanceResult.objects.create(session=sessions[0], student=students[2], metric=pacer, value=10)
    assert student_metric_trend(students[0], pacer)["direction"] == "steady"
    assert student_metric_trend(students[1], pacer)["direction"] == "declining"
    assert student_metric_trend(students[2], pacer)["direction"] == "insufficient_data"


def test_distribution_stats_and_histogram():
    stats = summary_stats([1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert stats["mean"] == 5 and stats["median"] == 5 and stats["q1"] == 3 and stats["q3"] == 7
    assert summary_stats([4])["q1"] == 4 and summary_stats([])["mean"] is None
    bins = histogram([0, 1, 2, 3, 4, 5, 6, 10, 12], bins=4)
    assert [b["count"] for b in bins] == [3, 3, 1, 2] and bins[0]["low"] == 0 and bins[-1]["high"] == 12
    assert histogram([3, 3, 3]) == [{"low": 3, "high": 3, "count": 3}]


def test_class_performance_uses_latest_value_per_student(school):
    pe_class, students = class_with_students(school, 4)
    first, second = _sessions(pe_class, 2)
    pacer = shipped_metric("pacer_laps")
    for index, student in enumerate(students):
        PerformanceResult.objects.create(session=first, student=student, metric=pacer, value=10 + index)
        PerformanceResult.objects.create(session=second, student=student, metric=pacer, value=20 + 2 * index)
    payload = class_performance(pe_class, pacer)
    assert payload["distribution"]["n"] == 4 and payload["distribution"]["mean"] == 23.0
    assert payload["distribution"]["median"] == 23.0 and payload["distribution"]["min"] == 20
    assert [row["mean"] for row in payload["over_time"]] == [11.5, 23.0]
    assert sum(b["count"] for b in payload["histogram"]) == 4
    early = class_performance(pe_class, pacer, end=MONDAY)
    assert early["distribution"]["mean"] == 11.5


# --- endpoints ---------------------------------------------------------------------------------------


@pytest.fixture
def recorded(school):
    pe_class, (kid, other) = class_with_students(school, 2)
    pacer = shipped_metric("pacer_laps")
    for week, session in enumerate(_sessions(pe_class, 3)):
        _mark(session, kid, "present" if week != 1 else "absent")
        _mark(session, other, "present")
        PerformanceResult.objects.create(session=session, student=kid, metric=pacer, value=20 + week)
    return pe_class, kid, other


def test_student_endpoints_for_staff(recorded, teacher, client_for):
    _pe_class, kid, _other = recorded
    client = client_for(teacher)
    body = client.get(f"/api/v1/physed/students/{kid.pk}/attendance-summary/").json()
    assert body["total"] == 3 and body["participation_rate"] == round(2 / 3, 4) and body["counts"]["absent"] == 1
    perf = client.get(f"/api/v1/physed/students/{kid.pk}/performance/").json()
    assert perf["metric"]["code"] == "pacer_laps" and [p["value"] for p in perf["points"]] == [20, 21, 22]
    assert perf["slope_per_week"] == pytest.approx(1.0) and perf["metrics"][0]["results"] == 3
    assert client.get(f"/api/v1/physed/students/{kid.pk}/performance/", {"metric": "nope"}).status_code == 400
    rpe = client.get(f"/api/v1/physed/students/{kid.pk}/performance/", {"metric": "rpe"}).json()
    assert rpe["n"] == 0 and rpe["direction"] == "insufficient_data"


def test_student_without_results_gets_an_empty_trend(recorded, teacher, client_for):
    _pe_class, _kid, other = recorded
    body = client_for(teacher).get(f"/api/v1/physed/students/{other.pk}/performance/").json()
    assert body["metric"] is None and body["points"] == [] and body["metrics"] == []


def test_student_and_guardian_read_their_own_through_the_grant(recorded, student, guardian, client_for):
    _pe_class, kid, other = recorded
    assign_perm("physed.view_student", student, kid)
    assign_perm("physed.view_student", guardian, kid)
    for user in (student, guardian):
        client = client_for(user)
        own = client.get(f"/api/v1/physed/students/{kid.pk}/attendance-summary/")
        assert own.status_code == 200 and own.json()["total"] == 3
        assert own["Cache-Control"] == "private, no-store"
        assert client.get(f"/api/v1/physed/students/{kid.pk}/performance/").status_code == 200
        assert client.get(f"/api/v1/physed/students/{other.pk}/attendance-summary/").status_code == 403


def test_class_endpoints(recorded, teacher, student, other_teacher, client_for):
    pe_class, kid, _other = recorded
    client = client_for(teacher)
    body = client.get(f"/api/v1/physed/classes/{pe_class.pk}/attendance-summary/").json()
    assert body["total"] == 6 and [s["student"] for s in body["below_threshold"]] == [kid.pk]
    perf = client.get(f"/api/v1/physed/classes/{pe_class.pk}/performance/", {"metric": "pacer_laps"}).json()
    assert perf["distribution"]["n"] == 1 and perf["distribution"]["mean"] == 22
    assert [row["mean"] for row in perf["over_time"]] == [20, 21, 22] and perf["direction"] == "improving"
    assert client.get(f"/api/v1/physed/classes/{pe_class.pk}/performance/").status_code == 400
    by_id = client.get(
        f"/api/v1/physed/classes/{pe_class.pk}/performance/", {"metric": shipped_metric("pacer_laps").pk}
    )
    assert by_id.json()["metric"]["code"] == "pacer_laps"
    assert client_for(student).get(f"/api/v1/physed/classes/{pe_class.pk}/attendance-summary/").status_code == 403
    assert client_for(other_teacher).get(f"/api/v1/physed/classes/{pe_class.pk}/attendance-summary/").status_code == 404
