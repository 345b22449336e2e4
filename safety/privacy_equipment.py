"""Personal-data declarations: equipment.

* ``EquipmentItem`` holds no person link (inventory facts): excluded with that reason.
* ``Inspection`` names the staff member who inspected (``inspector``): exported with that
  person's account; on erasure the inspection stays (it is the equipment's safety record) and
  loses its inspector.
* ``MaintenanceRecord`` names who recorded it (``recorded_by``): exported with that account; on
  erasure the record stays and loses the link. ``performed_by`` is free text naming a contractor
  or colleague as written on the job sheet; it is part of the equipment's record, not about them.
"""

from accounts.privacy import registry


def register() -> None:
    from safety.models import Inspection, MaintenanceRecord

    registry.exclude("safety.EquipmentItem", "Inventory facts about equipment; no person is linked or described.")
    registry.register(Inspection, category="safety_equipment", user_path="inspector", erase={"inspector": None})
    registry.register(
        MaintenanceRecord, category="safety_equipment", user_path="recorded_by", erase={"recorded_by": None}
    )
