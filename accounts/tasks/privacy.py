"""Celery tasks: privacy (exports and retention)."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


def _backoff(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: exponential, capped."""
    base = settings.PRIVACY_EXPORT_RETRY_BACKOFF_SECONDS
    return min(base * (2**retries), settings.PRIVACY_EXPORT_RETRY_BACKOFF_MAX_SECONDS)


@shared_task(
    bind=True,
    name="accounts.privacy.run_export",
    # the message is acknowledged only once the task returns; a worker killed mid-export (SIGKILL,
    # OOM) leaves it to be redelivered, and the job's lease decides who builds it (the job id is the
    # idempotency key: see accounts.services.privacy.run_export)
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_export(self, job_id: str) -> str:
    from accounts.services import privacy as service

    # bounded: the job's attempts counter ends it FAILED after PRIVACY_EXPORT_MAX_ATTEMPTS runs;
    # this only stops a message that keeps finding the job busy from looping forever
    max_retries = settings.PRIVACY_EXPORT_MAX_ATTEMPTS * 4
    try:
        return service.run_export(job_id=job_id).status
    except service.ExportBusy as busy:
        logger.info("export %s is running elsewhere; checking again in %.0fs", job_id, busy.retry_in)
        raise self.retry(countdown=busy.retry_in + 1, max_retries=max_retries) from None
    except service.TRANSIENT_EXPORT_ERRORS as exc:
        from accounts.models import DataExportJob, JobStatus

        try:
            gave_up = DataExportJob.objects.filter(pk=job_id, status=JobStatus.FAILED).exists()
        except service.TRANSIENT_EXPORT_ERRORS:
            gave_up = False  # the database is still away: retry; the job's lease and attempts decide later
        if gave_up:
            return JobStatus.FAILED  # the service gave up (attempts used up): audited and logged there
        countdown = _backoff(self.request.retries)
        logger.warning("export %s: retry %d in %.1fs (%s)", job_id, self.request.retries + 1, countdown, exc)
        raise self.retry(exc=exc, countdown=countdown, max_retries=max_retries) from None


@shared_task(name="accounts.privacy.enforce_retention")
def enforce_retention() -> int:
    from accounts.services.privacy import enforce_retention as service

    return sum(item["deleted"] for item in service())
