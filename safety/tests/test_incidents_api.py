"""Incident API: create, list/filter/search, audited retrieve, PATCH as amendment, no DELETE,
workflow, actions, guardian notices, analytics; scoping (404) and permissions (403)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Role
from accounts.tests.factories import make_member
from physed.models import AttendanceStatus
from physed.tests.factories import (
    ActivityFactory,
    AttendanceRecordFactory,
    ClassSessionFactory,
    GuardianshipFactory,
    PEClassFactory,
    SessionBlockFactory,
    StudentFactory,
)
from safety.models import GuardianNotice, Incident, IncidentAction
from safety.tests.factories_incidents import GuardianNoticeFactory, IncidentFactory, IncidentStudentFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/safety/incidents/"


def when(**kwargs):
    return (timezone.now() - datetime.timedelta(**kwargs)).isoformat()


def payload(student, **extra):
    body = {
        "kind": "injury",
        "severity": "minor",
        "occurred_at": when(hours=2),
        "location": "Main gym",
        "description": "Collided with the wall during a sprint.",
        "contributing_factors": ["insufficient_space"],
        "students": [{"student": student.pk, "injured": True, "body_area": "shoulder", "injury_type": "bruise"}],
    }
    body.update(extra)
    return body


def test_create_and_retrieve_audited(client_for, teacher, school):
    student = StudentFactory(school=school)
    activity = ActivityFactory(school=school)
    session = ClassSessionFactory(pe_class__school=school)
    client = client_for(teacher)
    response = client.post(
        URL,
        payload(student, activity=activity.pk, session=session.pk, staff_present=[teacher.pk]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("INC-") and body["status"] == "reported"
    assert body["pe_class"] == session.pe_class_id
    assert body["students"][0]["student_name"] == student.display_name
    assert body["contributing_factor_labels"] == ["Insufficient space / run-off area"]
    detail = client.get(f"{URL}{body['id']}/")
    assert detail.status_code == 200 and detail["Cache-Control"] == "private, no-store"
    assert (
        AuditEvent.objects.filter(action="safety.incident_viewed", target_id=str(body["id"]), actor=teacher).count()
        == 1
    )


@pytest.mark.parametrize(
    "change",
    [
        {"occurred_at": (timezone.now() + datetime.timedelta(days=2)).isoformat()},
        {"occurred_at": "1998-01-01T10:00:00Z"},
        {"contributing_factors": ["gremlins"]},
        {"severity": "catastrophic"},
        {"unknown_key": 1},
        {"kind": "near_miss", "severity": "none"},
    ],
)
def test_bad_input_is_400_and_nothing_stored(client_for, teacher, school, change):
    response = client_for(teacher).post(URL, payload(StudentFactory(school=school), **change), format="json")
    assert response.status_code == 400, response.json()
    assert "error" in response.json()
    assert not Incident.objects.exists()


def test_foreign_ids_are_400(client_for, teacher, school, other_school):
    client = client_for(teacher)
    response = client.post(URL, payload(StudentFactory(school=other_school)), format="json")
    assert response.status_code == 400
    response = client.post(
        URL, payload(StudentFactory(school=school), pe_class=PEClassFactory(school=other_school).pk), format="json"
    )
    assert response.status_code == 400
    other_class = PEClassFactory(school=school)
    session = ClassSessionFactory(pe_class__school=school)
    response = client.post(
        URL, payload(StudentFactory(school=school), pe_class=other_class.pk, session=session.pk), format="json"
    )
    assert response.status_code == 400 and "session" in response.json()["error"]["fields"]
    assert not Incident.objects.exists()


def test_list_filters_search_and_scope(client_for, teacher, school, other_school):
    injury = IncidentFactory(school=school, location="Sports field", severity="serious")
    IncidentStudentFactory(incident=injury, student__last_name="Quintero")
    near = IncidentFactory(school=school, kind="near_miss", severity="none", status="closed")
    IncidentFactory(school=other_school)
    client = client_for(teacher)
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    assert set(ids(client.get(URL))) == {injury.pk, near.pk}
    assert ids(client.get(URL, {"kind": "near_miss"})) == [near.pk]
    assert ids(client.get(URL, {"status": "reported", "severity": "serious"})) == [injury.pk]
    assert ids(client.get(URL, {"search": "quinter"})) == [injury.pk]
    rows = client.get(URL, {"search": "Sports"}).json()["results"]
    assert rows[0]["student_count"] == 1 and rows[0]["open_actions"] == 0
    assert client.get(URL, {"date_after": "2000-01-01", "date_before": "2000-12-31"}).json()["results"] == []


def test_patch_is_an_amendment_with_reason_and_delete_is_405(client_for, teacher, school):
    incident = IncidentFactory(school=school)
    IncidentStudentFactory(incident=incident)
    client = client_for(teacher)
    url = f"{URL}{incident.pk}/"
    assert client.patch(url, {"location": "Gym 2"}, format="json").status_code == 400
    response = client.patch(url, {"location": "Gym 2", "reason": "Wrong gym noted"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["location"] == "Gym 2"
    assert body["amendments"][-1]["changes"] == {"location": ["Main gym", "Gym 2"]}
    assert body["amendments"][-1]["reason"] == "Wrong gym noted"
    assert client.delete(url).status_code == 405
    assert client.put(url, {}, format="json").status_code == 405
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_other_school_is_404_and_guardian_is_403(client_for, teacher, guardian, school, other_school):
    foreign = IncidentFactory(school=other_school)
    assert client_for(teacher).get(f"{URL}{foreign.pk}/").status_code == 404
    own = IncidentFactory(school=school)
    assert client_for(guardian).get(f"{URL}{own.pk}/").status_code == 403
    assert client_for(guardian).get(URL).status_code == 403
    assert (
        client_for(teacher).post(f"{URL}{own.pk}/transition/", {"status": "closed"}, format="json").status_code == 403
    )


def test_transition_actions_and_complete(client_for, teacher, department_head, school):
    incident = IncidentFactory(school=school)
    head = client_for(department_head)
    response = head.post(
        f"{URL}{incident.pk}/actions/",
        {"description": "Pad the wall", "owner": teacher.pk, "due_date": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    action_id = response.json()["id"]
    response = head.post(f"{URL}{incident.pk}/transition/", {"status": "closed"}, format="json")
    assert response.status_code == 400 and "Pad the wall" in response.json()["error"]["message"]
    mine = client_for(teacher).get("/api/v1/safety/incident-actions/", {"mine": "true", "open": "true"})
    assert [row["id"] for row in mine.json()["results"]] == [action_id]
    done = client_for(teacher).post(f"/api/v1/safety/incident-actions/{action_id}/complete/", {"note": "Padded"})
    assert done.status_code == 200 and done.json()["is_open"] is False
    response = head.post(f"{URL}{incident.pk}/transition/", {"status": "closed"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["allowed_transitions"] == ["under_review"]
    assert IncidentAction.objects.get().completion_note == "Padded"
    bad = head.post(
        f"{URL}{incident.pk}/actions/",
        {"description": "x", "owner": teacher.pk, "due_date": "2020-01-01"},
        format="json",
    )
    assert bad.status_code == 400


def test_guardian_notices_flow_and_guardian_scope(client_for, teacher, guardian, school):
    student = StudentFactory(school=school)
    GuardianshipFactory(student=student, guardian=guardian)
    incident = IncidentFactory(school=school, first_aid_given="Ice", witnesses="Secret witness")
    IncidentStudentFactory(incident=incident, student=student)
    other = GuardianNoticeFactory(incident__school=school)  # another child's notice
    staff = client_for(teacher)
    response = staff.post(f"{URL}{incident.pk}/guardian-notices/")
    assert response.status_code == 201
    notice_id = response.json()[0]["id"]
    assert "Secret witness" not in response.json()[0]["body"]
    assert client_for(guardian).get("/api/v1/safety/guardian-notices/").json()["results"] == []
    edited = staff.patch(f"/api/v1/safety/guardian-notices/{notice_id}/", {"subject": "About today"}, format="json")
    assert edited.status_code == 200 and edited.json()["subject"] == "About today"
    assert staff.post(f"/api/v1/safety/guardian-notices/{notice_id}/mark-sent/").status_code == 200
    GuardianNotice.objects.filter(pk=other.pk).update(sent_at=timezone.now())
    rows = client_for(guardian).get("/api/v1/safety/guardian-notices/").json()["results"]
    assert [row["id"] for row in rows] == [notice_id]
    assert set(rows[0]) == {
        "id", "incident", "incident_reference", "occurred_at", "student", "student_name",
        "language", "subject", "body", "sent_at", "created_at",
    }  # fmt: skip
    assert client_for(guardian).get(f"/api/v1/safety/guardian-notices/{other.pk}/").status_code == 404
    assert (
        client_for(guardian)
        .patch(f"/api/v1/safety/guardian-notices/{notice_id}/", {"subject": "x"}, format="json")
        .status_code
        == 403
    )
    again = staff.patch(f"/api/v1/safety/guardian-notices/{notice_id}/", {"subject": "late"}, format="json")
    assert again.status_code == 400


def test_analytics_counts_and_rates(client_for, department_head, school):
    pe_class = PEClassFactory(school=school)
    day = timezone.localdate() - datetime.timedelta(days=5)
    session = ClassSessionFactory(pe_class=pe_class, date=day)
    activity = ActivityFactory(school=school, category="invasion", space="field", name="Ultimate")
    SessionBlockFactory(session=session, activity=activity, planned_minutes=60, order=1)
    for _ in range(4):
        AttendanceRecordFactory(session=session, status=AttendanceStatus.PRESENT)
    occurred = timezone.now() - datetime.timedelta(days=5)
    injury = IncidentFactory(school=school, pe_class=pe_class, activity=activity, space="field", occurred_at=occurred)
    IncidentStudentFactory(incident=injury, body_area="knee", injury_type="sprain")
    IncidentFactory(school=school, kind="near_miss", severity="none", occurred_at=occurred)
    client = client_for(department_head)
    response = client.get(f"{URL}analytics/", {"from": (day - datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["incidents"] == 1 and body["near_misses"] == 1
    assert body["participation_hours"] == 4.0
    assert body["rate_per_1000_hours"] == 250.0
    assert {row["key"]: row["count"] for row in body["by_kind"]} == {"injury": 1, "illness": 0, "near_miss": 1}
    assert body["body_injury"]["rows"] == [{"key": "knee", "label": "Knee", "counts": [1], "total": 1}]
    assert body["rates_by_category"] == [
        {"key": "invasion", "label": "Invasion games", "incidents": 1, "hours": 4.0, "rate": 250.0}
    ]
    assert [row for row in body["by_activity"] if row["count"]] == [
        {"key": "Ultimate", "label": "Ultimate", "count": 1}
    ]
    assert client.get(f"{URL}analytics/", {"from": "2026-05-01", "to": "2026-04-01"}).status_code == 400
    assert client.get(f"{URL}analytics/", {"from": "2019-01-01", "to": "2026-01-01"}).status_code == 400
    assert client.get(f"{URL}analytics/", {"class": 999999}).status_code == 400


def test_assistant_reports_but_cannot_amend(client_for, school):
    assistant = make_member(school, Role.ASSISTANT)
    client = client_for(assistant)
    response = client.post(URL, payload(StudentFactory(school=school)), format="json")
    assert response.status_code == 201
    patch = client.patch(f"{URL}{response.json()['id']}/", {"location": "x", "reason": "y"}, format="json")
    assert patch.status_code == 403
