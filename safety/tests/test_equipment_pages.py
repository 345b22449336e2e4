"""Equipment pages (list, detail, create/edit, inspection form, quick check, maintenance, retire),
the template tags lent to the session planner and dashboards, admin pages, privacy and demo."""

import datetime

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.privacy import registry
from physed.tests.factories import ActivityFactory, ClassSessionFactory, EquipmentTypeFactory, SessionBlockFactory
from safety.models import EquipmentItem, Inspection, MaintenanceRecord
from safety.tests.factories import EquipmentItemFactory, InspectionFactory

TODAY = timezone.localdate()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def goal(school):
    return EquipmentItemFactory(
        school=school, equipment_type=EquipmentTypeFactory(slug="soccer-goal", name="Soccer goal"), name="Goal A"
    )


def test_list_filters_search_and_badges(school, other_school, assistant, goal):
    EquipmentItemFactory(school=school, name="Blue mats", status="flagged", status_reason="Torn cover")
    EquipmentItemFactory(school=other_school, name="Their mats")
    client = _client(assistant)
    page = client.get("/safety/equipment/").content.decode()
    assert "Goal A" in page and "Blue mats" in page and "Their mats" not in page
    assert "Torn cover" in page
    assert "Add equipment" not in page  # assistants cannot add
    filtered = client.get("/safety/equipment/", {"needs_attention": "on"}).content.decode()
    assert "Blue mats" in filtered and "Goal A" not in filtered
    searched = client.get("/safety/equipment/", {"search": "goal"}).content.decode()
    assert "Goal A" in searched and "Blue mats" not in searched
    empty = client.get("/safety/equipment/", {"search": "zzz"}).content.decode()
    assert "No equipment matches these filters." in empty


def test_pages_refuse_outsiders(school, other_teacher, guardian, goal):
    assert _client(other_teacher).get(f"/safety/equipment/{goal.pk}/").status_code == 404
    assert _client(guardian).get("/safety/equipment/").status_code == 403
    assert Client().get("/safety/equipment/").status_code == 302


def test_create_and_edit(school, teacher, department_head):
    kind = EquipmentTypeFactory(slug="hurdles", name="Hurdles")
    client = _client(teacher)
    assert client.get("/safety/equipment/new/").status_code == 200
    bad = client.post(
        "/safety/equipment/new/",
        {
            "equipment_type": kind.pk,
            "name": "Hurdles",
            "location": "Shed",
            "quantity": 10,
            "purchase_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert bad.status_code == 200 and "cannot be in the future" in bad.content.decode()
    assert EquipmentItem.objects.count() == 0
    response = client.post(
        "/safety/equipment/new/",
        {"equipment_type": kind.pk, "name": "Hurdles", "location": "Shed", "quantity": 10},
    )
    item = EquipmentItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/safety/equipment/{item.pk}/"
    assert (item.school, item.quantity) == (school, 10)
    assert client.get(f"/safety/equipment/{item.pk}/edit/").status_code == 403
    lead = _client(department_head)
    form = lead.get(f"/safety/equipment/{item.pk}/edit/")
    assert form.status_code == 200
    values = {"equipment_type": kind.pk, "name": "Hurdles", "location": "Shed", "quantity": 8}
    missing_reason = lead.post(
        f"/safety/equipment/{item.pk}/edit/", {**values, "status-status": "flagged", "status-status_reason": ""}
    )
    assert missing_reason.status_code == 200 and "Say why" in missing_reason.content.decode()
    item.refresh_from_db()
    assert (item.quantity, item.status) == (10, "in_service")  # all or nothing
    lead.post(
        f"/safety/equipment/{item.pk}/edit/",
        {**values, "status-status": "flagged", "status-status_reason": "Two bent bars"},
    )
    item.refresh_from_db()
    assert (item.quantity, item.status, item.status_reason) == (8, "flagged", "Two bent bars")


def test_detail_and_inspection_form(school, teacher, goal):
    client = _client(teacher)
    detail = client.get(f"/safety/equipment/{goal.pk}/").content.decode()
    assert "Pre-use check: all OK" in detail and "No inspection recorded yet." in detail
    form = client.get(f"/safety/equipment/{goal.pk}/inspect/?kind=formal").content.decode()
    assert 'type="radio"' in form and "Tip-over warning label present" in form
    data = {"kind": "formal", "inspected_on": TODAY.isoformat()}
    checks = ["anchored", "frame", "net", "padding", "joints", "warning", "stored"]
    data.update({f"check_{key}": "pass" for key in checks})
    data["check_anchored"], data["note_anchored"] = "fail", "Sandbags missing"
    response = client.post(f"/safety/equipment/{goal.pk}/inspect/", data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "out_of_service" and "Sandbags missing" in goal.status_reason
    inspection = Inspection.objects.get()
    assert inspection.next_due == TODAY + datetime.timedelta(days=90)
    detail = client.get(f"/safety/equipment/{goal.pk}/").content.decode()
    assert "Sandbags missing" in detail and "Out of service" in detail
    future = {**data, "inspected_on": (TODAY + datetime.timedelta(days=1)).isoformat()}
    assert "cannot be in the future" in client.post(f"/safety/equipment/{goal.pk}/inspect/", future).content.decode()
    assert Inspection.objects.count() == 1


def test_quick_check_and_maintenance(school, teacher, goal):
    client = _client(teacher)
    assert client.get(f"/safety/equipment/{goal.pk}/quick-check/").status_code == 405
    client.post(f"/safety/equipment/{goal.pk}/quick-check/")
    inspection = Inspection.objects.get()
    assert (inspection.kind, inspection.outcome, len(inspection.results)) == ("pre_use", "pass", 4)
    goal.status, goal.status_reason = "out_of_service", "Bent"
    goal.save()
    assert client.get(f"/safety/equipment/{goal.pk}/maintenance/").status_code == 200
    bad = client.post(
        f"/safety/equipment/{goal.pk}/maintenance/",
        {"performed_on": TODAY.isoformat(), "kind": "repair", "description": "Fixed", "cost": "-3"},
    )
    assert bad.status_code == 200 and MaintenanceRecord.objects.count() == 0
    client.post(
        f"/safety/equipment/{goal.pk}/maintenance/",
        {
            "performed_on": TODAY.isoformat(),
            "kind": "repair",
            "description": "Straightened",
            "cost": "15",
            "returns_to_service": "on",
        },
    )
    goal.refresh_from_db()
    assert goal.status == "in_service"
    assert "Straightened" in client.get(f"/safety/equipment/{goal.pk}/").content.decode()


def test_retire_needs_confirmation(school, teacher, department_head, goal):
    assert _client(teacher).get(f"/safety/equipment/{goal.pk}/retire/").status_code == 403
    lead = _client(department_head)
    assert "Yes, retire this item" in lead.get(f"/safety/equipment/{goal.pk}/retire/").content.decode()
    assert lead.post(f"/safety/equipment/{goal.pk}/retire/", {"reason": "Old"}).status_code == 400
    goal.refresh_from_db()
    assert goal.status == "in_service"
    lead.post(f"/safety/equipment/{goal.pk}/retire/", {"reason": "Old", "confirm": "on"})
    goal.refresh_from_db()
    assert goal.status == "retired"


def _render(template, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load safety_equipment %}" + template).render(Context({"request": request, **context}))


def test_session_flags_tag(school, teacher, guardian, goal):
    session = ClassSessionFactory(pe_class__school=school)
    drill = ActivityFactory(school=school, name="Shooting drill")
    drill.equipment.set([goal.equipment_type])
    SessionBlockFactory(session=session, activity=drill, order=1)
    assert "Equipment to check" not in _render("{% session_equipment_flags session %}", teacher, session=session)
    goal.status, goal.status_reason = "out_of_service", "Frame cracked"
    goal.save()
    html = _render("{% session_equipment_flags session %}", teacher, session=session)
    assert "Goal A" in html and "Frame cracked" in html and "Shooting drill" in html
    assert f"/safety/equipment/{goal.pk}/" in html
    assert "Goal A" not in _render("{% session_equipment_flags session %}", guardian, session=session)


def test_attention_card_tag(school, department_head, guardian, goal):
    html = _render("{% equipment_attention_card school %}", department_head, school=school)
    assert "All equipment is in service" in html
    goal.status, goal.status_reason = "flagged", "Loose net"
    goal.save()
    html = _render("{% equipment_attention_card school %}", department_head, school=school)
    assert "Goal A" in html and "needs attention" in html
    assert _render("{% equipment_attention_card school %}", guardian, school=school).strip() == ""


def test_admin_pages_load(admin_client, goal):
    InspectionFactory(item=goal)
    for url in (
        "/admin/safety/equipmentitem/",
        "/admin/safety/equipmentitem/add/",
        f"/admin/safety/equipmentitem/{goal.pk}/change/",
        "/admin/safety/inspection/",
        "/admin/safety/inspection/add/",
        "/admin/safety/maintenancerecord/",
        "/admin/safety/maintenancerecord/add/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_privacy_export_and_erase(school, teacher, goal):
    from safety.services import equipment as services

    services.record_inspection(actor=teacher, item=goal, kind="pre_use", all_pass=True)
    services.record_maintenance(actor=teacher, item=goal, kind="cleaning", performed_on=TODAY, description="Wiped")
    entry = registry.entry_for("safety.Inspection")
    rows = list(entry.export_rows(entry.queryset_for(teacher)))
    assert [row["item_id"] for row in rows] == [goal.pk]
    assert entry.erase == {"inspector": None}
    assert registry.entry_for("safety.MaintenanceRecord").erase == {"recorded_by": None}
    assert "safety.EquipmentItem" in registry.exclusions()


def test_demo_seed_is_idempotent(school, teacher, department_head):
    from physed.models import SessionStatus
    from safety import demo_equipment
    from safety.selectors.equipment import flags_for_session

    teacher.email, department_head.email = f"teacher@{school.slug}.demo", f"head@{school.slug}.demo"
    teacher.save()
    department_head.save()
    for _tag, slug, name, *_rest in demo_equipment.ITEMS:
        EquipmentTypeFactory(slug=slug, name=name)
    ClassSessionFactory(pe_class__school=school, date=TODAY - datetime.timedelta(days=7), status="completed")
    session = ClassSessionFactory(pe_class__school=school, date=TODAY + datetime.timedelta(days=2))
    relay = ActivityFactory(school=school, name="Hurdle relay")
    relay.equipment.set([EquipmentTypeFactory(slug="hurdles")])
    SessionBlockFactory(session=session, activity=relay, order=1)
    context = {"schools": {school.slug: school}}
    demo_equipment.seed(context)
    counts = (EquipmentItem.objects.count(), Inspection.objects.count(), MaintenanceRecord.objects.count())
    demo_equipment.seed(context)
    assert (EquipmentItem.objects.count(), Inspection.objects.count(), MaintenanceRecord.objects.count()) == counts
    items = EquipmentItem.objects.filter(school=school)
    assert items.count() == 16
    assert list(items.filter(status="out_of_service").values_list("name", flat=True)) == ["Training hurdles"]
    assert items.filter(status="flagged").count() == 1
    assert items.filter(next_inspection_due__lt=TODAY).values_list("asset_tag", flat=True).get() == "DEMO-CLB-01"
    assert items.get(asset_tag="DEMO-VLT-01").status == "in_service"  # failed, then repaired
    assert items.get(asset_tag="DEMO-BAL-03").past_expected_life
    assert session.status == SessionStatus.PLANNED
    flags = flags_for_session(session)
    assert [(flag.item.name, flag.status, flag.activities) for flag in flags] == [
        ("Training hurdles", "out_of_service", ["Hurdle relay"])
    ]
