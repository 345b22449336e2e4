"""Attendance analytics for a student and for a class (the numbers behind the charts and the
``attendance-summary`` endpoints).

Definitions (docs/physed-sessions.md): a *recorded* session is one with an attendance row for the
student (cancelled sessions never count). *Participation rate* = (present + late) / recorded;
*attendance rate* = on site (present, late, not dressed, sitting out, medical) / recorded.
A *participation streak* is a run of consecutive recorded sessions, newest first, in which the
student took part. Students whose participation rate is below the threshold in
``physed/data/sessions_analytics.json`` are flagged.
"""

import datetime
from collections import Counter, defaultdict

from django.utils import timezone

from physed.models import (
    AttendanceRecord,
    AttendanceStatus,
    SessionStatus,
)
from physed.models.sessions import ON_SITE_STATUSES, PARTICIPATING_STATUSES
from physed.services.metrics_data import analytics_settings


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _counts(statuses) -> dict[str, int]:
    counter = Counter(statuses)
    return {status: counter.get(status, 0) for status in AttendanceStatus.values}


def streaks(statuses_newest_first: list[str]) -> dict[str, int]:
    """Current participation streak, longest participation streak, current absence streak."""
    current = 0
    for status in statuses_newest_first:
        if status not in PARTICIPATING_STATUSES:
            break
        current += 1
    absent = 0
    for status in statuses_newest_first:
        if status in ON_SITE_STATUSES:
            break
        absent += 1
    longest = run = 0
    for status in statuses_newest_first:
        run = run + 1 if status in PARTICIPATING_STATUSES else 0
        longest = max(longest, run)
    return {"current_streak": current, "longest_streak": longest, "current_absence_streak": absent}


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_trend(rows: list[tuple[datetime.date, str]], *, weeks: int, today: datetime.date) -> list[dict]:
    """One row per ISO week (Monday start), oldest first, for the ``weeks`` weeks ending this one."""
    last = week_start(today)
    starts = [last - datetime.timedelta(weeks=offset) for offset in range(weeks - 1, -1, -1)]
    buckets: dict[datetime.date, list[str]] = defaultdict(list)
    for day, status in rows:
        buckets[week_start(day)].append(status)
    result = []
    for start in starts:
        statuses = buckets.get(start, [])
        participated = sum(1 for status in statuses if status in PARTICIPATING_STATUSES)
        result.append(
            {
                "week_start": start,
                "sessions": len(statuses),
                "participated": participated,
                "participation_rate": _rate(participated, len(statuses)),
            }
        )
    return result


def student_attendance_summary(student, *, today: datetime.date | None = None, pe_class=None) -> dict:
    today = today or timezone.localdate()
    settings = analytics_settings()
    records = AttendanceRecord.objects.filter(student=student).exclude(session__status=SessionStatus.CANCELLED)
    if pe_class is not None:
        records = records.filter(session__pe_class=pe_class)
    rows = list(
        records.order_by("session__date", "session__start_time", "session_id").values_list(
            "session__date", "status", "minutes_late"
        )
    )
    statuses = [status for _day, status, _late in rows]
    total = len(statuses)
    counts = _counts(statuses)
    participated = sum(counts[status] for status in PARTICIPATING_STATUSES)
    on_site = sum(counts[status] for status in ON_SITE_STATUSES)
    threshold = settings["participation_threshold"]
    participation = _rate(participated, total)
    return {
        "student": student.pk,
        "total": total,
        "counts": counts,
        "rates": {status: _rate(count, total) for status, count in counts.items()},
        "participation_rate": participation,
        "attendance_rate": _rate(on_site, total),
        "minutes_late": sum(late or 0 for _day, _status, late in rows),
        **streaks(list(reversed(statuses))),
        "threshold": threshold,
        "below_threshold": participation is not None and participation < threshold,
        "last_date": rows[-1][0] if rows else None,
        "weeks": weekly_trend(
            [(day, status) for day, status, _late in rows], weeks=settings["trend_weeks"], today=today
        ),
    }


def class_attendance_summary(pe_class, *, threshold: float | None = None) -> dict:
    threshold = analytics_settings()["participation_threshold"] if threshold is None else threshold
    rows = list(
        AttendanceRecord.objects.filter(session__pe_class=pe_class)
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by("session__date", "session__start_time", "session_id")
        .values_list(
            "session_id",
            "session__date",
            "student_id",
            "student__first_name",
            "student__preferred_name",
            "student__last_name",
            "status",
        )
    )
    per_session: dict[int, dict] = {}
    per_student: dict[int, dict] = {}
    for session_id, day, student_id, first, preferred, last, status in rows:
        session = per_session.setdefault(
            session_id, {"session": session_id, "date": day, "recorded": 0, "participating": 0, "on_site": 0}
        )
        session["recorded"] += 1
        session["participating"] += status in PARTICIPATING_STATUSES
        session["on_site"] += status in ON_SITE_STATUSES
        student = per_student.setdefault(
            student_id,
            {"student": student_id, "name": f"{preferred or first} {last}".strip(), "sessions": 0, "participated": 0},
        )
        student["sessions"] += 1
        student["participated"] += status in PARTICIPATING_STATUSES
    for session in per_session.values():
        session["participation_rate"] = _rate(session["participating"], session["recorded"])
    for student in per_student.values():
        student["participation_rate"] = _rate(student["participated"], student["sessions"])
    students = sorted(per_student.values(), key=lambda s: (s["participation_rate"], s["name"]))
    counts = _counts(status for *_rest, status in rows)
    participated = sum(counts[status] for status in PARTICIPATING_STATUSES)
    return {
        "pe_class": pe_class.pk,
        "sessions": list(per_session.values()),
        "counts": counts,
        "total": len(rows),
        "participation_rate": _rate(participated, len(rows)),
        "attendance_rate": _rate(sum(counts[status] for status in ON_SITE_STATUSES), len(rows)),
        "threshold": threshold,
        "students": students,
        "below_threshold": [s for s in students if s["participation_rate"] < threshold],
    }
