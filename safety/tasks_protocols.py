"""Celery tasks: protocols. ``safety.remind_reviews`` runs daily (CELERY_BEAT_SCHEDULE): protocol
review reminders (once per review cycle) and drills falling due (once per due date)."""

from celery import shared_task


@shared_task(name="safety.remind_reviews")
def remind_reviews() -> dict:
    from safety.services.protocols_reminders import remind_reviews as run

    return run()
