"""Reads for the adaptation engine: which block comes next, and each student's signals for it
(attendance today, recent RPE / heart rate / scores, profile and provided restrictions)."""

import datetime

from django.db.models import Q

from physed.engines.adaptation import ActivityInfo, MetricSeries, StudentSignals, Weights
from physed.engines.data import adaptation_config
from physed.models import (
    Activity,
    AdaptationProfile,
    AdaptationProposal,
    AttendanceRecord,
    ClassSession,
    EngineWeights,
    Enrollment,
    EnrollmentStatus,
    PerformanceResult,
    ProposalStatus,
    SessionBlock,
    SessionStatus,
    Student,
)
from physed.selectors.adaptation_providers import extra_restrictions

SIGNAL_CODES = ("rpe", "heart_rate_avg", "heart_rate_max")
LOOKBACK_DAYS = 120


def activity_info(activity: Activity) -> ActivityInfo:
    """``activity.equipment`` should be prefetched when called in a loop."""
    return ActivityInfo(
        id=activity.pk,
        slug=activity.slug,
        name=activity.name,
        category=activity.category,
        intensity=activity.intensity,
        contact_level=activity.contact_level,
        risk_level=activity.risk_level,
        space=activity.space,
        duration_minutes=activity.duration_minutes,
        difficulty=activity.difficulty,
        skills=tuple(activity.skills or ()),
        fitness_components=tuple(activity.fitness_components or ()),
        modifications=tuple(m for m in (activity.modifications or ()) if isinstance(m, dict)),
        progressions=tuple(activity.progressions or ()),
        equipment=frozenset(e.slug for e in activity.equipment.all()),
        grade_bands=tuple(activity.grade_bands or ()),
        min_group_size=activity.min_group_size,
        max_group_size=activity.max_group_size,
    )


def next_block(session: ClassSession) -> SessionBlock | None:
    """The block to adapt: in a session not yet finished, the first activity block after the last
    one with results; after it, the first activity block of the class's next session."""
    blocks = list(session.blocks.filter(activity__isnull=False).select_related("activity", "session"))
    if session.status != SessionStatus.COMPLETED:
        done = set(
            PerformanceResult.objects.filter(session=session, block__isnull=False).values_list(
                "block__order", flat=True
            )
        )
        last_done = max(done) if done else 0
        upcoming = [b for b in blocks if b.order > last_done]
        if upcoming:
            return upcoming[0]
    later = (
        ClassSession.objects.filter(pe_class_id=session.pe_class_id, date__gte=session.date)
        .exclude(pk=session.pk)
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(date=session.date, pk__lt=session.pk)
        .order_by("date", "pk")
        .first()
    )
    if later is None:
        return None
    return later.blocks.filter(activity__isnull=False).select_related("activity", "session").order_by("order").first()


def session_students(session: ClassSession) -> list[Student]:
    """The class's active students plus anyone with an attendance row in the session."""
    enrolled = Enrollment.objects.filter(pe_class_id=session.pe_class_id, status=EnrollmentStatus.ACTIVE).values(
        "student_id"
    )
    attended = AttendanceRecord.objects.filter(session=session).values("student_id")
    return list(
        Student.objects.filter(Q(pk__in=enrolled) | Q(pk__in=attended)).order_by("last_name", "first_name", "pk")
    )


def age_on(date_of_birth: datetime.date | None, on_date: datetime.date) -> float | None:
    if date_of_birth is None:
        return None
    return (on_date - date_of_birth).days / 365.25


def _profiles(students) -> dict[int, AdaptationProfile]:
    return {p.student_id: p for p in AdaptationProfile.objects.filter(student__in=students)}


def student_signals(session: ClassSession, students: list[Student]) -> list[StudentSignals]:
    """Every student's signals up to and including ``session`` (four queries for the class)."""
    config = adaptation_config()
    on_date = session.date
    ids = [s.pk for s in students]
    attendance = {r.student_id: r for r in AttendanceRecord.objects.filter(session=session, student_id__in=ids)}
    codes = set(SIGNAL_CODES) | set(config["score_metrics"])
    rows = (
        PerformanceResult.objects.filter(
            student_id__in=ids,
            metric__code__in=codes,
            session__pe_class__school_id=session.pe_class.school_id,
            session__date__lte=on_date,
            session__date__gte=on_date - datetime.timedelta(days=LOOKBACK_DAYS),
        )
        .order_by("session__date", "session_id")
        .values_list(
            "student_id",
            "metric__code",
            "metric__name",
            "metric__min_value",
            "metric__max_value",
            "metric__higher_is_better",
            "value",
        )
    )
    series: dict[int, dict[str, list]] = {}
    meta: dict[str, tuple] = {}
    for student_id, code, name, low, high, higher, value in rows:
        series.setdefault(student_id, {}).setdefault(code, []).append(float(value))
        meta[code] = (name, float(low), float(high), higher)
    profiles = _profiles(students)
    provided = extra_restrictions(students, on_date)
    result = []
    for student in students:
        values = series.get(student.pk, {})
        profile = profiles.get(student.pk)
        record = attendance.get(student.pk)
        restrictions = (profile.active_restrictions(on_date) if profile else []) + provided.get(student.pk, [])
        scores = [
            MetricSeries(code, meta[code][0], meta[code][1], meta[code][2], meta[code][3], values[code])
            for code in config["score_metrics"]
            if code in values
        ]
        result.append(
            StudentSignals(
                student_id=student.pk,
                name=student.display_name,
                age=age_on(student.date_of_birth, on_date),
                attendance=record.status if record else None,
                minutes_late=record.minutes_late if record else None,
                rpe=values.get("rpe", []),
                hr_avg=values.get("heart_rate_avg", []),
                hr_max=values.get("heart_rate_max", []),
                scores=scores,
                restrictions=restrictions,
                skill_level=profile.skill_level if profile else None,
                category_skill=dict(profile.category_skill_levels or {}) if profile else {},
                preferred_kinds=list(profile.preferred_modifications or []) if profile else [],
            )
        )
    return result


def learned(school_id: int, engine: str) -> dict[str, EngineWeights]:
    return {row.key: row for row in EngineWeights.objects.filter(school_id=school_id, engine=engine)}


def adaptation_weights(school_id: int) -> Weights:
    rows = learned(school_id, EngineWeights.Engine.ADAPTATION)
    return Weights({key: row.weight for key, row in rows.items()})


def session_proposals(session: ClassSession, block: SessionBlock | None):
    """The proposals on show for ``block`` of ``session`` (pending and decided), best first."""
    return (
        AdaptationProposal.objects.filter(session=session, block=block)
        .exclude(status=ProposalStatus.SUPERSEDED)
        .select_related("student", "activity", "decided_by", "block")
        .order_by("-required", "-score", "pk")
    )
