"""Protocols API: CRUD, filters, review states, sign-off, scoping, permissions, bad input."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Role
from accounts.tests.factories import make_member
from physed.tests.factories import EquipmentTypeFactory
from safety.models import ProtocolSignOff, SafetyProtocol
from safety.tests.factories_protocols import SafetyProtocolFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/safety/protocols/"
TODAY = timezone.localdate


def _payload(**extra):
    return {
        "title": "Trampoline",
        "activity_category": "gymnastics",
        "space": "gym",
        "requirements": "Spotters on all sides.",
        "pre_activity_checks": ["Springs covered", "Frame locked"],
        "supervision_ratio": 8,
        "review_interval_days": 180,
        **extra,
    }


def test_create_read_update_delete(client_for, school, department_head, school_admin):
    mat = EquipmentTypeFactory(slug="gym-mat", name="Gym mat")
    api = client_for(department_head)
    response = api.post(
        URL,
        _payload(protective_equipment=["gym-mat"], owner=department_head.pk, last_reviewed_on="2024-01-10"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pre_activity_checks"] == ["Springs covered", "Frame locked"]
    assert body["protective_equipment"] == [{"id": mat.pk, "slug": "gym-mat", "name": "Gym mat"}]
    assert body["last_reviewed_on"] == "2024-01-10"
    assert body["next_review_due"] == "2024-07-08"  # + 180 days
    assert body["review_state"] == "overdue"
    assert body["owner"] == department_head.pk and body["school"] == school.pk
    pk = body["id"]
    assert AuditEvent.objects.filter(action="safety.protocol_created", target_id=str(pk)).exists()

    response = api.patch(
        f"{URL}{pk}/", {"supervision_ratio": 6, "pre_activity_checks": ["Springs covered"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["supervision_ratio"] == 6 and response.json()["pre_activity_checks"] == ["Springs covered"]
    changes = AuditEvent.objects.get(action="safety.protocol_updated").changes
    assert changes["supervision_ratio"] == {"before": 8, "after": 6}

    assert api.get(f"{URL}{pk}/").json()["sign_offs"] == []
    assert api.delete(f"{URL}{pk}/").status_code == 403  # department heads cannot delete
    assert client_for(school_admin).delete(f"{URL}{pk}/").status_code == 204
    assert not SafetyProtocol.objects.filter(pk=pk).exists()


def test_new_protocol_is_due_one_interval_after_creation(client_for, department_head):
    body = client_for(department_head).post(URL, _payload(review_interval_days=10), format="json").json()
    assert body["next_review_due"] == (TODAY() + datetime.timedelta(days=10)).isoformat()
    assert body["review_state"] == "due_soon"


def test_filters_and_review_states(client_for, school, teacher):
    today = TODAY()
    overdue = SafetyProtocolFactory(school=school, title="A", last_reviewed_on=today - datetime.timedelta(days=400))
    soon = SafetyProtocolFactory(
        school=school,
        title="B",
        activity_category="aquatics",
        space="pool",
        last_reviewed_on=today - datetime.timedelta(days=360),
    )
    fine = SafetyProtocolFactory(school=school, title="C", space="field", last_reviewed_on=today)
    retired = SafetyProtocolFactory(
        school=school, title="D", status="retired", last_reviewed_on=today - datetime.timedelta(days=900)
    )
    api = client_for(teacher)

    def ids(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [overdue.pk, soon.pk, fine.pk, retired.pk]
    assert ids(review_state="overdue") == [overdue.pk]
    assert ids(review_state="due_soon") == [soon.pk]
    assert ids(review_state="ok") == [fine.pk]
    assert ids(activity_category="aquatics") == [soon.pk]
    assert ids(space="field") == [fine.pk]
    assert ids(status="retired") == [retired.pk]
    assert ids(search="C") == [fine.pk]
    assert api.get(URL, {"review_state": "late"}).status_code == 400
    rows = {row["id"]: row for row in api.get(URL).json()["results"]}
    assert rows[retired.pk]["review_state"] is None
    assert rows[soon.pk]["next_review_due"] == (today + datetime.timedelta(days=5)).isoformat()


def test_sign_off_moves_the_review_and_is_audited(client_for, school, department_head, teacher):
    protocol = SafetyProtocolFactory(school=school, last_reviewed_on=TODAY() - datetime.timedelta(days=400))
    protocol.review_reminded_on = TODAY()
    protocol.save()
    assert client_for(teacher).post(f"{URL}{protocol.pk}/sign-off/", {}, format="json").status_code == 403
    response = client_for(department_head).post(
        f"{URL}{protocol.pk}/sign-off/", {"note": "Mats replaced"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["signed_by"] == department_head.pk and response.json()["note"] == "Mats replaced"
    protocol.refresh_from_db()
    assert protocol.last_reviewed_on == TODAY() and protocol.review_reminded_on is None
    assert protocol.review_due_on == TODAY() + datetime.timedelta(days=365)
    detail = client_for(teacher).get(f"{URL}{protocol.pk}/").json()
    assert detail["review_state"] == "ok" and detail["sign_offs"][0]["signed_on"] == TODAY().isoformat()
    assert AuditEvent.objects.filter(action="safety.protocol_signed_off", target_id=str(protocol.pk)).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"signed_on": "2999-01-01"},
        {"note": "x" * 301},
        {"unknown": 1},
    ],
)
def test_bad_sign_off_is_400_and_stores_nothing(client_for, school, department_head, body):
    protocol = SafetyProtocolFactory(school=school)
    response = client_for(department_head).post(f"{URL}{protocol.pk}/sign-off/", body, format="json")
    assert response.status_code == 400
    assert ProtocolSignOff.objects.count() == 0


def test_other_school_is_404_and_permissions(client_for, school, other_school, department_head, guardian, teacher):
    foreign = SafetyProtocolFactory(school=other_school)
    api = client_for(department_head)
    assert api.get(f"{URL}{foreign.pk}/").status_code == 404
    assert api.patch(f"{URL}{foreign.pk}/", {"title": "x"}, format="json").status_code == 404
    assert api.post(f"{URL}{foreign.pk}/sign-off/", {}, format="json").status_code == 404
    assert foreign.pk not in [row["id"] for row in api.get(URL).json()["results"]]
    assert client_for(guardian).get(URL).status_code == 403
    assert client_for(teacher).post(URL, _payload(), format="json").status_code == 403
    own = SafetyProtocolFactory(school=school)
    assert client_for(teacher).patch(f"{URL}{own.pk}/", {"title": "x"}, format="json").status_code == 403


@pytest.mark.parametrize(
    "extra",
    [
        {"supervision_ratio": 0},
        {"supervision_ratio": 101},
        {"review_interval_days": 3},
        {"activity_category": "juggling"},
        {"pre_activity_checks": ["same", "Same"]},
        {"pre_activity_checks": "not a list"},
        {"protective_equipment": ["no-such-thing"]},
        {"last_reviewed_on": "2999-01-01"},
        {"last_reviewed_on": "2024-02-30"},
        {"school": 999999},
        {"is_staff": True},
        {"review_due_on": "2024-01-01"},
        {"title": ""},
    ],
)
def test_bad_input_is_400_and_stores_nothing(client_for, department_head, extra):
    response = client_for(department_head).post(URL, _payload(**extra), format="json")
    assert response.status_code == 400, response.json()
    assert set(response.json()["error"]) >= {"code", "message", "fields"}
    assert SafetyProtocol.objects.count() == 0


def test_owner_must_be_staff_of_the_school(client_for, school, other_school, department_head, student):
    outsider = make_member(other_school, Role.TEACHER)
    api = client_for(department_head)
    assert api.post(URL, _payload(owner=outsider.pk), format="json").status_code == 400  # not visible: no such id
    response = api.post(URL, _payload(owner=student.pk), format="json")
    assert response.status_code == 400
    assert "owner" in response.json()["error"]["fields"]
    assert SafetyProtocol.objects.count() == 0
