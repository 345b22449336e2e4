"""Celery tasks: privacy (exports and retention)."""

from celery import shared_task


@shared_task(name="accounts.privacy.run_export", acks_late=True)
def run_export(job_id: str) -> str:
    from accounts.services.privacy import run_export as service

    return service(job_id=job_id).status


@shared_task(name="accounts.privacy.enforce_retention")
def enforce_retention() -> int:
    from accounts.services.privacy import enforce_retention as service

    return sum(item["deleted"] for item in service())
