"""Writes for equipment inspections and the maintenance log (split from
``safety.services.equipment``, which re-exports them). Same rules: permission in the item's
school, validation before anything is stored, an audit row in the same transaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from safety.models import (
    CheckResult,
    EquipmentItem,
    EquipmentStatus,
    Inspection,
    InspectionKind,
    MaintenanceKind,
    MaintenanceRecord,
)
from safety.services import equipment_checklists as checklists
from safety.services import equipment_common as base

MAX_COST = Decimal("9999999.99")


@transaction.atomic
def record_inspection(
    *,
    actor,
    item: EquipmentItem,
    kind: str,
    inspected_on: datetime.date | None = None,
    results=None,
    all_pass: bool = False,
    notes: str = "",
) -> Inspection:
    """A pre-use visual check or a periodic formal inspection, result per checklist item.
    Outcome = worst result; fail → out of service, flag → flagged (unless already out of
    service), with the failing checks as the reason; a formal inspection sets the next due date."""
    base._require(actor, base.INSPECT, item.school)
    inspected_on = inspected_on or base._today()
    base._not_future(inspected_on, "inspected_on", _("The inspection date"))
    if item.purchase_date and inspected_on < item.purchase_date:
        raise ServiceError(_("The inspection date is before the item was bought."), field="inspected_on")
    if item.status == EquipmentStatus.RETIRED:
        raise ServiceError(_("This item is retired; it is not inspected any more."), field="item")
    notes = (notes or "").strip()
    checklist = base.checklist_for(item)
    cleaned = checklists.clean_results(checklist, kind, results, all_pass=all_pass)
    outcome = checklists.worst(cleaned)
    next_due = checklist.next_due(inspected_on) if kind == InspectionKind.FORMAL else None
    inspection = Inspection.objects.create(
        item=item,
        kind=kind,
        inspected_on=inspected_on,
        inspector=actor if getattr(actor, "is_authenticated", False) else None,
        results=cleaned,
        outcome=outcome,
        notes=notes,
        next_due=next_due,
    )
    fields = []
    if kind == InspectionKind.FORMAL:
        latest = item.inspections.filter(kind=InspectionKind.FORMAL).order_by("-inspected_on", "-pk").first()
        item.next_inspection_due = latest.next_due
        fields.append("next_inspection_due")
    before = item.status
    if outcome != CheckResult.PASS:
        label = _("Failed") if outcome == CheckResult.FAIL else _("Flagged")
        reason = _("%(label)s in the %(kind)s of %(date)s: %(checks)s") % {
            "label": label,
            "kind": inspection.get_kind_display().lower(),
            "date": inspected_on.isoformat(),
            "checks": checklists.problem_summary(checklist, cleaned),
        }
        if outcome == CheckResult.FAIL:
            item.status = EquipmentStatus.OUT_OF_SERVICE
        elif item.status != EquipmentStatus.OUT_OF_SERVICE:
            item.status = EquipmentStatus.FLAGGED
        item.status_reason = reason[:300]
        fields += ["status", "status_reason"]
    if fields:
        item.save(update_fields=[*fields, "updated_at"])
    record_event(
        "safety.inspection_recorded",
        actor=actor,
        school=item.school,
        target=inspection,
        changes={
            "item": item.pk,
            "kind": kind,
            "outcome": outcome,
            "status": {"before": before, "after": item.status},
        },
    )
    if outcome != CheckResult.PASS:
        base._notify_leads(actor, item)
    return inspection


def _clean_cost(cost):
    if cost in (None, ""):
        return None
    try:
        value = Decimal(str(cost))
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(_("The cost is a number."), field="cost") from exc
    if not value.is_finite() or value < 0 or value > MAX_COST:
        raise ServiceError(_("The cost is zero or more (at most 9,999,999.99)."), field="cost")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def record_maintenance(
    *,
    actor,
    item: EquipmentItem,
    kind: str,
    performed_on: datetime.date,
    description: str,
    performed_by: str = "",
    cost=None,
    returns_to_service: bool = False,
) -> MaintenanceRecord:
    """A repair, service, cleaning, part replacement or retirement. "Back in service" returns
    the item to service (it resolves failed inspections up to its date, not later ones); a
    retirement retires the item and needs the permission to change equipment."""
    base._require(actor, base.MAINTAIN, item.school)
    if kind not in MaintenanceKind.values:
        raise ServiceError(_("Unknown kind of maintenance."), field="kind")
    if kind == MaintenanceKind.RETIREMENT:
        base._require(actor, base.CHANGE, item.school)
    if performed_on is None:
        raise ServiceError(_("Give the date of the work."), field="performed_on")
    base._not_future(performed_on, "performed_on", _("The date of the work"))
    description = (description or "").strip()
    if not description:
        raise ServiceError(_("Describe what was done."), field="description")
    performed_by = (performed_by or "").strip()
    if len(performed_by) > 120:
        raise ServiceError(_("Keep “done by” under 120 characters."), field="performed_by")
    cost = _clean_cost(cost)
    if item.status == EquipmentStatus.RETIRED and (returns_to_service or kind == MaintenanceKind.RETIREMENT):
        raise ServiceError(_("This item is retired."), field="returns_to_service")
    if returns_to_service and kind == MaintenanceKind.RETIREMENT:
        raise ServiceError(_("A retirement cannot return the item to service."), field="returns_to_service")
    if returns_to_service:
        later = (
            item.inspections.filter(outcome=CheckResult.FAIL, inspected_on__gt=performed_on)
            .order_by("-inspected_on")
            .first()
        )
        if later is not None:
            raise ServiceError(
                _("The item failed an inspection on %(date)s, after this work; it cannot return to service.")
                % {"date": later.inspected_on.isoformat()},
                field="returns_to_service",
            )
    record = MaintenanceRecord.objects.create(
        item=item,
        kind=kind,
        performed_on=performed_on,
        description=description,
        performed_by=performed_by,
        cost=cost,
        returns_to_service=returns_to_service,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = item.status
    if kind == MaintenanceKind.RETIREMENT:
        item.status, item.status_reason = EquipmentStatus.RETIRED, description[:300]
    elif returns_to_service:
        item.status, item.status_reason = EquipmentStatus.IN_SERVICE, ""
    if item.status != before or returns_to_service:
        item.save(update_fields=["status", "status_reason", "updated_at"])
    record_event(
        "safety.maintenance_recorded",
        actor=actor,
        school=item.school,
        target=record,
        changes={
            "item": item.pk,
            "kind": kind,
            "cost": str(cost) if cost is not None else None,
            "status": {"before": before, "after": item.status},
        },
    )
    return record
