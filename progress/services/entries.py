"""Progress entries: the one write path for dated metric values (see ``progress.models.goals``).

Other apps call ``record_entry`` / ``remove_entry`` when a source record is saved or deleted (the
assessments app for fitness results, this app's physed listener for session results).
``(source, source_id)`` makes it an upsert. After the transaction commits, ``after_entries``
brings the student's goals, milestones and achievements up to date.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from progress.models import EntrySource, ProgressEntry

_AFTER_ENTRY_HOOKS: list = []


def on_entries_changed(fn) -> None:
    """``fn(student_ids: set[int], metric_keys: set[str])``, run on commit after entries change
    (goal and milestone progress, achievements). Registered by this app's services."""
    if fn not in _AFTER_ENTRY_HOOKS:
        _AFTER_ENTRY_HOOKS.append(fn)


def _after_commit(student_ids: set[int], keys: set[str]) -> None:
    for fn in list(_AFTER_ENTRY_HOOKS):
        transaction.on_commit(lambda fn=fn: fn(set(student_ids), set(keys)))


@transaction.atomic
def record_entry(
    *,
    student,
    metric_key: str,
    value,
    date: datetime.date,
    source: str,
    source_id: str = "",
    zone: str = "",
    group_key: str = "",
    note: str = "",
    recorded_by=None,
) -> ProgressEntry:
    """Creates or (same ``source``/``source_id``) updates one entry. Callers have checked the
    value and the actor's permission; this only stores and triggers the follow-ups."""
    fields = {
        "school_id": student.school_id,
        "student": student,
        "metric_key": metric_key,
        "value": Decimal(str(value)),
        "date": date,
        "zone": zone,
        "group_key": group_key,
        "note": note,
        "recorded_by": recorded_by if recorded_by is not None and recorded_by.is_authenticated else None,
    }
    if source_id:
        entry, _created = ProgressEntry.objects.update_or_create(source=source, source_id=source_id, defaults=fields)
    else:
        entry = ProgressEntry.objects.create(source=source or EntrySource.MANUAL, **fields)
    _after_commit({student.pk}, {metric_key})
    return entry


@transaction.atomic
def remove_entry(*, source: str, source_id: str) -> int:
    rows = list(
        ProgressEntry.objects.filter(source=source, source_id=source_id).values_list("student_id", "metric_key")
    )
    deleted, _detail = ProgressEntry.objects.filter(source=source, source_id=source_id).delete()
    if rows:
        _after_commit({row[0] for row in rows}, {row[1] for row in rows})
    return deleted


ADD_ENTRY = "progress.add_progressentry"


@transaction.atomic
def add_manual_entry(
    *, actor, student, metric_key: str, value, date: datetime.date, note: str = "", school=None
) -> ProgressEntry:
    """A value entered by hand (``add_progressentry`` in the student's school). The metric must be
    in the catalogue and not computed (``attendance.rate``); the value within the metric's range;
    the date not in the future."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from accounts.selectors import has_school_perm
    from accounts.services.audit import record_event
    from accounts.services.errors import ServiceError
    from progress import metrics

    if actor is not None and not has_school_perm(actor, ADD_ENTRY, student.school_id):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)
    if school is not None and school.pk != student.school_id:
        raise ServiceError(_("The student belongs to another school."), field="school")
    info = metrics.describe(student.school, metric_key or "")
    if info is None or info.key == "attendance.rate":
        raise ServiceError(_("Unknown metric, or one computed from other records."), field="metric_key")
    try:
        number = Decimal(str(value))
    except Exception:
        raise ServiceError(_("Enter a number."), field="value") from None
    if not number.is_finite():
        raise ServiceError(_("Enter a number."), field="value")
    if (info.min_value is not None and number < Decimal(str(info.min_value))) or (
        info.max_value is not None and number > Decimal(str(info.max_value))
    ):
        raise ServiceError(
            _("The value must be between %(low)s and %(high)s.") % {"low": info.min_value, "high": info.max_value},
            field="value",
        )
    if number != number.quantize(Decimal("0.01")):
        raise ServiceError(_("Use at most 2 decimal places."), field="value")
    if date > timezone.localdate():
        raise ServiceError(_("The date is in the future."), field="date")
    entry = record_entry(
        student=student,
        metric_key=info.key,
        value=number,
        date=date,
        source=EntrySource.MANUAL,
        note=(note or "")[:300],
        recorded_by=actor,
    )
    record_event(
        "progress.entry_added",
        actor=actor if actor is not None and actor.is_authenticated else None,
        school=student.school,
        target=entry,
        changes={"student": student.pk, "metric_key": info.key, "value": str(number), "date": date.isoformat()},
    )
    return entry
