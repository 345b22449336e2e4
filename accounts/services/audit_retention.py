"""Audit retention: the ONE sanctioned way audit rows are ever deleted.

Rows older than ``settings.AUDIT_RETENTION_DAYS`` are removed in a single transaction that also
writes an ``audit.purged`` row with the count. The model and queryset guards
(``AuditEventImmutable``) are bypassed on purpose with a raw ``DELETE``; on PostgreSQL the
append-only trigger allows it only after ``SET LOCAL pe.audit_purge = 'on'`` in the same
transaction, and the flag is switched off again before the transaction ends, so nothing else in an
enclosing transaction can delete audit rows after a purge.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.services.audit import record_event

logger = logging.getLogger(__name__)


def retention_cutoff(now: datetime | None = None) -> datetime | None:
    """Rows that occurred before this moment are expired; ``None`` when retention is off (≤ 0)."""
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days <= 0:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def purge_expired_audit_events(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Deletes audit rows older than the retention period and returns how many (a dry run counts
    them and changes nothing). A real run always writes one ``audit.purged`` row, even for 0."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return 0
    expired = AuditEvent.objects.filter(occurred_at__lt=cutoff)
    if dry_run:
        return expired.count()

    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    with transaction.atomic(using=using):
        postgres = connection.vendor == "postgresql"
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL pe.audit_purge = 'on'")
        # QuerySet.delete() is guarded (AuditEventImmutable); _raw_delete issues one plain DELETE
        # with no signals or cascades — audit rows have no dependants.
        deleted = expired._raw_delete(using)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL pe.audit_purge = 'off'")
        record_event(
            "audit.purged",
            target_type=AuditEvent._meta.label_lower,
            target_label="audit retention purge",
            changes={
                "deleted": deleted,
                "cutoff": cutoff.isoformat(),
                "retention_days": int(settings.AUDIT_RETENTION_DAYS),
            },
        )
    logger.info("audit retention purge deleted %d rows older than %s", deleted, cutoff.isoformat())
    return deleted
