"""Demo data: 8 weeks of sessions for every demo class, ending today, with plans from the
shipped library, attendance and results.

Deterministic (one ``random.Random`` per class, seeded from the school slug and class name),
idempotent (a class that already has sessions is left alone) and fast (bulk inserts). Realistic
shape: most students present, a mix of late/excused/not dressed/sitting out/medical, two students
per class with poorer attendance; PACER laps and push-ups every two weeks with a gentle upward
trend per student, RPE and average heart rate for a third of the class every session, and a
skill score for the main activity.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from physed.models import (
    Activity,
    AttendanceRecord,
    AttendanceStatus,
    ClassSession,
    Enrollment,
    EnrollmentStatus,
    MetricType,
    PEClass,
    PerformanceResult,
    SessionBlock,
    SessionStatus,
)
from physed.models.sessions import PARTICIPATING_STATUSES
from physed.services.metrics_data import load_shipped_metrics

WEEKS = 8
DAYS_AHEAD = 7
FALLBACK_MEETINGS = [(0, datetime.time(9, 0)), (3, datetime.time(9, 0))]  # a class without a schedule
OTHER_STATUSES = [
    (AttendanceStatus.ABSENT, 40),
    (AttendanceStatus.LATE, 25),
    (AttendanceStatus.EXCUSED, 12),
    (AttendanceStatus.NOT_DRESSED, 10),
    (AttendanceStatus.SITTING_OUT, 8),
    (AttendanceStatus.MEDICAL, 5),
]


def _demo_classes(context):
    schools = list((context or {}).get("schools", {}).values())
    queryset = PEClass.objects.select_related("school").prefetch_related("meetings")
    return queryset.filter(school__in=schools) if schools else queryset.none()


@transaction.atomic
def seed(context) -> None:
    """Called by physed.demo.seed in area order (after the library and roster)."""
    load_shipped_metrics()
    today = timezone.localdate()
    activities = list(Activity.objects.shipped().order_by("slug"))
    metrics = {m.code: m for m in MetricType.objects.filter(school__isnull=True)}
    for pe_class in _demo_classes(context):
        if ClassSession.objects.filter(pe_class=pe_class).exists():
            continue
        seed_class(pe_class, today=today, activities=activities, metrics=metrics)


def _slots(pe_class):
    meetings = [(m.weekday, m.start_time, m.period) for m in pe_class.meetings.all()]
    return meetings or [(weekday, start, "") for weekday, start in FALLBACK_MEETINGS]


def seed_class(pe_class, *, today: datetime.date, activities, metrics) -> list[ClassSession]:
    rng = random.Random(f"{pe_class.school.slug}:{pe_class.name}")  # noqa: S311 - demo data, not security
    first = today - datetime.timedelta(weeks=WEEKS)
    sessions = []
    day = first
    while day <= today + datetime.timedelta(days=DAYS_AHEAD):
        for weekday, start, period in _slots(pe_class):
            if weekday != day.weekday():
                continue
            past = day < today
            began = timezone.make_aware(datetime.datetime.combine(day, start)) if past else None
            sessions.append(
                ClassSession(
                    pe_class=pe_class,
                    date=day,
                    start_time=start,
                    period=period,
                    status=SessionStatus.COMPLETED if past else SessionStatus.PLANNED,
                    started_at=began,
                    ended_at=began + datetime.timedelta(minutes=45) if began else None,
                )
            )
        day += datetime.timedelta(days=1)
    sessions = ClassSession.objects.bulk_create(sessions)

    blocks = []
    for session in sessions:
        if not activities:
            break
        chosen = rng.sample(activities, k=min(len(activities), rng.randint(2, 4)))
        session.title = chosen[0].name
        blocks += [
            SessionBlock(session=session, order=order, activity=activity, planned_minutes=rng.choice([5, 10, 15, 20]))
            for order, activity in enumerate(chosen, start=1)
        ]
    SessionBlock.objects.bulk_create(blocks)
    ClassSession.objects.bulk_update(sessions, ["title"])
    main_block = {}
    for block in blocks:
        main_block.setdefault(block.session_id, block)

    students = list(
        Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE)
        .order_by("student_id")
        .values_list("student_id", flat=True)
    )
    poor = set(rng.sample(students, k=min(2, len(students))))
    monitored = set(rng.sample(students, k=len(students) // 3))
    base = {sid: {"pacer": rng.randint(12, 45), "push": rng.randint(4, 25), "skill": rng.random()} for sid in students}
    records, results = [], []
    past = [s for s in sessions if s.status == SessionStatus.COMPLETED]
    tested_weeks = set()
    for session in past:
        week = (session.date - first).days // 7
        fitness_test = week % 2 == 0 and week not in tested_weeks
        if fitness_test:
            tested_weeks.add(week)
        for sid in students:
            status = _status(rng, sid in poor)
            records.append(
                AttendanceRecord(
                    session=session,
                    student_id=sid,
                    status=status,
                    minutes_late=rng.randint(2, 12) if status == AttendanceStatus.LATE else None,
                )
            )
            if status not in PARTICIPATING_STATUSES:
                continue
            results += _results(rng, session, sid, base[sid], week, fitness_test, sid in monitored, metrics, main_block)
    AttendanceRecord.objects.bulk_create(records)
    PerformanceResult.objects.bulk_create(results)
    return sessions


def _status(rng, poor: bool) -> str:
    if rng.random() < (0.62 if poor else 0.93):
        return AttendanceStatus.PRESENT
    statuses, weights = zip(*OTHER_STATUSES, strict=True)
    return rng.choices(statuses, weights=weights)[0]


def _results(rng, session, sid, base, week, fitness_test, monitored, metrics, main_block) -> list[PerformanceResult]:
    rows = []

    def add(code, value, block=None):
        metric = metrics.get(code)
        if metric is not None:
            value = min(max(value, float(metric.min_value)), float(metric.max_value))
            rows.append(
                PerformanceResult(session=session, student_id=sid, metric=metric, value=round(value), block=block)
            )

    if fitness_test:
        add("pacer_laps", base["pacer"] + 1.2 * week + rng.gauss(0, 2))
        add("push_ups", base["push"] + 0.5 * week + rng.gauss(0, 1.5))
    if monitored:
        add("rpe", rng.choice([3, 4, 5, 5, 6, 6, 7, 8]))
        add("heart_rate_avg", rng.randint(118, 168))
    block = main_block.get(session.pk)
    if block is not None and rng.random() < 0.5:
        add("skill_score", 1 + min(3, int(base["skill"] * 3 + week / 4 + rng.random())), block)
    return rows
