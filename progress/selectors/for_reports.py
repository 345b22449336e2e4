"""What other apps (assessments' progress reports, later the assistant) read about a student's
progress. Contract kept stable for them; the progress screens have their own selectors."""

import datetime

from django.db.models import Q

from progress.models import Achievement, Goal, GoalStatus, Milestone, ProgressEntry


def goals_for_student(student, *, start: datetime.date, end: datetime.date) -> list[Goal]:
    """The student's own goals and their classes' goals that overlap [start, end] (not rejected),
    with milestones prefetched."""
    class_ids = list(student.enrollments.values_list("pe_class_id", flat=True))
    return list(
        Goal.objects.filter(Q(student=student) | Q(pe_class_id__in=class_ids))
        .exclude(status__in=[GoalStatus.REJECTED, GoalStatus.CANCELLED])
        .filter(start_date__lte=end, deadline__gte=start)
        .prefetch_related("milestones")
        .order_by("deadline", "pk")
    )


def achievements_for_student(student, *, start: datetime.date | None = None, end: datetime.date | None = None):
    rows = Achievement.objects.filter(student=student).select_related("definition")
    if start:
        rows = rows.filter(awarded_on__gte=start)
    if end:
        rows = rows.filter(awarded_on__lte=end)
    return list(rows.order_by("awarded_on", "pk"))


def entries_for_student(student, metric_key: str, *, end: datetime.date | None = None) -> list[ProgressEntry]:
    rows = ProgressEntry.objects.filter(student=student, metric_key=metric_key)
    if end:
        rows = rows.filter(date__lte=end)
    return list(rows.order_by("date", "pk"))


def milestones_of(goal: Goal) -> list[Milestone]:
    return list(goal.milestones.all())
