"""Reads for the recommendation engine: the class (or student) context and the candidate
activities, then the ranking itself (``physed.engines.recommendation.rank``)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from physed.engines import data
from physed.engines.learning import decayed
from physed.engines.recommendation import Context, Excluded, Recommendation, rank
from physed.models import (
    Activity,
    AdaptationProfile,
    ClassSession,
    EngineWeights,
    Enrollment,
    EnrollmentStatus,
    PEClass,
    SessionBlock,
    SessionStatus,
    Student,
    grade_band_for,
)
from physed.selectors.adaptation import activity_info
from physed.selectors.adaptation_providers import component_gaps, environment_alerts, extra_restrictions


@dataclass
class Filters:
    limit: int | None = None
    equipment: frozenset | None = None
    duration: int | None = None
    space: str | None = None
    session: ClassSession | None = None


@dataclass
class Ranking:
    recommendations: list[Recommendation]
    excluded: list[Excluded]
    context: Context
    filters: Filters
    considered: int = 0
    notes: list[str] = field(default_factory=list)


def candidate_activities(school_id: int):
    """The shipped library plus the school's own activities."""
    return (
        Activity.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
        .prefetch_related("equipment")
        .order_by("name", "pk")
    )


def class_students(pe_class: PEClass) -> list[Student]:
    enrolled = Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE).values("student_id")
    return list(Student.objects.filter(pk__in=enrolled))


def class_grade_bands(pe_class: PEClass) -> frozenset:
    return frozenset(grade_band_for(grade) for grade in range(pe_class.grade_from, pe_class.grade_to + 1))


def recent_history(pe_class: PEClass, *, as_of: datetime.date, session: ClassSession | None, window: int):
    """({activity id: sessions ago}, {category: sessions ago}) over the class's last ``window``
    sessions up to ``as_of`` (the target session itself, when given, counts as 1)."""
    sessions = list(
        ClassSession.objects.filter(pe_class=pe_class, date__lte=as_of)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)[:window]
    )
    if session is not None and session.pk not in sessions:
        sessions = [session.pk, *sessions][:window]
    position = {pk: index + 1 for index, pk in enumerate(sessions)}
    activities: dict[int, int] = {}
    categories: dict[str, int] = {}
    blocks = SessionBlock.objects.filter(session_id__in=sessions, activity__isnull=False).values_list(
        "session_id", "activity_id", "activity__category"
    )
    for session_id, activity_id, category in blocks:
        ago = position[session_id]
        activities[activity_id] = min(ago, activities.get(activity_id, ago))
        categories[category] = min(ago, categories.get(category, ago))
    return activities, categories


def restriction_counts(students: list[Student], on_date: datetime.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    per_student: dict[int, set[str]] = {}
    for profile in AdaptationProfile.objects.filter(student__in=students):
        per_student.setdefault(profile.student_id, set()).update(profile.active_restrictions(on_date))
    for student_id, kinds in extra_restrictions(students, on_date).items():
        per_student.setdefault(student_id, set()).update(kinds)
    for kinds in per_student.values():
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def preferences(school_id: int, now=None) -> dict[str, float]:
    """The school's learned preferences, decayed to ``now``."""
    now = now or timezone.now()
    half_life = data.recommendation_config()["preference"]["half_life_days"]
    rows = EngineWeights.objects.filter(school_id=school_id, engine=EngineWeights.Engine.RECOMMENDATION)
    return {row.key: decayed(row.weight, (now - row.updated_at).total_seconds() / 86400, half_life) for row in rows}


def _rank(school_id, ctx: Context, filters: Filters) -> Ranking:
    activities = [activity_info(a) for a in candidate_activities(school_id)]
    ranked, excluded = rank(activities, ctx, limit=filters.limit)
    return Ranking(ranked, excluded, ctx, filters, considered=len(activities))


def _as_of(filters: Filters) -> datetime.date:
    return filters.session.date if filters.session is not None else timezone.localdate()


def recommend_for_class(pe_class: PEClass, filters: Filters) -> Ranking:
    cfg = data.recommendation_config()
    as_of = _as_of(filters)
    students = class_students(pe_class)
    space = filters.space or pe_class.space
    activities_ago, categories_ago = recent_history(
        pe_class, as_of=as_of, session=filters.session, window=cfg["variety"]["window_sessions"]
    )
    ctx = Context(
        class_size=len(students),
        grade_bands=class_grade_bands(pe_class),
        space=space,
        duration=filters.duration,
        equipment=filters.equipment,
        gaps=component_gaps(students, pe_class.school, as_of) if students else {},
        recent_activities=activities_ago,
        recent_categories=categories_ago,
        alerts=environment_alerts(pe_class.school, as_of, space),
        restriction_counts=restriction_counts(students, as_of),
        preferences=preferences(pe_class.school_id),
    )
    return _rank(pe_class.school_id, ctx, filters)


def student_class(student: Student) -> PEClass | None:
    enrollment = (
        Enrollment.objects.filter(student=student, status=EnrollmentStatus.ACTIVE, pe_class__is_active=True)
        .select_related("pe_class__school")
        .order_by("-start_date", "-pk")
        .first()
    )
    return enrollment.pe_class if enrollment else None


def recommend_for_student(student: Student, filters: Filters) -> Ranking:
    """Like a class ranking, but gaps from the student's own results, restrictions as hard limits
    (a conflicting activity needs a modification for it, or is excluded) and skill fit."""
    cfg = data.recommendation_config()
    as_of = _as_of(filters)
    pe_class = student_class(student)
    profile = AdaptationProfile.objects.filter(student=student).first()
    restrictions = list(profile.active_restrictions(as_of) if profile else [])
    restrictions += extra_restrictions([student], as_of).get(student.pk, [])
    if pe_class is not None:
        activities_ago, categories_ago = recent_history(
            pe_class, as_of=as_of, session=filters.session, window=cfg["variety"]["window_sessions"]
        )
    else:
        activities_ago, categories_ago = {}, {}
    space = filters.space or (pe_class.space if pe_class else None)
    ctx = Context(
        class_size=len(class_students(pe_class)) if pe_class else 0,
        grade_bands=frozenset({grade_band_for(student.grade)}),
        space=space,
        duration=filters.duration,
        equipment=filters.equipment,
        gaps=component_gaps([student], student.school, as_of),
        recent_activities=activities_ago,
        recent_categories=categories_ago,
        alerts=environment_alerts(student.school, as_of, space),
        preferences=preferences(student.school_id),
        student_restrictions=list(dict.fromkeys(restrictions)),
        skill_level=profile.skill_level if profile else None,
    )
    return _rank(student.school_id, ctx, filters)


def _activity_row(activity) -> dict:
    from physed.models import ActivityCategory, Intensity, Space

    return {
        "category_label": dict(ActivityCategory.choices).get(activity.category, activity.category),
        "space_label": dict(Space.choices).get(activity.space, activity.space),
        "intensity_label": dict(Intensity.choices).get(activity.intensity, activity.intensity),
        "id": activity.id,
        "slug": activity.slug,
        "name": activity.name,
        "category": activity.category,
        "space": activity.space,
        "intensity": activity.intensity,
        "duration_minutes": activity.duration_minutes,
        "difficulty": activity.difficulty,
        "fitness_components": list(activity.fitness_components),
        "equipment": sorted(activity.equipment),
    }


def present(ranking: Ranking) -> dict:
    """The ranking as plain data with reasons rendered in the active language (API and pages)."""
    from physed.engines.reasons import render_reason
    from physed.models import FitnessComponent

    best = ranking.recommendations[0].score if ranking.recommendations else 0.0
    results = []
    for index, item in enumerate(ranking.recommendations, start=1):
        results.append(
            {
                "rank": index,
                "activity": _activity_row(item.activity),
                "score": round(item.score, 4),
                "bar": max(0, min(10, round(10 * item.score / best))) if best > 0 else 0,
                "components": [
                    {**c.as_dict(), "reasons": [render_reason(r) for r in c.reasons]} for c in item.components
                ],
                "reasons": [render_reason(r) for r in item.reasons],
                "modifications_needed": item.modifications_needed,
            }
        )
    return {
        "considered": ranking.considered,
        "gaps": [
            {
                "component": gap.component,
                "label": dict(FitnessComponent.choices).get(gap.component, gap.component),
                "value": round(gap.value, 4),
                "share_below": round(gap.share_below, 4),
                "share_label": f"{round(gap.share_below * 100)}%",
                "students": gap.students,
                "source": gap.source,
            }
            for gap in sorted(ranking.context.gaps.values(), key=lambda g: -g.value)
        ],
        "results": results,
        "excluded": [
            {"activity": _activity_row(item.activity), "reasons": [render_reason(r) for r in item.reasons]}
            for item in ranking.excluded
        ],
    }
