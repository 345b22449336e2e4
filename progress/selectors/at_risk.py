"""At-risk students of a class (issue 7 §4), each flagged with the reasons and their numbers.

Rules and cut-offs are data: ``progress/data/at_risk_rules.json`` (our own defaults, documented
there and in docs/progress-forecasts.md):

* ``goal_forecast`` — an active goal (of the student or of the class) whose deadline is ahead and
  whose forecast chance of reaching the target is below ``max_probability``;
* ``aerobic_zone`` — the latest aerobic result (``ProgressEntry.zone`` of the listed fitness
  metrics) is in a listed zone (NI-HR);
* ``attendance`` — attendance rate in this class over the last ``weeks`` weeks below ``min_rate``
  (at least ``min_sessions`` recorded sessions; definitions as in physed.selectors.attendance);
* ``declining_fitness`` — on a fitness metric the latest result is worse than the previous one
  by at least ``min_change_percent`` % in the metric's direction (the last two testing events).

Queries do not grow with the class: one query per data kind (entries, attendance, goals).
"""

import datetime
import json
from collections import defaultdict
from functools import cache
from pathlib import Path

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import has_school_perm, roles_in
from physed.models import AttendanceRecord, Enrollment, EnrollmentStatus, SessionStatus
from physed.models.sessions import ON_SITE_STATUSES
from progress import metrics
from progress.models import Goal, GoalStatus, ProgressEntry
from progress.selectors.forecasts import forecast_from_series, series_for

ATTENDANCE_KEY = "attendance.rate"

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "at_risk_rules.json"


@cache
def rules() -> dict:
    return json.loads(RULES_FILE.read_text())["rules"]


def staff_class_access(user, pe_class, perm: str) -> bool:
    """Class-level staff access: ``perm`` in the class's school, and either a school-wide role
    (department head, school admin) or one of the class's teachers. Superusers always."""
    if user.is_superuser:
        return True
    if not has_school_perm(user, perm, pe_class.school_id):
        return False
    if {Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN} & set(roles_in(user, pe_class.school_id)):
        return True
    return pe_class.teachers.filter(pk=user.pk).exists()


def _name(first, preferred, last) -> str:
    return f"{preferred or first} {last}".strip()


def class_students(pe_class) -> dict[int, str]:
    rows = (
        Enrollment.objects.filter(pe_class=pe_class, status=EnrollmentStatus.ACTIVE)
        .order_by("student__last_name", "student__first_name", "student_id")
        .values_list("student_id", "student__first_name", "student__preferred_name", "student__last_name")
    )
    return {sid: _name(first, preferred, last) for sid, first, preferred, last in rows}


def _goal_series(goals: list[Goal], student_ids: list[int]) -> dict[int, list]:
    """The series of every goal: student goals on a fitness/metric key in one query (the same
    values as ``progress.selectors.goals.goal_series`` — the last entry of a day stands for the
    day); class goals and attendance goals (a few per class) through ``series_for``."""
    batched = [goal for goal in goals if goal.student_id and goal.metric_key != ATTENDANCE_KEY]
    series = {goal.pk: series_for(goal) for goal in goals if goal not in batched}
    if not batched:
        return series
    rows = (
        ProgressEntry.objects.filter(
            student_id__in={goal.student_id for goal in batched},
            metric_key__in={goal.metric_key for goal in batched},
            date__gte=min(goal.start_date for goal in batched),
        )
        .order_by("date", "pk")
        .values_list("student_id", "metric_key", "date", "value")
    )
    per_day: dict[tuple, dict] = defaultdict(dict)
    for sid, key, day, value in rows:
        per_day[(sid, key)][day] = float(value)
    for goal in batched:
        days = per_day.get((goal.student_id, goal.metric_key), {})
        series[goal.pk] = sorted((day, value) for day, value in days.items() if day >= goal.start_date)
    return series


def class_goals(pe_class, student_ids: list[int]) -> list[Goal]:
    return list(
        Goal.objects.filter(Q(student_id__in=student_ids) | Q(pe_class=pe_class), school_id=pe_class.school_id)
        .filter(status=GoalStatus.ACTIVE)
        .select_related("student")
        .order_by("deadline", "pk")
    )


def goal_forecasts(pe_class, student_ids: list[int]) -> list[tuple[Goal, dict]]:
    goals = class_goals(pe_class, student_ids)
    series = _goal_series(goals, student_ids)
    return [(goal, forecast_from_series(goal, series.get(goal.pk, []))) for goal in goals]


def _attendance(pe_class, student_ids, rule, today) -> dict[int, tuple[int, int]]:
    since = today - datetime.timedelta(weeks=rule["weeks"])
    rows = (
        AttendanceRecord.objects.filter(
            session__pe_class=pe_class, student_id__in=student_ids, session__date__gte=since, session__date__lte=today
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .values("student_id")
        .annotate(total=Count("pk"), on_site=Count("pk", filter=Q(status__in=list(ON_SITE_STATUSES))))
    )
    return {row["student_id"]: (row["on_site"], row["total"]) for row in rows}


def _direction(school, key: str, cache_: dict) -> bool:
    if key not in cache_:
        info = metrics.describe(school, key)
        cache_[key] = True if info is None else info.higher_is_better
    return cache_[key]


def at_risk(pe_class, *, today: datetime.date | None = None, forecasts: list | None = None) -> list[dict]:
    """Flagged students of the class, most reasons first: ``{"student", "name", "reasons": [...]}``;
    each reason has ``rule``, ``message`` and its numbers."""
    today = today or timezone.localdate()
    conf = rules()
    students = class_students(pe_class)
    ids = list(students)
    reasons: dict[int, list[dict]] = defaultdict(list)

    rule = conf["goal_forecast"]
    if rule["enabled"]:
        pairs = forecasts if forecasts is not None else goal_forecasts(pe_class, ids)
        for goal, result in pairs:
            if not result["available"] or goal.deadline < today or result["probability"] >= rule["max_probability"]:
                continue
            targets = [goal.student_id] if goal.student_id else ids
            for sid in targets:
                if sid not in students:
                    continue
                reasons[sid].append(
                    {
                        "rule": "goal_forecast",
                        "goal": goal.pk,
                        "probability": result["probability"],
                        "threshold": rule["max_probability"],
                        "projected": result["projected"],
                        "target": result["target"],
                        "message": _(
                            "Goal “%(title)s”: %(chance)s%% chance of reaching %(target)s by %(deadline)s "
                            "(projected %(projected)s; flagged below %(limit)s%%)."
                        )
                        % {
                            "title": goal.title,
                            "chance": round(result["probability"] * 100),
                            "target": f"{result['target']:g}",
                            "deadline": goal.deadline.isoformat(),
                            "projected": f"{result['projected']:.1f}",
                            "limit": round(rule["max_probability"] * 100),
                        },
                    }
                )

    fitness_rows = []
    zone_rule, trend_rule = conf["aerobic_zone"], conf["declining_fitness"]
    if zone_rule["enabled"] or trend_rule["enabled"]:
        prefix = trend_rule["metric_prefix"]
        fitness_rows = list(
            ProgressEntry.objects.filter(student_id__in=ids, metric_key__startswith=prefix, date__lte=today)
            .order_by("student_id", "metric_key", "date", "pk")
            .values_list("student_id", "metric_key", "date", "value", "zone")
        )
    per_metric: dict[tuple, list] = defaultdict(list)
    for sid, key, day, value, zone in fitness_rows:
        per_metric[(sid, key)].append((day, float(value), zone))

    if zone_rule["enabled"]:
        aerobic = set(zone_rule["metric_keys"])
        latest: dict[int, tuple] = {}
        for (sid, key), points in per_metric.items():
            if key in aerobic:
                day, value, zone = points[-1]
                if sid not in latest or day > latest[sid][0]:
                    latest[sid] = (day, value, zone, key)
        for sid, (day, value, zone, key) in latest.items():
            if zone in zone_rule["zones"]:
                reasons[sid].append(
                    {
                        "rule": "aerobic_zone",
                        "metric_key": key,
                        "zone": zone,
                        "value": value,
                        "date": day,
                        "message": _("Latest aerobic result %(value)s (%(metric)s, %(date)s) is in zone %(zone)s.")
                        % {"value": f"{value:g}", "metric": key, "date": day.isoformat(), "zone": zone},
                    }
                )

    if trend_rule["enabled"]:
        directions: dict = {}
        for (sid, key), points in sorted(per_metric.items()):
            if len(points) < 2:
                continue
            (day0, before, _z0), (day1, after, _z1) = points[-2], points[-1]
            higher = _direction(pe_class.school, key, directions)
            worse_by = (before - after) if higher else (after - before)
            if before == 0 or worse_by <= 0:
                continue
            percent = worse_by / abs(before) * 100
            if percent >= trend_rule["min_change_percent"]:
                reasons[sid].append(
                    {
                        "rule": "declining_fitness",
                        "metric_key": key,
                        "previous": before,
                        "latest": after,
                        "previous_date": day0,
                        "latest_date": day1,
                        "change_percent": round(percent, 1),
                        "message": _("%(metric)s fell from %(before)s to %(after)s (%(percent)s%% worse).")
                        % {"metric": key, "before": f"{before:g}", "after": f"{after:g}", "percent": f"{percent:.1f}"},
                    }
                )

    rule = conf["attendance"]
    if rule["enabled"]:
        for sid, (on_site, total) in _attendance(pe_class, ids, rule, today).items():
            if total < rule["min_sessions"]:
                continue
            rate = on_site / total
            if rate < rule["min_rate"]:
                reasons[sid].append(
                    {
                        "rule": "attendance",
                        "rate": round(rate, 4),
                        "sessions": total,
                        "on_site": on_site,
                        "weeks": rule["weeks"],
                        "threshold": rule["min_rate"],
                        "message": _(
                            "Attended %(on_site)s of %(total)s sessions in the last %(weeks)s weeks "
                            "(%(rate)s%%; flagged below %(limit)s%%)."
                        )
                        % {
                            "on_site": on_site,
                            "total": total,
                            "weeks": rule["weeks"],
                            "rate": round(rate * 100),
                            "limit": round(rule["min_rate"] * 100),
                        },
                    }
                )

    flagged = [{"student": sid, "name": students[sid], "reasons": reasons[sid]} for sid in students if reasons.get(sid)]
    flagged.sort(key=lambda row: (-len(row["reasons"]), row["name"]))
    return flagged


def class_forecasts(pe_class, *, today: datetime.date | None = None) -> dict:
    """Everything the forecasts page and endpoint show for a class."""
    today = today or timezone.localdate()
    students = class_students(pe_class)
    pairs = goal_forecasts(pe_class, list(students))
    goals = []
    for goal, result in pairs:
        goals.append(
            {
                **result,
                "title": goal.title,
                "student": goal.student_id,
                "student_name": students.get(goal.student_id, "") if goal.student_id else "",
                "class_goal": goal.pe_class_id is not None,
                "goal_obj": goal,
            }
        )
    return {
        "pe_class": pe_class.pk,
        "today": today,
        "goals": goals,
        "at_risk": at_risk(pe_class, today=today, forecasts=pairs),
        "students": len(students),
    }
