"""Recording performance results (the entry grid and the bulk API) and the school's own metric
types.

A value is checked against its metric before anything is written: within the metric's valid
range, a whole number for counts, no more decimals than the metric keeps. Results belong to
students who took part (present or late) in the session. A bulk write is all or nothing, with
per-row errors, so a teacher fixes the one typo and saves again.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import (
    AttendanceRecord,
    ClassSession,
    MetricType,
    PerformanceResult,
    SessionStatus,
    ValueKind,
)
from physed.models.sessions import PARTICIPATING_STATUSES
from physed.services.sessions_common import RowErrors, require

MAX_ROWS = 2000


@dataclass
class ResultEntry:
    student: int
    metric: int
    value: Decimal | None  # None removes a recorded value
    block: int | None = None
    note: str = ""


def _number(value) -> str:
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text


def value_error(metric: MetricType, value) -> str | None:
    """Why ``value`` is not valid for ``metric`` (None when it is)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return _("Enter a number.")
    if not number.is_finite():
        return _("Enter a number.")
    if number < metric.min_value or number > metric.max_value:
        return _("Must be between %(low)s and %(high)s %(unit)s.") % {
            "low": _number(metric.min_value),
            "high": _number(metric.max_value),
            "unit": metric.unit,
        }
    places = 0 if metric.value_kind == ValueKind.COUNT else metric.decimal_places
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        if places == 0:
            return _("Must be a whole number.")
        return _("Use at most %(places)s decimal places.") % {"places": places}
    return None


def metrics_for_school(school_id: int, ids=None, codes=None):
    """The metric types a school may use: shipped ones and its own."""
    queryset = MetricType.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    if codes is not None:
        queryset = queryset.filter(code__in=codes)
    return queryset


_RESULT_LISTENERS: dict = {}


def register_result_listener(name: str, fn) -> None:
    """Apps above physed (progress) follow recorded results without physed importing them:
    ``fn(session, student_metric_pairs: list[tuple[int, int]])`` runs on commit after every
    ``record_results`` (saved and removed pairs alike; the listener re-reads what is stored)."""
    _RESULT_LISTENERS[name] = fn


def _notify_listeners(session, pairs) -> None:
    for fn in list(_RESULT_LISTENERS.values()):
        transaction.on_commit(lambda fn=fn: fn(session, pairs))


@transaction.atomic
def record_results(*, actor, session: ClassSession, entries: list[ResultEntry]) -> dict[str, int]:
    """Upserts one value per (student, metric) in the session; ``value=None`` deletes it.
    Returns {"saved": n, "removed": n}."""
    require(actor, "physed.run_session", session)
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("Results cannot be recorded for a cancelled session."), field="session")
    if len(entries) > MAX_ROWS:
        raise ServiceError(_("Send at most %(max)s results at a time.") % {"max": MAX_ROWS}, field="results")
    school_id = session.pe_class.school_id
    metrics = {m.pk: m for m in metrics_for_school(school_id, ids={entry.metric for entry in entries})}
    participating = set(
        AttendanceRecord.objects.filter(session=session, status__in=PARTICIPATING_STATUSES).values_list(
            "student_id", flat=True
        )
    )
    wanted_blocks = {entry.block for entry in entries if entry.block is not None}
    blocks = set(session.blocks.filter(pk__in=wanted_blocks).values_list("pk", flat=True)) if wanted_blocks else set()

    rows: dict[int, dict[str, list[str]]] = {}
    seen: set[tuple[int, int]] = set()
    for index, entry in enumerate(entries):
        errors: dict[str, list[str]] = {}
        metric = metrics.get(entry.metric)
        if metric is None:
            errors["metric"] = [_("Unknown metric.")]
        elif entry.value is not None and (problem := value_error(metric, entry.value)):
            errors["value"] = [problem]
        if entry.student not in participating:
            errors["student"] = [_("This student is not marked present or late in this session.")]
        if entry.block is not None and entry.block not in blocks:
            errors["block"] = [_("This block is not part of the session.")]
        if (entry.student, entry.metric) in seen:
            errors["metric"] = [_("This student already has a value for this metric in the request.")]
        if len(entry.note or "") > 300:
            errors["note"] = [_("Keep the note under 300 characters.")]
        seen.add((entry.student, entry.metric))
        if errors:
            rows[index] = errors
    if rows:
        raise RowErrors(_("Some results are invalid; nothing was saved."), field="results", rows=rows)

    recorder = actor if actor is not None and actor.is_authenticated else None
    to_save = [
        PerformanceResult(
            session=session,
            student_id=entry.student,
            metric_id=entry.metric,
            block_id=entry.block,
            value=Decimal(str(entry.value)),
            note=entry.note or "",
            recorded_by=recorder,
        )
        for entry in entries
        if entry.value is not None
    ]
    removed = 0
    to_remove = [entry for entry in entries if entry.value is None]
    if to_remove:
        condition = Q()
        for entry in to_remove:
            condition |= Q(student_id=entry.student, metric_id=entry.metric)
        removed, _detail = PerformanceResult.objects.filter(condition, session=session).delete()
    if to_save:
        PerformanceResult.objects.bulk_create(
            to_save,
            update_conflicts=True,
            unique_fields=["session", "student", "metric"],
            update_fields=["value", "block", "note", "recorded_by", "recorded_at"],
        )
    per_metric = Counter(metrics[entry.metric].code for entry in entries if entry.value is not None)
    record_event(
        "physed.results_recorded",
        actor=actor,
        school=session.pe_class.school,
        target=session,
        target_label=str(session),
        changes={"saved": len(to_save), "removed": removed, "per_metric": dict(sorted(per_metric.items()))},
    )
    _notify_listeners(session, sorted({(entry.student, entry.metric) for entry in entries}))
    return {"saved": len(to_save), "removed": removed}


METRIC_FIELDS = (
    "code",
    "name",
    "unit",
    "value_kind",
    "higher_is_better",
    "min_value",
    "max_value",
    "decimal_places",
    "fitness_component",
    "description",
)


def _check_metric(school, values: dict, instance: MetricType | None = None) -> None:
    low = values.get("min_value", instance.min_value if instance else Decimal(0))
    high = values.get("max_value", instance.max_value if instance else None)
    if high is not None and low is not None and Decimal(low) > Decimal(high):
        raise ServiceError(_("The lowest valid value is above the highest."), field="min_value")
    places = values.get("decimal_places", instance.decimal_places if instance else 0)
    if places > 2:
        raise ServiceError(_("Results keep at most 2 decimal places."), field="decimal_places")
    code = values.get("code")
    if code is not None:
        clash = MetricType.objects.filter(Q(school__isnull=True) | Q(school=school), code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ServiceError(_("A metric with this code already exists."), field="code")


@transaction.atomic
def create_metric_type(*, actor, school, **values) -> MetricType:
    """A school's own metric (shipped ones are read-only data)."""
    if set(values) - set(METRIC_FIELDS):
        raise ServiceError(_("Unknown metric fields."))
    if actor is not None and not _school_perm(actor, "physed.add_metrictype", school):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)
    _check_metric(school, values)
    metric = MetricType.objects.create(school=school, **values)
    record_event("physed.metric_created", actor=actor, school=school, target=metric, target_label=metric.code)
    return metric


@transaction.atomic
def update_metric_type(*, actor, metric: MetricType, **values) -> MetricType:
    if set(values) - set(METRIC_FIELDS):
        raise ServiceError(_("Unknown metric fields."))
    if metric.school_id is None:
        raise ServiceError(_("Shipped metrics cannot be changed."), code="permission_denied", status=403)
    require(actor, "physed.change_metrictype", metric)
    if "value_kind" in values and values["value_kind"] != metric.value_kind and metric.results.exists():
        raise ServiceError(_("The kind of a metric with results cannot change."), field="value_kind")
    _check_metric(metric.school, values, metric)
    before = {name: str(getattr(metric, name)) for name in values}
    for name, value in values.items():
        setattr(metric, name, value)
    metric.save()
    after = {name: str(getattr(metric, name)) for name in values}
    record_event(
        "physed.metric_updated",
        actor=actor,
        school=metric.school,
        target=metric,
        target_label=metric.code,
        changes={"before": before, "after": after},
    )
    return metric


@transaction.atomic
def delete_metric_type(*, actor, metric: MetricType) -> None:
    if metric.school_id is None:
        raise ServiceError(_("Shipped metrics cannot be deleted."), code="permission_denied", status=403)
    require(actor, "physed.delete_metrictype", metric)
    if metric.results.exists():
        raise ServiceError(_("This metric has recorded results and cannot be deleted."), field="metric")
    school, code, pk = metric.school, metric.code, metric.pk
    metric.delete()
    record_event(
        "physed.metric_deleted",
        actor=actor,
        school=school,
        target_type=MetricType._meta.label_lower,
        target_id=str(pk),
        target_label=code,
    )


def _school_perm(actor, perm, school) -> bool:
    from accounts.selectors import has_school_perm

    return has_school_perm(actor, perm, school.pk)
