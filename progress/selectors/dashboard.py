"""Reads for the dashboard cards (a student's or guardian's goals and badges)."""

from django.db.models import OuterRef, Subquery

from progress.models import Achievement, Goal, GoalStatus, ProgressEntry

CARD_LIMIT = 5


def _percent_done(baseline: float, target: float, current: float | None) -> int | None:
    if current is None or target == baseline:
        return None
    share = (current - baseline) / (target - baseline)
    return max(0, min(100, round(share * 100)))


def goal_cards(students) -> list[dict]:
    """Active and proposed personal goals of ``students`` (deadline first), each with its latest
    value — one query."""
    if not students:
        return []
    latest = ProgressEntry.objects.filter(
        student=OuterRef("student"), metric_key=OuterRef("metric_key"), date__gte=OuterRef("start_date")
    ).order_by("-date", "-pk")
    rows = (
        Goal.objects.filter(student__in=students, status__in=[GoalStatus.ACTIVE, GoalStatus.PROPOSED])
        .select_related("student")
        .annotate(latest_value=Subquery(latest.values("value")[:1]))
        .order_by("deadline", "pk")[:CARD_LIMIT]
    )
    cards = []
    for goal in rows:
        current = float(goal.latest_value) if goal.latest_value is not None else None
        cards.append(
            {
                "goal": goal,
                "current": current,
                "percent": _percent_done(float(goal.baseline), float(goal.target), current),
            }
        )
    return cards


def recent_badges(students) -> list[Achievement]:
    if not students:
        return []
    return list(
        Achievement.objects.filter(student__in=students)
        .select_related("definition", "student")
        .order_by("-awarded_on", "-pk")[:CARD_LIMIT]
    )
