"""Writing audit events. Call ``record_event`` inside the service's transaction, next to the
change it describes, so the row exists exactly when the change does."""

from django.db import models, transaction

from accounts.models import AuditEvent, School
from config.logging import request_id_var
from config.request_context import client_ip_var, user_agent_var

SENSITIVE_KEYS = ("password", "token", "secret", "refresh", "access", "medical", "note", "diagnos")
MASK = "***"


def mask_changes(changes: dict) -> dict:
    """Masks values whose key looks sensitive, at any depth ({"before": {"password": ...}})."""
    masked = {}
    for key, value in (changes or {}).items():
        if any(marker in str(key).lower() for marker in SENSITIVE_KEYS):
            masked[key] = MASK
        elif isinstance(value, dict):
            masked[key] = mask_changes(value)
        else:
            masked[key] = value
    return masked


def diff(before: dict, after: dict) -> dict:
    """{"field": {"before": x, "after": y}} for the keys whose value changed."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_event(
    action: str,
    *,
    actor=None,
    school=None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Appends one audit row. ``action`` is dotted, e.g. ``auth.login_succeeded``. The request id,
    truncated IP and user agent come from the request context."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_label = target_label or f"{target._meta.verbose_name} #{target.pk}"
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        school=school,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_label=str(target_label)[:200],
        ip_address=client_ip_var.get(),
        user_agent=user_agent_var.get(),
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
        changes=mask_changes(changes or {}),
    )


@transaction.atomic
def record_audit_export(*, actor, school_ids, filters: dict, rows: int, file_format: str = "csv") -> list[AuditEvent]:
    """Audits an export of the audit log: one ``audit.exported`` row per school whose rows were
    exported (``None`` stands for rows without a school or a platform-wide export), each naming
    the filters used and how many rows the file holds."""
    wanted = set(school_ids)
    schools = School.objects.in_bulk([school_id for school_id in wanted if school_id is not None])
    # a school deleted since keeps dangling ids on its rows: such an export is recorded school-less
    targets = sorted(schools.values(), key=lambda school: school.pk)
    if None in wanted or len(schools) < len(wanted) or not targets:
        targets.append(None)
    return [
        record_event(
            "audit.exported",
            actor=actor,
            school=school,
            target_type=AuditEvent._meta.label_lower,
            target_label=f"audit log export ({file_format})",
            changes={"filters": dict(sorted(filters.items())), "rows": rows, "format": file_format},
        )
        for school in targets
    ]
