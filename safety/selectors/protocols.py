"""Reads for protocols and emergency procedures: the review and drill states, the cross-area
contract (``protocols_for``, ``supervision_ratio_for``, ``overdue_drills``) the live panel and the
risk score call, and the querysets the API and pages list.

Review state of an active protocol: ``overdue`` when its next review date has passed, ``due_soon``
within ``review_due_soon_days`` (safety/data/protocols.json), else ``ok``; retired protocols have
no review state. A procedure with a drill interval is due for a drill on ``last drill + interval``
and "due now" when it was never drilled."""

import datetime
import json
from functools import lru_cache
from pathlib import Path

from django.db.models import Q, QuerySet
from django.utils import timezone

from safety.models import EmergencyProcedure, ProtocolStatus, SafetyProtocol

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "protocols.json"

REVIEW_OK = "ok"
REVIEW_DUE_SOON = "due_soon"
REVIEW_OVERDUE = "overdue"
REVIEW_STATES = (REVIEW_OK, REVIEW_DUE_SOON, REVIEW_OVERDUE)

DRILL_NOT_REQUIRED = "not_required"
DRILL_OK = "ok"
DRILL_DUE_SOON = "due_soon"
DRILL_DUE = "due"  # due today or never drilled
DRILL_OVERDUE = "overdue"


@lru_cache(maxsize=1)
def protocol_config() -> dict:
    """The shipped lead times and list limits (safety/data/protocols.json)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# ---- review state --------------------------------------------------------------------------


def review_state(protocol: SafetyProtocol, today: datetime.date | None = None) -> str | None:
    if protocol.status != ProtocolStatus.ACTIVE:
        return None
    due = protocol.next_review_due
    if due is None:
        return REVIEW_OK
    today = _today(today)
    if due < today:
        return REVIEW_OVERDUE
    if due <= today + datetime.timedelta(days=protocol_config()["review_due_soon_days"]):
        return REVIEW_DUE_SOON
    return REVIEW_OK


def filter_review_state(queryset: QuerySet, state: str, today: datetime.date | None = None) -> QuerySet:
    """Active protocols in ``state`` (uses the stored ``review_due_on``)."""
    today = _today(today)
    soon = today + datetime.timedelta(days=protocol_config()["review_due_soon_days"])
    active = queryset.filter(status=ProtocolStatus.ACTIVE)
    if state == REVIEW_OVERDUE:
        return active.filter(review_due_on__lt=today)
    if state == REVIEW_DUE_SOON:
        return active.filter(review_due_on__gte=today, review_due_on__lte=soon)
    if state == REVIEW_OK:
        return active.filter(Q(review_due_on__gt=soon) | Q(review_due_on__isnull=True))
    return queryset.none()


def protocols_needing_review(school, today: datetime.date | None = None) -> list[SafetyProtocol]:
    """Active protocols of ``school`` that are overdue or due soon, soonest first."""
    today = _today(today)
    soon = today + datetime.timedelta(days=protocol_config()["review_due_soon_days"])
    return list(
        SafetyProtocol.objects.filter(school=school, status=ProtocolStatus.ACTIVE, review_due_on__lte=soon)
        .select_related("owner")
        .order_by("review_due_on", "pk")
    )


# ---- drills --------------------------------------------------------------------------------


def drill_state(procedure: EmergencyProcedure, today: datetime.date | None = None) -> str:
    if not procedure.drill_interval_days or not procedure.is_active:
        return DRILL_NOT_REQUIRED
    today = _today(today)
    due = procedure.next_drill_due
    if due is None or due == today:
        return DRILL_DUE
    if due < today:
        return DRILL_OVERDUE
    if due <= today + datetime.timedelta(days=protocol_config()["drill_due_soon_days"]):
        return DRILL_DUE_SOON
    return DRILL_OK


def _drill_required(queryset: QuerySet) -> QuerySet:
    return queryset.filter(is_active=True, drill_interval_days__isnull=False)


def filter_drill_overdue(queryset: QuerySet, overdue: bool, today: datetime.date | None = None) -> QuerySet:
    """``overdue=True``: procedures whose drill is due today or earlier, or that were never drilled."""
    condition = Q(next_drill_due__isnull=True) | Q(next_drill_due__lte=_today(today))
    required = _drill_required(queryset)
    if overdue:
        return required.filter(condition)
    return queryset.exclude(pk__in=required.filter(condition).values("pk"))


def overdue_drills(school, today: datetime.date | None = None) -> list[tuple[EmergencyProcedure, datetime.date | None]]:
    """Contract: active procedures of ``school`` with a drill interval whose drill is due on or
    before ``today``, or that were never drilled (due date ``None``); never-drilled first, then the
    longest overdue."""
    rows = filter_drill_overdue(EmergencyProcedure.objects.filter(school=school), True, today)
    rows = sorted(rows, key=lambda p: (p.next_drill_due is not None, p.next_drill_due or datetime.date.min, p.pk))
    return [(procedure, procedure.next_drill_due) for procedure in rows]


def drills_falling_due(school, today: datetime.date | None = None) -> list[EmergencyProcedure]:
    """Procedures whose drill is due now or within ``drill_due_soon_days`` (for the reminders)."""
    today = _today(today)
    soon = today + datetime.timedelta(days=protocol_config()["drill_due_soon_days"])
    return list(
        _drill_required(EmergencyProcedure.objects.filter(school=school))
        .filter(Q(next_drill_due__isnull=True) | Q(next_drill_due__lte=soon))
        .order_by("pk")
    )


# ---- cross-area contract -------------------------------------------------------------------


def protocols_for(school, categories: set[str], space: str | None) -> list[SafetyProtocol]:
    """Contract: the school's active protocols matching any of ``categories`` or ``space``. A
    protocol with a blank category and a blank space applies to everything; one with only a category
    matches that category in any space, one with only a space matches any activity there; one with
    both matches when either does."""
    categories = {c for c in (categories or set()) if c}
    match = Q(activity_category="", space="")
    if categories:
        match |= Q(activity_category__in=categories)
    if space:
        match |= Q(space=space)
    return list(
        SafetyProtocol.objects.filter(school=school, status=ProtocolStatus.ACTIVE)
        .filter(match)
        .prefetch_related("protective_equipment")
        .order_by("title", "pk")
    )


def supervision_ratio_for(school, categories: set[str], space: str | None) -> int | None:
    """Contract: the strictest (smallest) students-per-adult ratio among ``protocols_for``; else the
    school's ``SafetySettings.default_supervision_ratio`` when settings exist; else None."""
    ratios = [p.supervision_ratio for p in protocols_for(school, categories, space) if p.supervision_ratio]
    if ratios:
        return min(ratios)
    from safety.models import SafetySettings

    settings_row = SafetySettings.objects.filter(school=school).only("default_supervision_ratio").first()
    return settings_row.default_supervision_ratio if settings_row else None


# ---- lists ---------------------------------------------------------------------------------


def protocol_list_queryset(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("school", "owner").prefetch_related("protective_equipment")


def protocol_detail_queryset(queryset: QuerySet) -> QuerySet:
    return protocol_list_queryset(queryset).prefetch_related("sign_offs__signed_by")


def procedure_list_queryset(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("school").prefetch_related("steps")


def procedure_detail_queryset(queryset: QuerySet) -> QuerySet:
    return procedure_list_queryset(queryset).prefetch_related("drills__participants", "drills__recorded_by")


def drill_queryset(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("procedure__school", "recorded_by").prefetch_related("participants")
