"""The numbers of a progress report (assessments §5): one JSON-serialisable snapshot per student,
class and period, stored on ``ProgressReport.data`` and read by the narrative engine and the pages.

Reads the source rows directly (fitness results, skill assessments, attendance, family-visible
teacher comments) and progress' stable contract (``progress.selectors.for_reports``) for goals and
achievements. A fixed number of queries whatever the amount of data (about a dozen).

Trend of a fitness test: the latest value in the period compared with the last value before the
period ("previous period") when there is one, else with the first value in the period. The
direction is the test's: for a lower-is-better test (mile time) a smaller value is "improved".
Equal values are "steady" (no tolerance band: our own choice, stated in docs).
"""

import datetime
from decimal import Decimal

from assessments.models import (
    AssessmentMode,
    Feedback,
    FeedbackKind,
    FeedbackVisibility,
    FitnessResult,
    SchoolFitnessSettings,
    SkillAssessment,
    StandardBand,
    Zone,
)
from physed.models import AttendanceRecord, AttendanceStatus, SessionStatus
from physed.models.sessions import ON_SITE_STATUSES, PARTICIPATING_STATUSES
from progress.models import GoalStatus, ProgressEntry
from progress.selectors import for_reports

__all__ = ["DECLINED", "IMPROVED", "STEADY", "report_data", "trend_of"]

IMPROVED, STEADY, DECLINED = "improved", "steady", "declined"


def _num(value) -> float | int | None:
    """A JSON-friendly number: whole values as int, others as float (rounded to 2 places)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def trend_of(before, after, *, higher_is_better: bool) -> str | None:
    """``improved`` / ``steady`` / ``declined`` from ``before`` to ``after`` in the test's direction."""
    if before is None or after is None:
        return None
    if after == before:
        return STEADY
    return IMPROVED if (after > before) == higher_is_better else DECLINED


def _point(result) -> dict:
    return {
        "value": _num(result.value),
        "date": result.event.date.isoformat(),
        "zone": result.zone,
        "vo2max": _num(result.estimated_vo2max),
        "age": result.age_at_test,
    }


def _fitness(student, start, end) -> dict:
    settings_row = SchoolFitnessSettings.objects.filter(school_id=student.school_id).first()
    records_body = bool(settings_row and settings_row.record_body_composition)
    rows = list(
        FitnessResult.objects.filter(student=student, event__date__lte=end)
        .select_related("event", "test")
        .order_by("event__date", "event_id", "pk")
    )
    by_test: dict[int, dict] = {}
    for result in rows:
        test = result.test
        if test.is_body_composition and not records_body:
            continue
        entry = by_test.setdefault(
            test.pk, {"test": test, "in_period": [], "before": None, "standard_set": result.standard_set_id}
        )
        if result.event.date < start:
            entry["before"] = result
        else:
            entry["in_period"].append(result)
            entry["standard_set"] = result.standard_set_id
    wanted = [entry for entry in by_test.values() if entry["in_period"]]
    bands = _hfz_bands(student, wanted)
    tests = []
    for entry in sorted(wanted, key=lambda item: (item["test"].position, item["test"].name)):
        test, results = entry["test"], entry["in_period"]
        first, latest, before = results[0], results[-1], entry["before"]
        compare = before if before is not None else (first if len(results) > 1 else None)
        change = _num(latest.value - compare.value) if compare is not None else None
        threshold = None
        if latest.zone and latest.zone != Zone.HFZ and not test.is_body_composition:
            threshold = _threshold(bands, entry["standard_set"], test, student.sex, latest.age_at_test)
        tests.append(
            {
                "test_id": test.pk,
                "code": test.code,
                "name": test.name,
                "unit": test.unit,
                "component": test.component,
                "higher_is_better": test.higher_is_better,
                "decimal_places": test.decimal_places,
                "body_composition": test.is_body_composition,
                "count": len(results),
                "first": _point(first),
                "latest": _point(latest),
                "previous": _point(before) if before is not None else None,
                "change_in_period": _num(latest.value - first.value) if len(results) > 1 else None,
                "trend_in_period": trend_of(first.value, latest.value, higher_is_better=test.higher_is_better)
                if len(results) > 1
                else None,
                "change_vs_previous": _num(latest.value - before.value) if before is not None else None,
                "trend_vs_previous": trend_of(before.value, latest.value, higher_is_better=test.higher_is_better)
                if before is not None
                else None,
                "compared_with": _point(compare) if compare is not None else None,
                "change": change,
                "trend": trend_of(compare.value, latest.value, higher_is_better=test.higher_is_better)
                if compare is not None
                else None,
                "hfz_threshold": threshold,
            }
        )
    return {"tests": tests, "body_composition_recorded": records_body}


def _hfz_bands(student, entries) -> list[StandardBand]:
    measures = {entry["test"].standard_measure for entry in entries if entry["test"].standard_measure}
    sets = {entry["standard_set"] for entry in entries if entry["standard_set"]}
    if not measures or not sets or student.sex not in ("F", "M"):
        return []
    return list(
        StandardBand.objects.filter(
            standard_set_id__in=sets, measure__in=measures, sex=student.sex, zone=Zone.HFZ
        ).order_by("age_from")
    )


def _threshold(bands, set_id, test, sex, age) -> dict | None:
    """The Healthy Fitness Zone bound to reach: its lower bound for a higher-is-better measure,
    its upper bound otherwise (as printed in the student's standard set for their sex and age)."""
    if age is None:
        return None
    for band in bands:
        if band.standard_set_id != set_id or band.measure != test.standard_measure or band.sex != sex:
            continue
        if band.age_from <= age and (band.age_to is None or age <= band.age_to):
            if test.higher_is_better and band.lower is not None:
                return {"value": _num(band.lower), "bound": "at_least", "unit": band.unit, "measure": band.measure}
            if not test.higher_is_better and band.upper is not None:
                return {"value": _num(band.upper), "bound": "at_most", "unit": band.unit, "measure": band.measure}
    return None


def _skills(student, start, end) -> list[dict]:
    rows = list(
        SkillAssessment.objects.filter(student=student, mode=AssessmentMode.TEACHER, date__range=(start, end))
        .select_related("rubric")
        .prefetch_related("scores__criterion", "scores__level")
        .order_by("rubric__title", "rubric_id", "-date", "-pk")
    )
    latest: dict[int, SkillAssessment] = {}
    counts: dict[int, int] = {}
    for row in rows:
        latest.setdefault(row.rubric_id, row)
        counts[row.rubric_id] = counts.get(row.rubric_id, 0) + 1
    skills = []
    for rubric_id, row in latest.items():
        scores = sorted(row.scores.all(), key=lambda score: (score.criterion.position, score.criterion.pk))
        skills.append(
            {
                "rubric_id": rubric_id,
                "title": row.rubric.title,
                "date": row.date.isoformat(),
                "score": _num(row.score),
                "assessments": counts[rubric_id],
                "criteria": [{"criterion": score.criterion.name, "level": score.level.name} for score in scores],
            }
        )
    return skills


def _goal_met(goal, latest) -> bool:
    if goal.status == GoalStatus.ACHIEVED:
        return True
    if latest is None:
        return False
    return latest >= goal.target if goal.higher_is_better else latest <= goal.target


def _goals(student, start, end) -> list[dict]:
    goals = for_reports.goals_for_student(student, start=start, end=end)
    keys = {goal.metric_key for goal in goals}
    latest: dict[str, ProgressEntry] = {}
    if keys:
        for entry in ProgressEntry.objects.filter(student=student, metric_key__in=keys, date__lte=end).order_by(
            "date", "pk"
        ):
            latest[entry.metric_key] = entry
    result = []
    for goal in goals:
        entry = latest.get(goal.metric_key)
        milestones = list(goal.milestones.all())
        reached = [item for item in milestones if item.reached_at and item.reached_at <= end]
        result.append(
            {
                "id": goal.pk,
                "title": goal.title,
                "metric_key": goal.metric_key,
                "metric_label": goal.metric_label,
                "unit": goal.unit,
                "higher_is_better": goal.higher_is_better,
                "status": goal.status,
                "class_goal": goal.student_id is None,
                "baseline": _num(goal.baseline),
                "target": _num(goal.target),
                "deadline": goal.deadline.isoformat(),
                "latest": _num(entry.value) if entry else None,
                "latest_date": entry.date.isoformat() if entry else None,
                "met": _goal_met(goal, entry.value if entry else None),
                "milestones_total": len(milestones),
                "milestones_reached": len(reached),
                "milestones": [
                    {
                        "title": item.title,
                        "target": _num(item.target_value),
                        "due": item.due_date.isoformat(),
                        "reached_at": item.reached_at.isoformat() if item in reached else None,
                    }
                    for item in milestones
                ],
            }
        )
    return result


def _achievements(student, start, end) -> list[dict]:
    return [
        {
            "code": award.definition.code,
            "name": award.definition.name,
            "description": award.definition.description,
            "icon": award.definition.icon,
            "awarded_on": award.awarded_on.isoformat(),
        }
        for award in for_reports.achievements_for_student(student, start=start, end=end)
    ]


def _attendance(student, pe_class, start, end) -> dict:
    """Present/absent/late counts and rates in the period, with the definitions of
    ``physed.selectors.attendance`` (cancelled sessions never count; attendance = on site,
    participation = present or late)."""
    records = AttendanceRecord.objects.filter(student=student, session__date__range=(start, end)).exclude(
        session__status=SessionStatus.CANCELLED
    )
    if pe_class is not None:
        records = records.filter(session__pe_class=pe_class)
    statuses = list(records.values_list("status", flat=True))
    counts = {status: statuses.count(status) for status in AttendanceStatus.values}
    total = len(statuses)
    on_site = sum(counts[status] for status in ON_SITE_STATUSES)
    participated = sum(counts[status] for status in PARTICIPATING_STATUSES)
    return {
        "total": total,
        "counts": counts,
        "present": counts[AttendanceStatus.PRESENT],
        "absent": counts[AttendanceStatus.ABSENT],
        "late": counts[AttendanceStatus.LATE],
        "attended": on_site,
        "participated": participated,
        "attendance_rate": _rate(on_site, total),
        "participation_rate": _rate(participated, total),
    }


def _comments(student, start, end) -> list[dict]:
    rows = (
        Feedback.objects.filter(
            student=student,
            kind=FeedbackKind.TEACHER_COMMENT,
            visibility=FeedbackVisibility.FAMILY,
            created_at__date__range=(start, end),
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return [
        {
            "date": row.created_at.date().isoformat(),
            "author": (row.author.get_full_name() or row.author.get_username()) if row.author else "",
            "body": row.body,
        }
        for row in rows
    ]


def display_name(student) -> str:
    return student.preferred_name or student.first_name


def report_data(student, *, pe_class, period_start: datetime.date, period_end: datetime.date) -> dict:
    """The snapshot (see the module docstring). ``pe_class`` narrows attendance to that class
    (None: all the student's classes)."""
    return {
        "version": 1,
        "student": {
            "id": student.pk,
            "name": f"{student.first_name} {student.last_name}".strip(),
            "first_name": display_name(student),
            "sex": student.sex,
            "grade": student.grade,
        },
        "class": {"id": pe_class.pk, "name": pe_class.name} if pe_class is not None else None,
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "fitness": _fitness(student, period_start, period_end),
        "skills": _skills(student, period_start, period_end),
        "goals": _goals(student, period_start, period_end),
        "achievements": _achievements(student, period_start, period_end),
        "attendance": _attendance(student, pe_class, period_start, period_end),
        "comments": _comments(student, period_start, period_end),
    }
