"""Goal reads: who sees which goals and entries, and the values a goal is measured by.

Stable contract for the forecasts area: ``goal_series(goal)`` and ``current_value(goal)``.

*Visibility.* Staff holding ``progress.view_goal`` in a school see that school's goals and
entries; a student or guardian sees the goals of the students they are linked to
(``physed.selectors.roster.linked_students``) and the class goals of those students' current
classes (the class mean only — never another student's values).

*Series.* A student goal is measured by the student's entries of the goal's metric dated on or
after the goal's start. A class goal is measured, on each date an enrolled student has an entry,
by the mean of every currently enrolled student's latest value up to that date (students with no
entry yet are left out of the mean). ``attendance.rate`` has no entry rows: it is computed from
physed attendance — the cumulative share (in %) of recorded sessions since the goal's start in
which the student was on site (physed's attendance rate: present, late, not dressed, sitting out,
medical), per session date; for a class goal over the class's sessions and enrolled students.
"""

import datetime
from collections import defaultdict

from django.db.models import Q

from accounts.selectors import schools_where
from physed.models import Enrollment, EnrollmentStatus
from physed.selectors.roster import linked_students
from progress.models import Achievement, Goal, GoalStatus, ProgressEntry

VIEW_GOAL = "progress.view_goal"
VIEW_ACHIEVEMENT = "progress.view_achievement"
ATTENDANCE_KEY = "attendance.rate"
OPEN_STATUSES = (GoalStatus.ACTIVE, GoalStatus.PROPOSED)


def _linked_ids(user) -> list[int]:
    return list(linked_students(user).values_list("pk", flat=True))


def _class_ids_of(student_ids) -> list[int]:
    return list(
        Enrollment.objects.filter(student_id__in=student_ids, status=EnrollmentStatus.ACTIVE).values_list(
            "pe_class_id", flat=True
        )
    )


def goals_visible_to(user):
    base = Goal.objects.visible_to(user)
    if user is None or not user.is_authenticated or user.is_superuser:
        return base
    linked = _linked_ids(user)
    condition = Q(school__in=schools_where(user, VIEW_GOAL)) | Q(student__in=linked)
    if linked:
        condition |= Q(pe_class__in=_class_ids_of(linked))
    return base.filter(condition)


def entries_visible_to(user):
    base = ProgressEntry.objects.visible_to(user)
    if user is None or not user.is_authenticated or user.is_superuser:
        return base
    return base.filter(Q(school__in=schools_where(user, VIEW_GOAL)) | Q(student__in=_linked_ids(user)))


def achievements_visible_to(user):
    base = Achievement.objects.visible_to(user)
    if user is None or not user.is_authenticated or user.is_superuser:
        return base
    return base.filter(Q(student__school__in=schools_where(user, VIEW_ACHIEVEMENT)) | Q(student__in=_linked_ids(user)))


def is_staff_viewer(user, school_id: int, perm: str = VIEW_GOAL) -> bool:
    from accounts.selectors import has_school_perm

    return bool(user and user.is_authenticated and (user.is_superuser or has_school_perm(user, perm, school_id)))


def can_view_student(user, student) -> bool:
    return is_staff_viewer(user, student.school_id) or student.pk in _linked_ids(user)


def list_queryset(queryset):
    return queryset.select_related("student", "pe_class", "school").prefetch_related("milestones")


def enrolled_ids(pe_class) -> list[int]:
    return list(
        Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE).values_list(
            "student_id", flat=True
        )
    )


def reached(goal_or_direction, value, target) -> bool:
    """``value`` reaches ``target`` in the metric's direction (``goal`` or a bool: higher is better)."""
    higher = goal_or_direction if isinstance(goal_or_direction, bool) else goal_or_direction.higher_is_better
    if value is None:
        return False
    return float(value) >= float(target) if higher else float(value) <= float(target)


def _mean_of_latest(rows: list[tuple[datetime.date, int, float]]) -> list[tuple[datetime.date, float]]:
    """rows (date, student, value) sorted by date → (date, mean of each student's latest value)."""
    latest: dict[int, float] = {}
    series: dict[datetime.date, float] = {}
    for day, student_id, value in rows:
        latest[student_id] = value
        series[day] = round(sum(latest.values()) / len(latest), 2)
    return sorted(series.items())


def _attendance_series(student_ids, start: datetime.date, pe_class=None) -> list[tuple[datetime.date, float]]:
    from physed.models import AttendanceRecord, SessionStatus
    from physed.models.sessions import ON_SITE_STATUSES

    rows = AttendanceRecord.objects.filter(student_id__in=student_ids, session__date__gte=start).exclude(
        session__status=SessionStatus.CANCELLED
    )
    if pe_class is not None:
        rows = rows.filter(session__pe_class=pe_class)
    per_day: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, status in rows.order_by("session__date").values_list("session__date", "status"):
        per_day[day][0] += 1 if status in ON_SITE_STATUSES else 0
        per_day[day][1] += 1
    on_site = recorded = 0
    series = []
    for day in sorted(per_day):
        on_site += per_day[day][0]
        recorded += per_day[day][1]
        series.append((day, round(on_site / recorded * 100, 2)))
    return series


def goal_series(goal: Goal) -> list[tuple[datetime.date, float]]:
    """The values ``goal`` is measured by, oldest first (see the module docstring)."""
    if goal.pe_class_id:
        students = enrolled_ids(goal.pe_class)
        if goal.metric_key == ATTENDANCE_KEY:
            return _attendance_series(students, goal.start_date, goal.pe_class)
        rows = (
            ProgressEntry.objects.filter(student_id__in=students, metric_key=goal.metric_key, date__gte=goal.start_date)
            .order_by("date", "pk")
            .values_list("date", "student_id", "value")
        )
        return _mean_of_latest([(day, student, float(value)) for day, student, value in rows])
    if goal.metric_key == ATTENDANCE_KEY:
        return _attendance_series([goal.student_id], goal.start_date)
    rows = (
        ProgressEntry.objects.filter(student_id=goal.student_id, metric_key=goal.metric_key, date__gte=goal.start_date)
        .order_by("date", "pk")
        .values_list("date", "value")
    )
    per_day: dict[datetime.date, float] = {}
    for day, value in rows:
        per_day[day] = float(value)  # the last entry of a day stands for that day
    return sorted(per_day.items())


def current_value(goal: Goal) -> float | None:
    series = goal_series(goal)
    return series[-1][1] if series else None


def default_baseline(*, metric_key: str, start: datetime.date, student=None, pe_class=None) -> float | None:
    """The latest value before ``start``: the student's, or the class mean of enrolled students'."""
    if metric_key == ATTENDANCE_KEY:
        return None
    if student is not None:
        entry = (
            ProgressEntry.objects.filter(student=student, metric_key=metric_key, date__lt=start)
            .order_by("-date", "-pk")
            .first()
        )
        return float(entry.value) if entry else None
    rows = (
        ProgressEntry.objects.filter(student_id__in=enrolled_ids(pe_class), metric_key=metric_key, date__lt=start)
        .order_by("date", "pk")
        .values_list("date", "student_id", "value")
    )
    series = _mean_of_latest([(day, sid, float(value)) for day, sid, value in rows])
    return series[-1][1] if series else None


def percent_done(goal: Goal, current: float | None) -> int | None:
    baseline, target = float(goal.baseline), float(goal.target)
    if current is None or target == baseline:
        return None
    return max(0, min(100, round((current - baseline) / (target - baseline) * 100)))


def class_student_progress(goal: Goal) -> list[dict]:
    """Per enrolled student of a class goal: latest value since the start and share of the way."""
    from physed.models import Student

    students = Student.objects.filter(pk__in=enrolled_ids(goal.pe_class)).order_by("last_name", "first_name", "pk")
    latest: dict[int, float] = {}
    if goal.metric_key != ATTENDANCE_KEY:
        for sid, value in (
            ProgressEntry.objects.filter(student__in=students, metric_key=goal.metric_key, date__gte=goal.start_date)
            .order_by("date", "pk")
            .values_list("student_id", "value")
        ):
            latest[sid] = float(value)
    else:
        for student in students:
            series = _attendance_series([student.pk], goal.start_date, goal.pe_class)
            if series:
                latest[student.pk] = series[-1][1]
    return [
        {
            "student": student,
            "current": latest.get(student.pk),
            "percent": percent_done(goal, latest.get(student.pk)),
            "reached": reached(goal, latest.get(student.pk), goal.target),
        }
        for student in students
    ]


def goal_progress(goal: Goal) -> dict:
    series = goal_series(goal)
    current = series[-1][1] if series else None
    return {
        "series": series,
        "current": current,
        "percent": percent_done(goal, current),
        "reached": reached(goal, current, goal.target),
    }


def progress_for(goals) -> dict[int, dict]:
    """``goal_progress`` for many goals with a fixed number of queries (lists): one query for the
    enrolments of the class goals, one for the entries; ``attendance.rate`` goals one each."""
    goals = list(goals)
    result: dict[int, dict] = {}
    class_ids = {g.pe_class_id for g in goals if g.pe_class_id and g.metric_key != ATTENDANCE_KEY}
    members: dict[int, set[int]] = defaultdict(set)
    if class_ids:
        for class_id, student_id in Enrollment.objects.filter(
            pe_class_id__in=class_ids, status=EnrollmentStatus.ACTIVE
        ).values_list("pe_class_id", "student_id"):
            members[class_id].add(student_id)
    students = {g.student_id for g in goals if g.student_id} | {sid for ids in members.values() for sid in ids}
    keys = {g.metric_key for g in goals if g.metric_key != ATTENDANCE_KEY}
    rows: list[tuple] = []
    if students and keys:
        rows = list(
            ProgressEntry.objects.filter(student_id__in=students, metric_key__in=keys)
            .order_by("date", "pk")
            .values_list("student_id", "metric_key", "date", "value")
        )
    for goal in goals:
        if goal.metric_key == ATTENDANCE_KEY:
            result[goal.pk] = goal_progress(goal)
            continue
        if goal.pe_class_id:
            ids = members.get(goal.pe_class_id, set())
            picked = [
                (d, sid, float(v))
                for sid, k, d, v in rows
                if k == goal.metric_key and sid in ids and d >= goal.start_date
            ]
            series = _mean_of_latest(picked)
        else:
            per_day: dict[datetime.date, float] = {}
            for sid, key, day, value in rows:
                if sid == goal.student_id and key == goal.metric_key and day >= goal.start_date:
                    per_day[day] = float(value)
            series = sorted(per_day.items())
        current = series[-1][1] if series else None
        result[goal.pk] = {
            "series": series,
            "current": current,
            "percent": percent_done(goal, current),
            "reached": reached(goal, current, goal.target),
        }
    return result
