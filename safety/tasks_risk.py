"""Celery tasks: risk assessments (daily review reminders, scheduled in settings)."""

from celery import shared_task


@shared_task(name="safety.remind_assessment_reviews")
def remind_assessment_reviews() -> int:
    """Notifies the owner of each approved assessment that has reached its review date, once."""
    from safety.services.risk import remind_reviews

    return remind_reviews()
