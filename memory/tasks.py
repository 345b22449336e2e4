"""Celery tasks: memory clean-up. ``memory.maintenance`` runs every step of
``memory.services.maintenance.run_maintenance`` for every person (the lead's beat schedule runs
it nightly; docs/memory.md) and logs the report."""

import logging

from celery import shared_task

__all__ = ["maintenance"]

logger = logging.getLogger(__name__)


@shared_task(name="memory.maintenance", bind=True, acks_late=True)
def maintenance(self, dry_run: bool = False) -> dict:
    """Returns ``{step: count}``; each change (id, action, reason) is logged."""
    from memory.services.maintenance import run_maintenance

    reports = run_maintenance(dry_run=dry_run)
    for report in reports.values():
        for line in report.lines():
            logger.info("%s", line)
    return {name: report.count for name, report in reports.items()}
