"""Celery tasks: goals. ``mark_missed_goals`` daily after midnight (active goals past their
deadline become missed); ``evaluate_achievements`` nightly (badges from attendance streaks and
anything the after-entry hook could not see). Beat entries: see docs/progress-goals.md."""

from celery import shared_task

__all__ = ["evaluate_achievements", "mark_missed_goals"]


@shared_task(name="progress.mark_missed_goals")
def mark_missed_goals() -> int:
    from progress.services.goals import mark_missed

    return mark_missed()


@shared_task(name="progress.evaluate_achievements")
def evaluate_achievements() -> int:
    from progress.services.achievements import evaluate_all

    return evaluate_all()
