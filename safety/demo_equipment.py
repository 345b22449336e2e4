"""Demo data: equipment. Per demo school ~16 items across types and locations, formal inspections
and pre-use checks over the last months (mostly passing), one item flagged, one overdue for its
formal inspection, a repaired vaulting box, maintenance records, and one item that failed its
inspection and is out of service — of a type a planned demo session's activity needs, so the
session planner shows the flag.

Written through the services (as the school's demo department head and teacher), so statuses,
next-due dates, audit rows and notifications are what a real school would get. Idempotent: a
school that already has demo items (asset tags ``DEMO-…``) is left alone.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from physed.models import ClassSession, EquipmentType, SessionBlock, SessionStatus
from safety.models import EquipmentItem, InspectionKind, MaintenanceKind
from safety.services import equipment as services

# (asset tag, type slug, name, location, quantity, years since purchase, expected life in years)
ITEMS = [
    ("DEMO-MAT-01", "gym-mat", "Folding gym mats", "Gym store", 12, 4, 10),
    ("DEMO-MAT-02", "crash-mat", "Crash mat", "Gym", 2, 6, 10),
    ("DEMO-VLT-01", "vaulting-box", "Vaulting box (5 sections)", "Gym store", 1, 9, 15),
    ("DEMO-BEM-01", "balance-beam", "Low balance beams", "Gym", 2, 5, 15),
    ("DEMO-GOL-01", "soccer-goal", "Portable soccer goals", "Field shed", 2, 3, 10),
    ("DEMO-HOP-01", "basketball-hoop", "Wall-mounted hoops", "Gym", 4, 12, 20),
    ("DEMO-HUR-01", "hurdles", "Training hurdles", "Field shed", 20, 2, 8),
    ("DEMO-BAL-01", "basketball", "Basketballs", "Ball cage", 24, 2, 4),
    ("DEMO-BAL-02", "soccer-ball", "Soccer balls", "Ball cage", 20, 1, 4),
    ("DEMO-BAL-03", "volleyball", "Volleyballs", "Ball cage", 16, 5, 4),
    ("DEMO-HLM-01", "helmet", "Multi-sport helmets", "PE office", 30, 2, 5),
    ("DEMO-FIT-01", "dumbbells", "Dumbbell set", "Fitness room", 1, 3, 15),
    ("DEMO-CLB-01", "climbing-wall", "Traverse climbing wall", "Gym", 1, 7, 20),
    ("DEMO-SCB-01", "scooter-board", "Scooter boards", "Gym store", 15, 4, 8),
    ("DEMO-CON-01", "cones", "Cones", "Field shed", 40, 2, 5),
    ("DEMO-JRP-01", "jump-rope", "Jump ropes", "Gym store", 30, 1, 3),
]
EXTRA_TYPES = {"helmet": "Helmet"}  # shipped in the PE library; created here too for databases loaded without it
OVERDUE_TAG = "DEMO-CLB-01"
REPAIRED_TAG = "DEMO-VLT-01"
FLAG_CANDIDATES = ["DEMO-GOL-01", "DEMO-HUR-01", "DEMO-MAT-02"]


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _planned_need(school, today):
    """(equipment type, activity name) of the first planned session from today whose plan needs
    equipment, or None."""
    sessions = ClassSession.objects.filter(
        pe_class__school=school, status=SessionStatus.PLANNED, date__gte=today
    ).order_by("date", "start_time", "pk")
    for session in sessions[:20]:
        blocks = SessionBlock.objects.filter(session=session, activity__isnull=False).select_related("activity")
        for block in blocks.order_by("order"):
            equipment_type = block.activity.equipment.order_by("slug").first()
            if equipment_type is not None:
                return equipment_type, block.activity.name
    return None


def _all(checklist, kind, bad=None):
    rows = [{"check": check.key, "result": "pass", "note": ""} for check in checklist.checks_for(kind)]
    for row in rows:
        if bad and row["check"] in bad:
            row["result"], row["note"] = bad[row["check"]]
    return rows


def seed(context) -> None:
    today = timezone.localdate()
    for slug, school in (context or {}).get("schools", {}).items():
        if EquipmentItem.objects.filter(school=school, asset_tag__startswith="DEMO-").exists():
            continue
        head = User.objects.filter(email=f"head@{slug}.demo").first()
        teacher = User.objects.filter(email=f"teacher@{slug}.demo").first() or head
        if head is None:
            continue
        seed_school(school, head=head, teacher=teacher, today=today)


@transaction.atomic
def seed_school(school, *, head, teacher, today: datetime.date) -> dict[str, EquipmentItem]:
    for type_slug, name in EXTRA_TYPES.items():
        EquipmentType.objects.get_or_create(slug=type_slug, defaults={"name": name})
    types = EquipmentType.objects.in_bulk(field_name="slug")
    items: dict[str, EquipmentItem] = {}
    for tag, type_slug, name, location, quantity, years, life in ITEMS:
        if type_slug not in types:
            continue
        items[tag] = services.create_item(
            actor=head,
            school=school,
            equipment_type=types[type_slug],
            name=name,
            asset_tag=tag,
            location=location,
            quantity=quantity,
            purchase_date=_years_ago(today, years),
            expected_life_years=life,
        )
    need = _planned_need(school, today)
    failed_tag = None
    if need is not None:
        equipment_type, activity = need
        failed_tag = next((tag for tag, item in items.items() if item.equipment_type_id == equipment_type.pk), None)
        if failed_tag is None:
            failed_tag = "DEMO-PLN-01"
            items[failed_tag] = services.create_item(
                actor=head,
                school=school,
                equipment_type=equipment_type,
                name=equipment_type.name,
                asset_tag=failed_tag,
                location="Gym store",
                quantity=10,
                purchase_date=_years_ago(today, 3),
                expected_life_years=6,
                notes=f"Needed for {activity}.",
            )
    flagged_tag = next((tag for tag in FLAG_CANDIDATES if tag in items and tag != failed_tag), None)

    for tag, item in items.items():
        checklist = services.checklist_for(item)
        formal_age = 120 if tag == OVERDUE_TAG else min(checklist.formal_interval_days - 10, 75)
        services.record_inspection(
            actor=head,
            item=item,
            kind=InspectionKind.FORMAL,
            inspected_on=today - datetime.timedelta(days=formal_age),
            results=_all(checklist, InspectionKind.FORMAL),
            notes="Termly check by the department head.",
        )
        if tag == REPAIRED_TAG:
            first = checklist.checks_for(InspectionKind.PRE_USE)[0].key
            services.record_inspection(
                actor=teacher,
                item=item,
                kind=InspectionKind.PRE_USE,
                inspected_on=today - datetime.timedelta(days=40),
                results=_all(checklist, InspectionKind.PRE_USE, {first: ("fail", "Top section wobbles.")}),
            )
            services.record_maintenance(
                actor=head,
                item=item,
                kind=MaintenanceKind.REPAIR,
                performed_on=today - datetime.timedelta(days=35),
                description="Replaced the locating pegs of the top section.",
                performed_by="Site team",
                cost="45.00",
                returns_to_service=True,
            )
        for days_ago in (28, 14, 7):
            services.record_inspection(
                actor=teacher,
                item=item,
                kind=InspectionKind.PRE_USE,
                inspected_on=today - datetime.timedelta(days=days_ago),
                all_pass=True,
            )
    for tag in ("DEMO-MAT-01", "DEMO-MAT-02"):
        if tag in items:
            services.record_maintenance(
                actor=teacher,
                item=items[tag],
                kind=MaintenanceKind.CLEANING,
                performed_on=today - datetime.timedelta(days=20),
                description="Covers wiped and disinfected.",
                cost="0",
            )
    if "DEMO-HOP-01" in items:
        services.record_maintenance(
            actor=head,
            item=items["DEMO-HOP-01"],
            kind=MaintenanceKind.SERVICE,
            performed_on=today - datetime.timedelta(days=60),
            description="Annual service: winches greased, nets replaced.",
            performed_by="Court Systems Ltd",
            cost="180.00",
        )
    if flagged_tag:
        item = items[flagged_tag]
        checklist = services.checklist_for(item)
        first = checklist.checks_for(InspectionKind.PRE_USE)[0].key
        services.record_inspection(
            actor=teacher,
            item=item,
            kind=InspectionKind.PRE_USE,
            inspected_on=today - datetime.timedelta(days=2),
            results=_all(checklist, InspectionKind.PRE_USE, {first: ("flag", "One needs checking before use.")}),
        )
    if failed_tag:
        item = items[failed_tag]
        checklist = services.checklist_for(item)
        first = checklist.checks_for(InspectionKind.FORMAL)[0].key
        services.record_inspection(
            actor=head,
            item=item,
            kind=InspectionKind.FORMAL,
            inspected_on=today - datetime.timedelta(days=1),
            results=_all(checklist, InspectionKind.FORMAL, {first: ("fail", "Damaged: do not use until repaired.")}),
            notes="Taken out of service.",
        )
    return items
