"""Writes for equipment (safety §5): the inventory, inspections and the maintenance log.

Every write checks the actor's permission in the item's school, validates (impossible dates,
unknown checklist items, negative costs → ``ServiceError``, nothing stored) and writes an audit row
in the same transaction. Status follows the evidence: a failed check puts the item out of service,
a flagged one flags it (``status_reason`` names the checks), and only a maintenance record marked
"back in service" — or a lead's explicit status change — returns it, never while a failed
inspection later than that repair is unresolved. Passing inspections never change the status.
"""

import datetime

from django.db import transaction
from django.utils import timezone
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
)
from safety.services.equipment_common import (  # noqa: F401 - re-exported for callers
    ADD,
    CHANGE,
    DELETE,
    INSPECT,
    MAINTAIN,
    VIEW,
    _not_future,
    _notify_leads,
    _require,
    _today,
    checklist_for,
)
from safety.services.equipment_records import record_inspection, record_maintenance

ITEM_FIELDS = (
    "equipment_type",
    "name",
    "asset_tag",
    "location",
    "quantity",
    "purchase_date",
    "expected_life_years",
    "notes",
)


def _clean_item(values: dict, *, school, instance: EquipmentItem | None = None) -> dict:
    values = dict(values)
    for field in ("name", "location", "asset_tag", "notes"):
        if field in values:
            values[field] = (values[field] or "").strip()
    if "name" in values and not values["name"]:
        raise ServiceError(_("Give the item a name."), field="name")
    if "location" in values and not values["location"]:
        raise ServiceError(_("Say where the item is kept."), field="location")
    if "equipment_type" in values and values["equipment_type"] is None:
        raise ServiceError(_("Choose the type of equipment."), field="equipment_type")
    quantity = values.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ServiceError(_("The quantity is a whole number of at least 1."), field="quantity")
    life = values.get("expected_life_years")
    if life is not None and (isinstance(life, bool) or not isinstance(life, int) or not 1 <= life <= 50):
        raise ServiceError(_("Expected life is 1 to 50 years."), field="expected_life_years")
    _not_future(values.get("purchase_date"), "purchase_date", _("The purchase date"))
    tag = values.get("asset_tag")
    if tag:
        clash = EquipmentItem.objects.filter(school=school, asset_tag__iexact=tag)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ServiceError(
                _("Another item of this school has the asset tag %(tag)s.") % {"tag": tag}, field="asset_tag"
            )
    return values


def _first_due(item: EquipmentItem) -> datetime.date:
    """An item with no formal inspection on record is assumed checked when it was added; its
    first formal inspection falls due one interval later."""
    added = timezone.localdate(item.created_at) if item.created_at else _today()
    return checklist_for(item).next_due(added)


@transaction.atomic
def create_item(*, actor, school, **values) -> EquipmentItem:
    _require(actor, ADD, school)
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = _clean_item(values, school=school)
    if values.get("equipment_type") is None:
        raise ServiceError(_("Choose the type of equipment."), field="equipment_type")
    item = EquipmentItem.objects.create(school=school, **values)
    item.next_inspection_due = _first_due(item)
    item.save(update_fields=["next_inspection_due"])
    record_event(
        "safety.equipment_created",
        actor=actor,
        school=school,
        target=item,
        changes={"name": item.name, "type": item.equipment_type.slug, "location": item.location},
    )
    return item


def _snapshot(item: EquipmentItem) -> dict:
    return {
        "equipment_type": item.equipment_type_id,
        "name": item.name,
        "asset_tag": item.asset_tag,
        "location": item.location,
        "quantity": item.quantity,
        "purchase_date": item.purchase_date.isoformat() if item.purchase_date else None,
        "expected_life_years": item.expected_life_years,
        "notes": item.notes,
        "status": item.status,
        "status_reason": item.status_reason,
    }


@transaction.atomic
def update_item(*, actor, item: EquipmentItem, **values) -> EquipmentItem:
    """Edits the inventory facts (``ITEM_FIELDS``); the status goes through ``set_status``."""
    _require(actor, CHANGE, item.school)
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = _clean_item({"quantity": item.quantity, **values}, school=item.school, instance=item)
    before = _snapshot(item)
    type_changed = "equipment_type" in values and values["equipment_type"].pk != item.equipment_type_id
    for field, value in values.items():
        setattr(item, field, value)
    if type_changed:
        latest = item.inspections.filter(kind=InspectionKind.FORMAL).order_by("-inspected_on", "-pk").first()
        item.next_inspection_due = (
            checklist_for(item).next_due(latest.inspected_on) if latest is not None else _first_due(item)
        )
    item.save()
    from accounts.services.audit import diff

    changes = diff(before, _snapshot(item))
    if changes:
        record_event("safety.equipment_updated", actor=actor, school=item.school, target=item, changes=changes)
    return item


def unresolved_failure(item: EquipmentItem) -> Inspection | None:
    """The latest failed inspection not followed (on or after its date) by a maintenance record
    that returned the item to service."""
    failed = item.inspections.filter(outcome=CheckResult.FAIL).order_by("-inspected_on", "-pk").first()
    if failed is None:
        return None
    repaired = item.maintenance.filter(returns_to_service=True, performed_on__gte=failed.inspected_on).exists()
    return None if repaired else failed


@transaction.atomic
def set_status(*, actor, item: EquipmentItem, status: str, reason: str = "") -> EquipmentItem:
    """A lead flags an item, takes it out of service or puts it back (with a reason, except for
    "in service"). Retiring goes through ``retire_item`` (it logs a retirement record)."""
    _require(actor, CHANGE, item.school)
    reason = (reason or "").strip()
    if status == EquipmentStatus.RETIRED:
        return retire_item(actor=actor, item=item, reason=reason)
    if status not in EquipmentStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    if item.status == EquipmentStatus.RETIRED:
        raise ServiceError(_("A retired item cannot be put back; add a new item instead."), field="status")
    if len(reason) > 300:
        raise ServiceError(_("Keep the reason under 300 characters."), field="status_reason")
    if status != EquipmentStatus.IN_SERVICE and not reason:
        raise ServiceError(_("Say why the item is flagged or out of service."), field="status_reason")
    if status == EquipmentStatus.IN_SERVICE:
        failed = unresolved_failure(item)
        if failed is not None:
            raise ServiceError(
                _("It failed the inspection of %(date)s; log the repair with “back in service” instead.")
                % {"date": failed.inspected_on.isoformat()},
                field="status",
            )
    before = {"status": item.status, "status_reason": item.status_reason}
    item.status, item.status_reason = status, reason
    item.save(update_fields=["status", "status_reason", "updated_at"])
    record_event(
        "safety.equipment_status_changed",
        actor=actor,
        school=item.school,
        target=item,
        changes={"before": before, "after": {"status": status, "status_reason": reason}},
    )
    if status != EquipmentStatus.IN_SERVICE:
        _notify_leads(actor, item)
    return item


@transaction.atomic
def retire_item(*, actor, item: EquipmentItem, reason: str, on_date: datetime.date | None = None) -> EquipmentItem:
    _require(actor, CHANGE, item.school)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the item is retired."), field="reason")
    if item.status == EquipmentStatus.RETIRED:
        raise ServiceError(_("This item is already retired."), field="status")
    record_maintenance(
        actor=actor,
        item=item,
        kind=MaintenanceKind.RETIREMENT,
        performed_on=on_date or _today(),
        description=reason,
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def delete_item(*, actor, item: EquipmentItem) -> None:
    _require(actor, DELETE, item.school)
    record_event(
        "safety.equipment_deleted",
        actor=actor,
        school=item.school,
        target=item,
        changes={"name": item.name, "asset_tag": item.asset_tag},
    )
    item.delete()


__all__ = [
    "checklist_for",
    "create_item",
    "delete_item",
    "record_inspection",
    "record_maintenance",
    "retire_item",
    "set_status",
    "unresolved_failure",
    "update_item",
]
