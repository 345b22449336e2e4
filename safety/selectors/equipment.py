"""Reads for equipment: what needs attention (flagged, out of service, formal inspection overdue,
past its expected life), the equipment flags of a planned session (contract for session planning,
the live panel and the risk score), and a dashboard summary.

``flags_for_types(school, type_ids)`` / ``flags_for_session(session)`` → ``list[EquipmentFlag]``:
items of the school (not retired) of the equipment types needed whose status is flagged or out of
service, whose latest failed inspection is not resolved by a later repair, or whose formal
inspection is overdue. ``activities`` names the planned activities (and exercises) that need the
type. No permission check inside: callers check ``safety.view_equipmentitem``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safety.models import CheckResult, EquipmentItem, EquipmentStatus, Inspection, MaintenanceRecord

ATTENTION_STATUSES = (EquipmentStatus.FLAGGED, EquipmentStatus.OUT_OF_SERVICE)


@dataclass
class EquipmentFlag:
    item: EquipmentItem
    status: str
    reason: str
    equipment_type: object  # physed.EquipmentType
    activities: list[str] = field(default_factory=list)
    severity: str = "warning"  # "danger" when the item must not be used
    due: datetime.date | None = None


@dataclass
class AttentionSummary:
    flagged: int
    out_of_service: int
    overdue: int
    past_life: int
    total: int
    items: list[EquipmentItem]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def past_life_q(today: datetime.date | None = None) -> Q:
    """Items whose purchase date + expected life is on or before ``today``."""
    today = today or timezone.localdate()
    query = Q(pk__in=[])
    for years in range(1, 51):
        query |= Q(expected_life_years=years, purchase_date__lte=_years_before(today, years))
    return query


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(next_inspection_due__lt=today or timezone.localdate())


def needs_attention_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return (Q(status__in=ATTENTION_STATUSES) | overdue_q(today) | past_life_q(today)) & ~Q(
        status=EquipmentStatus.RETIRED
    )


def unresolved_failure_q() -> Exists:
    """A failed inspection with no "back in service" record on or after its date."""
    repaired = MaintenanceRecord.objects.filter(
        item=OuterRef("item"), returns_to_service=True, performed_on__gte=OuterRef("inspected_on")
    )
    return Exists(Inspection.objects.filter(item=OuterRef("pk"), outcome=CheckResult.FAIL).filter(~Exists(repaired)))


def list_queryset(queryset):
    """The inventory list: type joined, last inspection date annotated (one query per page)."""
    return queryset.select_related("equipment_type").annotate(last_inspected_on=Max("inspections__inspected_on"))


def detail_queryset(queryset):
    return queryset.select_related("equipment_type", "school")


def locations(school_ids=None) -> list[str]:
    """The distinct locations of these schools' items (all schools when None: superusers)."""
    rows = EquipmentItem.objects.all() if school_ids is None else EquipmentItem.objects.filter(school_id__in=school_ids)
    return list(rows.order_by("location").values_list("location", flat=True).distinct())


def _flag_for(item: EquipmentItem, today: datetime.date) -> EquipmentFlag | None:
    reasons, severity = [], "warning"
    if item.status == EquipmentStatus.OUT_OF_SERVICE:
        severity = "danger"
        reasons.append(item.status_reason or item.get_status_display())
    elif item.status == EquipmentStatus.FLAGGED:
        reasons.append(item.status_reason or item.get_status_display())
    elif getattr(item, "failed_unresolved", False):
        severity = "danger"
        reasons.append(_("Failed its last inspection; no repair logged since."))
    due = item.next_inspection_due
    overdue = due is not None and due < today
    if overdue:
        reasons.append(_("Formal inspection overdue since %(date)s.") % {"date": due.isoformat()})
    if not reasons:
        return None
    return EquipmentFlag(
        item=item,
        status=item.status,
        reason=" ".join(str(reason) for reason in reasons),
        equipment_type=item.equipment_type,
        severity=severity,
        due=due if overdue else None,
    )


def flags_for_types(
    school, type_ids, today: datetime.date | None = None, needed_by: dict[int, list[str]] | None = None
) -> list[EquipmentFlag]:
    """Flags for the school's items of these equipment types (ids); ``needed_by`` maps a type id
    to the activity names that need it (filled in by ``flags_for_session``)."""
    today = today or timezone.localdate()
    type_ids = sorted({int(type_id) for type_id in type_ids})
    if not type_ids:
        return []
    items = (
        EquipmentItem.objects.filter(school=school, equipment_type_id__in=type_ids)
        .exclude(status=EquipmentStatus.RETIRED)
        .filter(Q(status__in=ATTENTION_STATUSES) | overdue_q(today) | unresolved_failure_q())
        .annotate(failed_unresolved=unresolved_failure_q())
        .select_related("equipment_type")
        .order_by("equipment_type__name", "name", "pk")
    )
    flags = []
    for item in items:
        flag = _flag_for(item, today)
        if flag is not None:
            flag.activities = list((needed_by or {}).get(item.equipment_type_id, []))
            flags.append(flag)
    flags.sort(key=lambda flag: (flag.severity != "danger", flag.equipment_type.name, flag.item.name))
    return flags


def session_equipment_needs(session) -> dict[int, list[str]]:
    """{equipment type id: [names of the planned activities/exercises that need it]}."""
    from physed.models import SessionBlock

    needs: dict[int, list[str]] = defaultdict(list)
    blocks = (
        SessionBlock.objects.filter(session=session)
        .select_related("activity", "exercise")
        .prefetch_related("activity__equipment", "exercise__equipment")
        .order_by("order")
    )
    for block in blocks:
        item = block.activity or block.exercise
        if item is None:
            continue
        for equipment_type in item.equipment.all():
            if item.name not in needs[equipment_type.pk]:
                needs[equipment_type.pk].append(item.name)
    return dict(needs)


def flags_for_session(session, today: datetime.date | None = None) -> list[EquipmentFlag]:
    needs = session_equipment_needs(session)
    school = session.pe_class.school
    return flags_for_types(school, needs.keys(), today=today, needed_by=needs)


def attention_summary(school, today: datetime.date | None = None, limit: int = 5) -> AttentionSummary:
    """Counts for a dashboard card and the first ``limit`` items needing attention (worst first)."""
    today = today or timezone.localdate()
    rows = EquipmentItem.objects.filter(school=school).exclude(status=EquipmentStatus.RETIRED)
    attention = list(rows.filter(needs_attention_q(today)).select_related("equipment_type").order_by("name", "pk"))
    order = {EquipmentStatus.OUT_OF_SERVICE: 0, EquipmentStatus.FLAGGED: 1}
    attention.sort(key=lambda item: (order.get(item.status, 2), item.name))
    return AttentionSummary(
        flagged=sum(1 for item in attention if item.status == EquipmentStatus.FLAGGED),
        out_of_service=sum(1 for item in attention if item.status == EquipmentStatus.OUT_OF_SERVICE),
        overdue=sum(1 for item in attention if item.next_inspection_due and item.next_inspection_due < today),
        past_life=sum(1 for item in attention if item.past_expected_life),
        total=len(attention),
        items=attention[:limit] if limit else attention,
    )
