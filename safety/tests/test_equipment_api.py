"""Equipment API: CRUD and filters, inspect/maintenance/checklist actions, histories, session
flags; 404 across schools, 403 without the permission, bad input → 400 with nothing stored."""

import datetime

import pytest
from django.utils import timezone

from physed.tests.factories import ActivityFactory, ClassSessionFactory, EquipmentTypeFactory, SessionBlockFactory
from safety.models import EquipmentItem, Inspection, MaintenanceRecord
from safety.tests.factories import EquipmentItemFactory, InspectionFactory, MaintenanceRecordFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
BASE = "/api/v1/safety/equipment/"


@pytest.fixture
def mat_type(db):
    return EquipmentTypeFactory(slug="gym-mat", name="Gym mat")


def _payload(mat_type, **extra):
    return {
        "equipment_type": mat_type.pk,
        "name": "Blue mats",
        "location": "Gym store",
        "quantity": 6,
        "purchase_date": "2023-09-01",
        "expected_life_years": 8,
        "asset_tag": "MAT-7",
        **extra,
    }


def test_create_list_retrieve_update_delete(school, teacher, department_head, school_admin, client_for, mat_type):
    response = client_for(teacher).post(BASE, _payload(mat_type), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["school"] == school.pk
    assert body["equipment_type_slug"] == "gym-mat"
    assert body["status"] == "in_service"
    assert body["end_of_life"] == "2031-09-01"
    assert body["next_inspection_due"] == (TODAY + 180 * DAY).isoformat()
    assert body["needs_attention"] is False
    item_id = body["id"]

    listing = client_for(teacher).get(BASE).json()
    assert [row["name"] for row in listing["results"]] == ["Blue mats"]
    assert listing["results"][0]["last_inspected_on"] is None

    assert client_for(teacher).patch(f"{BASE}{item_id}/", {"name": "x"}, format="json").status_code == 403
    response = client_for(department_head).patch(
        f"{BASE}{item_id}/", {"quantity": 5, "status": "out_of_service", "status_reason": "Torn cover"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["quantity"], response.json()["status"]) == (5, "out_of_service")
    assert response.json()["needs_attention"] is True

    assert client_for(department_head).delete(f"{BASE}{item_id}/").status_code == 403
    assert client_for(school_admin).delete(f"{BASE}{item_id}/").status_code == 204
    assert not EquipmentItem.objects.filter(pk=item_id).exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"quantity": 0},
        {"purchase_date": (TODAY + DAY).isoformat()},
        {"purchase_date": "2023-02-30"},
        {"expected_life_years": 99},
        {"asset_tag": "TAKEN"},
        {"status": "flagged"},
        {"school_id": 1},
        {"equipment_type": 999999},
        {"name": ""},
    ],
)
def test_create_bad_input_is_400_and_stores_nothing(school, teacher, client_for, mat_type, extra):
    EquipmentItemFactory(school=school, asset_tag="TAKEN")
    response = client_for(teacher).post(BASE, _payload(mat_type, **extra), format="json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert EquipmentItem.objects.count() == 1


def test_status_change_needs_a_reason(school, department_head, client_for):
    item = EquipmentItemFactory(school=school)
    response = client_for(department_head).patch(f"{BASE}{item.pk}/", {"status": "flagged"}, format="json")
    assert response.status_code == 400
    assert "status_reason" in response.json()["error"]["fields"]
    item.refresh_from_db()
    assert item.status == "in_service"


def test_filters_and_search(school, other_school, client_for, assistant, mat_type):
    goal_type = EquipmentTypeFactory(slug="soccer-goal", name="Soccer goal")
    EquipmentItemFactory(school=school, name="Mats", equipment_type=mat_type, location="Gym")
    EquipmentItemFactory(
        school=school, name="Goals", equipment_type=goal_type, location="Field", status="flagged", status_reason="x"
    )
    overdue = EquipmentItemFactory(school=school, name="Old mats", equipment_type=mat_type, location="Gym")
    EquipmentItem.objects.filter(pk=overdue.pk).update(next_inspection_due=TODAY - DAY)
    EquipmentItemFactory(school=other_school, name="Their mats", equipment_type=mat_type, status="flagged")
    client = client_for(assistant)

    def names(**params):
        response = client.get(BASE, params)
        assert response.status_code == 200, response.json()
        return sorted(row["name"] for row in response.json()["results"])

    assert names() == ["Goals", "Mats", "Old mats"]
    assert names(equipment_type=goal_type.pk) == ["Goals"]
    assert names(location="gym") == ["Mats", "Old mats"]
    assert names(status="flagged") == ["Goals"]
    assert names(needs_attention="true") == ["Goals", "Old mats"]
    assert names(needs_attention="false") == ["Mats"]
    assert names(inspection_overdue="true") == ["Old mats"]
    assert names(search="goal") == ["Goals"]
    assert client.get(BASE, {"needs_attention": "maybe"}).status_code == 400


def test_other_school_is_404_and_missing_permission_403(school, other_school, client_for, teacher, guardian):
    theirs = EquipmentItemFactory(school=other_school)
    client = client_for(teacher)
    for method, suffix in (("get", ""), ("patch", ""), ("delete", ""), ("post", "inspect/"), ("get", "checklist/")):
        response = getattr(client, method)(f"{BASE}{theirs.pk}/{suffix}", {}, format="json")
        assert response.status_code == 404
    ours = EquipmentItemFactory(school=school)
    assert client_for(guardian).get(f"{BASE}{ours.pk}/").status_code == 403
    assert client_for(guardian).post(f"{BASE}{ours.pk}/inspect/", {}, format="json").status_code == 403
    assert EquipmentItem.objects.filter(pk=theirs.pk).exists()


def test_inspect_action(school, teacher, department_head, client_for):
    goal = EquipmentItemFactory(school=school, equipment_type=EquipmentTypeFactory(slug="soccer-goal", name="Goal"))
    client = client_for(teacher)
    checklist = client.get(f"{BASE}{goal.pk}/checklist/").json()
    assert checklist["key"] == "goals_posts"
    assert checklist["formal_interval_days"] == 90
    assert checklist["pre_use_checks"] == ["anchored", "frame", "net", "padding"]

    response = client.post(f"{BASE}{goal.pk}/inspect/", {"kind": "pre_use", "all_pass": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["outcome"] == "pass"
    assert [row["check"] for row in response.json()["results"]] == checklist["pre_use_checks"]

    results = [{"check": key, "result": "pass"} for key in (c["key"] for c in checklist["checks"])]
    results[0] = {"check": "anchored", "result": "fail", "note": "Sandbags missing"}
    response = client.post(
        f"{BASE}{goal.pk}/inspect/",
        {"kind": "formal", "inspected_on": (TODAY - DAY).isoformat(), "results": results},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "fail"
    assert body["next_due"] == (TODAY - DAY + 90 * DAY).isoformat()
    item = client.get(f"{BASE}{goal.pk}/").json()
    assert item["status"] == "out_of_service"
    assert "Sandbags missing" in item["status_reason"]
    assert item["last_inspected_on"] == TODAY.isoformat()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "pre_use"},
        {"kind": "pre_use", "results": [{"check": "anchored", "result": "pass"}]},
        {"kind": "pre_use", "all_pass": True, "inspected_on": "2999-01-01"},
        {"kind": "pre_use", "all_pass": True, "extra": 1},
        {"kind": "yearly", "all_pass": True},
        {
            "kind": "pre_use",
            "results": [{"check": key, "result": "pass"} for key in ("anchored", "frame", "net", "padding", "unknown")],
        },
        {
            "kind": "pre_use",
            "results": [{"check": key, "result": "ok"} for key in ("anchored", "frame", "net", "padding")],
        },
    ],
)
def test_inspect_bad_input(school, teacher, client_for, body):
    goal = EquipmentItemFactory(school=school, equipment_type=EquipmentTypeFactory(slug="soccer-goal", name="Goal"))
    response = client_for(teacher).post(f"{BASE}{goal.pk}/inspect/", body, format="json")
    assert response.status_code == 400
    assert Inspection.objects.count() == 0


def test_maintenance_action(school, teacher, client_for):
    item = EquipmentItemFactory(school=school, status="out_of_service", status_reason="Torn")
    client = client_for(teacher)
    response = client.post(
        f"{BASE}{item.pk}/maintenance/",
        {
            "performed_on": TODAY.isoformat(),
            "kind": "repair",
            "description": "Patched",
            "cost": "20.00",
            "returns_to_service": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["cost"] == "20.00"
    item.refresh_from_db()
    assert item.status == "in_service"
    for bad in (
        {"performed_on": TODAY.isoformat(), "kind": "repair", "description": "x", "cost": "-5"},
        {"performed_on": (TODAY + DAY).isoformat(), "kind": "repair", "description": "x"},
        {"performed_on": TODAY.isoformat(), "kind": "retirement", "description": "x"},  # teacher may not retire
        {"performed_on": TODAY.isoformat(), "kind": "repair"},
        # the schema says text and boolean: a number or 0/1 is not taken for them
        {"performed_on": TODAY.isoformat(), "kind": "repair", "description": "x", "cost": 20},
        {"performed_on": TODAY.isoformat(), "kind": "repair", "description": "x", "returns_to_service": 1},
    ):
        assert client.post(f"{BASE}{item.pk}/maintenance/", bad, format="json").status_code in (400, 403)
    assert MaintenanceRecord.objects.count() == 1


def test_histories(school, other_school, assistant, client_for):
    item = EquipmentItemFactory(school=school)
    InspectionFactory(item=item, outcome="flag", inspected_on=TODAY - 3 * DAY)
    InspectionFactory(item=item, outcome="pass", inspected_on=TODAY - 10 * DAY)
    InspectionFactory(item__school=other_school)
    MaintenanceRecordFactory(item=item, kind="service")
    theirs = MaintenanceRecordFactory(item__school=other_school)
    client = client_for(assistant)
    rows = client.get("/api/v1/safety/inspections/").json()["results"]
    assert [row["outcome"] for row in rows] == ["flag", "pass"]
    assert [r["outcome"] for r in client.get("/api/v1/safety/inspections/", {"outcome": "flag"}).json()["results"]] == [
        "flag"
    ]
    since = (TODAY - 5 * DAY).isoformat()
    assert len(client.get("/api/v1/safety/inspections/", {"date_from": since}).json()["results"]) == 1
    assert len(client.get("/api/v1/safety/inspections/", {"item": item.pk}).json()["results"]) == 2
    maintenance = client.get("/api/v1/safety/maintenance/").json()["results"]
    assert [(row["item"], row["kind"]) for row in maintenance] == [(item.pk, "service")]
    assert client.get(f"/api/v1/safety/maintenance/{theirs.pk}/").status_code == 404


def test_session_equipment_flags(school, other_school, teacher, guardian, client_for):
    goal_type = EquipmentTypeFactory(slug="soccer-goal", name="Soccer goal")
    session = ClassSessionFactory(pe_class__school=school)
    game = ActivityFactory(school=school, name="Shooting drill")
    game.equipment.set([goal_type])
    SessionBlockFactory(session=session, activity=game, order=1)
    item = EquipmentItemFactory(
        school=school, equipment_type=goal_type, name="Goal A", status="out_of_service", status_reason="Bent frame"
    )
    response = client_for(teacher).get(f"/api/v1/safety/sessions/{session.pk}/equipment-flags/")
    assert response.status_code == 200
    assert response.json() == {
        "session": session.pk,
        "flags": [
            {
                "item": item.pk,
                "item_name": "Goal A",
                "location": "Gym store",
                "status": "out_of_service",
                "reason": "Bent frame",
                "severity": "danger",
                "equipment_type": goal_type.pk,
                "equipment_type_name": "Soccer goal",
                "activities": ["Shooting drill"],
                "due": None,
            }
        ],
    }
    assert client_for(guardian).get(f"/api/v1/safety/sessions/{session.pk}/equipment-flags/").status_code == 403
    theirs = ClassSessionFactory(pe_class__school=other_school)
    assert client_for(teacher).get(f"/api/v1/safety/sessions/{theirs.pk}/equipment-flags/").status_code == 404


def test_list_query_count_does_not_grow(school, school_admin, client_for, django_assert_max_num_queries):
    for _ in range(12):
        item = EquipmentItemFactory(school=school)
        InspectionFactory(item=item)
    client = client_for(school_admin)
    client.get(BASE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (5, 12):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE, {"page_size": size}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
