"""Shared by the equipment services: permission codenames and checks, today's date, the
checklist of an item, and the notice to the school's safety leads."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.errors import ServiceError
from safety.models import EquipmentItem
from safety.services import equipment_checklists as checklists

VIEW = "safety.view_equipmentitem"
ADD = "safety.add_equipmentitem"
CHANGE = "safety.change_equipmentitem"
DELETE = "safety.delete_equipmentitem"
INSPECT = "safety.add_inspection"
MAINTAIN = "safety.add_maintenancerecord"


def _require(actor, perm: str, school) -> None:
    if not has_school_perm(actor, perm, school.pk):
        raise ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(value, field: str, label: str) -> None:
    if value is not None and value > _today():
        raise ServiceError(_("%(label)s cannot be in the future.") % {"label": label}, field=field)


def checklist_for(item: EquipmentItem) -> checklists.Checklist:
    return checklists.checklist_for_slug(item.equipment_type.slug)


def _notify_leads(actor, item: EquipmentItem) -> None:
    from accounts.services import preferences
    from accounts.services.notifications import notify
    from safety.notifications import EQUIPMENT_FLAGGED, safety_leads

    url = reverse("safety-equipment-detail", args=[item.pk])
    for lead in safety_leads(item.school):
        if actor is not None and lead.pk == actor.pk:
            continue
        with preferences.user_language(lead):
            title = _("%(item)s: %(status)s") % {"item": item.name, "status": item.get_status_display()}
            body = _("%(item)s (%(location)s): %(reason)s") % {
                "item": item.name,
                "location": item.location,
                "reason": item.status_reason,
            }
            notify(lead, EQUIPMENT_FLAGGED, title, body, url=url)
