"""Celery tasks: environment. ``safety.fetch_environment_readings`` runs every 15 minutes
(CELERY_BEAT_SCHEDULE) and does nothing unless ``SAFETY_WEATHER_PROVIDER`` is set."""

from celery import shared_task


@shared_task(name="safety.fetch_environment_readings")
def fetch_environment_readings() -> dict:
    from safety.services.environment import poll_provider

    return poll_provider()
