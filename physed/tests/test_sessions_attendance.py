"""Taking attendance: the bulk API (one request for the whole class, ≤ 10 queries for 40
students), upserts, validation, permissions, and the one-tap page."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from physed.models import AttendanceRecord, AttendanceStatus, SessionStatus
from physed.tests.factories_roster import EnrollmentFactory, StudentFactory
from physed.tests.factories_sessions import ClassSessionFactory, class_with_students

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 14)


def _url(session):
    return f"/api/v1/physed/sessions/{session.pk}/attendance/"


@pytest.fixture
def setup(school):
    pe_class, students = class_with_students(school, 4)
    session = ClassSessionFactory(pe_class=pe_class, date=DAY)
    return session, students


def test_whole_class_defaults_to_present_with_exceptions(setup, teacher, client_for):
    session, students = setup
    payload = {
        "default_status": "present",
        "records": [
            {"student": students[0].pk, "status": "absent", "note": "ill"},
            {"student": students[1].pk, "status": "late", "minutes_late": 7},
        ],
    }
    response = client_for(teacher).post(_url(session), payload, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["created"] == 4 and body["updated"] == 0 and body["total"] == 4
    assert body["counts"]["present"] == 2 and body["counts"]["absent"] == 1 and body["counts"]["late"] == 1
    rows = {r.student_id: r for r in AttendanceRecord.objects.filter(session=session)}
    assert rows[students[0].pk].status == "absent" and rows[students[0].pk].note == "ill"
    assert rows[students[1].pk].minutes_late == 7
    assert rows[students[2].pk].status == "present" and rows[students[2].pk].recorded_by == teacher
    event = AuditEvent.objects.get(action="physed.attendance_recorded")
    assert event.changes["created"] == 4 and event.school_id == session.pe_class.school_id


def test_second_call_updates_in_place(setup, teacher, client_for):
    session, students = setup
    client = client_for(teacher)
    client.post(_url(session), {"default_status": "present"}, format="json")
    response = client.post(
        _url(session), {"records": [{"student": students[3].pk, "status": "excused"}]}, format="json"
    )
    body = response.json()
    assert body["created"] == 0 and body["updated"] == 1
    assert body["counts"]["present"] == 3 and body["counts"]["excused"] == 1
    assert AttendanceRecord.objects.filter(session=session).count() == 4


def test_students_not_enrolled_are_listed_and_nothing_is_written(setup, teacher, client_for, school, other_school):
    session, _students = setup
    stranger = StudentFactory(school=school)
    foreign = StudentFactory(school=other_school)
    payload = {
        "default_status": "present",
        "records": [
            {"student": stranger.pk, "status": "present"},
            {"student": foreign.pk, "status": "absent"},
        ],
    }
    response = client_for(teacher).post(_url(session), payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    message = error["fields"]["records"][0]
    assert str(stranger.pk) in message and str(foreign.pk) in message
    assert not AttendanceRecord.objects.exists()


def test_withdrawn_before_the_date_is_not_on_the_roster(school, teacher, client_for):
    pe_class, _students = class_with_students(school, 2)
    gone = EnrollmentFactory(
        pe_class=pe_class,
        student__school=school,
        start_date=datetime.date(2026, 8, 20),
        end_date=datetime.date(2026, 9, 1),
        status="withdrawn",
    ).student
    session = ClassSessionFactory(pe_class=pe_class, date=DAY)
    early = ClassSessionFactory(pe_class=pe_class, date=datetime.date(2026, 8, 31))
    client = client_for(teacher)
    assert client.post(_url(session), {"default_status": "present"}, format="json").json()["total"] == 2
    assert client.post(_url(early), {"default_status": "present"}, format="json").json()["total"] == 3
    response = client.post(_url(session), {"records": [{"student": gone.pk, "status": "present"}]}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "record, field",
    [
        ({"status": "sleeping"}, "status"),
        ({"status": "present", "minutes_late": 5}, "minutes_late"),
        ({"status": "late", "minutes_late": 999}, "minutes_late"),
    ],
)
def test_bad_rows_are_a_400_naming_the_field(setup, teacher, client_for, record, field):
    session, students = setup
    response = client_for(teacher).post(
        _url(session), {"records": [{"student": students[0].pk, **record}]}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert field in str(fields)
    assert not AttendanceRecord.objects.exists()


def test_duplicate_student_rows_are_refused(setup, teacher, client_for):
    session, students = setup
    rows = [{"student": students[0].pk, "status": "present"}, {"student": students[0].pk, "status": "absent"}]
    response = client_for(teacher).post(_url(session), {"records": rows}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["records"]["1"]["student"]


def test_unknown_keys_are_refused(setup, teacher, client_for):
    session, _students = setup
    response = client_for(teacher).post(_url(session), {"default_status": "present", "school": 1}, format="json")
    assert response.status_code == 400
    assert "school" in response.json()["error"]["fields"]


def test_cancelled_session_refuses_attendance(setup, teacher, client_for):
    session, _students = setup
    session.status = SessionStatus.CANCELLED
    session.save()
    response = client_for(teacher).post(_url(session), {"default_status": "present"}, format="json")
    assert response.status_code == 400


def test_assistant_may_run_a_session(setup, assistant, client_for):
    session, _students = setup
    response = client_for(assistant).post(_url(session), {"default_status": "present"}, format="json")
    assert response.status_code == 200


def test_student_and_guardian_may_not(setup, student, guardian, client_for):
    session, _students = setup
    for user in (student, guardian):
        response = client_for(user).post(_url(session), {"default_status": "present"}, format="json")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"


def test_other_school_gets_404_and_anonymous_401(setup, other_teacher, client_for, api_client):
    session, _students = setup
    assert (
        client_for(other_teacher).post(_url(session), {"default_status": "present"}, format="json").status_code == 404
    )
    assert api_client.post(_url(session), {"default_status": "present"}, format="json").status_code == 401
    assert not AttendanceRecord.objects.exists()


def test_a_class_of_forty_in_at_most_ten_queries(school, teacher, client_for, django_assert_max_num_queries):
    pe_class, students = class_with_students(school, 40, capacity=40)
    session = ClassSessionFactory(pe_class=pe_class, date=DAY)
    client = client_for(teacher)
    records = [{"student": s.pk, "status": "absent"} for s in students[:5]]
    client.get(f"/api/v1/physed/sessions/{session.pk}/")  # warm the permission cache like any prior request
    with django_assert_max_num_queries(10):
        response = client.post(_url(session), {"default_status": "present", "records": records}, format="json")
    assert response.status_code == 200
    assert response.json()["counts"]["present"] == 35
    # an update of the whole class stays within the same budget
    with django_assert_max_num_queries(10):
        response = client.post(
            _url(session), {"records": [{"student": s.pk, "status": "late"} for s in students]}, format="json"
        )
    assert response.json()["updated"] == 40
    assert AttendanceRecord.objects.filter(session=session, status="late").count() == 40


def test_attendance_sheet_lists_the_roster_with_statuses(setup, teacher, client_for):
    session, students = setup
    client = client_for(teacher)
    client.post(_url(session), {"records": [{"student": students[0].pk, "status": "medical"}]}, format="json")
    body = client.get(_url(session)).json()
    assert body["session"] == session.pk
    statuses = {row["student"]: row["status"] for row in body["rows"]}
    assert statuses[students[0].pk] == "medical"
    assert statuses[students[1].pk] is None
    assert len(body["rows"]) == 4


def test_one_tap_page_marks_one_absent(setup, teacher, client):
    session, students = setup
    client.force_login(teacher)
    url = reverse("session-attendance", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # every student is pre-set to present
    assert html.count('value="present" checked') == 4
    data = {f"status-{s.pk}": "present" for s in students}
    data[f"status-{students[2].pk}"] = "absent"
    data[f"status-{students[1].pk}"] = "late"
    data[f"late-{students[1].pk}"] = "5"
    data[f"note-{students[2].pk}"] = "dentist"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("session-detail", args=[session.pk])
    rows = {r.student_id: r for r in AttendanceRecord.objects.filter(session=session)}
    assert rows[students[2].pk].status == AttendanceStatus.ABSENT and rows[students[2].pk].note == "dentist"
    assert rows[students[1].pk].minutes_late == 5
    detail = client.get(response.url).content.decode()
    assert "Attendance saved" in detail and "dentist" in detail


def test_one_tap_page_shows_row_errors(setup, teacher, client):
    session, students = setup
    client.force_login(teacher)
    url = reverse("session-attendance", args=[session.pk])
    response = client.post(url, {f"status-{students[0].pk}": "present", f"late-{students[0].pk}": "5"})
    assert response.status_code == 302  # minutes late ignored unless late
    response = client.post(url, {f"status-{students[0].pk}": "late", f"late-{students[0].pk}": "abc"})
    assert response.status_code == 400
    assert "whole number" in response.content.decode()


def test_one_tap_page_permissions(setup, student, other_teacher, client):
    session, _students = setup
    url = reverse("session-attendance", args=[session.pk])
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(student)
    assert client.get(url).status_code == 403
    client.force_login(other_teacher)
    assert client.get(url).status_code == 404
