"""Celery tasks: progress reports (bulk generation for a class, see ``services.reports.run_batch``)."""

from celery import shared_task

__all__ = ["run_report_batch"]


@shared_task(name="assessments.reports.run_batch", acks_late=True)
def run_report_batch(batch_id: str) -> str:
    from assessments.services.reports import run_batch

    return run_batch(batch_id=batch_id).status
