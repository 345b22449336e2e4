"""Celery tasks: audit."""

from celery import shared_task
from django.db import OperationalError

from accounts.services.audit_retention import purge_expired_audit_events

PURGE_TASK_NAME = "accounts.audit.purge_expired_audit_events"


@shared_task(
    name=PURGE_TASK_NAME,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=3,
)
def purge_expired_audit_events_task(dry_run: bool = False) -> int:
    """Daily (CELERY_BEAT_SCHEDULE): deletes audit rows past AUDIT_RETENTION_DAYS; returns the count."""
    return purge_expired_audit_events(dry_run=dry_run)
