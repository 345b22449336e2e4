"""Roster API: values, filters, permissions (anonymous, other school 404, wrong role 403, students
and guardians only their own), error shapes, nested class data and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.tests.factories import make_member
from physed.models import Enrollment, EnrollmentStatus, Guardianship, PEClass, Student
from physed.services import roster as service
from physed.tests.factories_roster import (
    ClassMeetingFactory,
    EnrollmentFactory,
    GuardianshipFactory,
    PEClassFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/physed"


def error_fields(response):
    body = response.json()
    assert set(body["error"]) >= {"code", "message", "fields"}
    return body["error"]["fields"]


# --- students -----------------------------------------------------------------------------------


def test_student_list_is_flat_filtered_searchable_and_scoped(school, other_school, teacher, client_for):
    ana = StudentFactory(school=school, first_name="Ana", last_name="Ruiz", grade=6, external_id="A-1")
    StudentFactory(school=school, first_name="Ben", last_name="Ode", grade=7)
    StudentFactory(school=school, first_name="Cy", last_name="Wu", grade=7, status="graduated")
    StudentFactory(school=other_school, first_name="Ana", last_name="Elsewhere", grade=6)
    api = client_for(teacher)
    body = api.get(f"{API}/students/", {"ordering": "last_name"}).json()
    assert [row["last_name"] for row in body["results"]] == ["Ode", "Ruiz", "Wu"]
    assert body["results"][1] == {
        "id": ana.pk,
        "school": school.pk,
        "external_id": "A-1",
        "first_name": "Ana",
        "last_name": "Ruiz",
        "preferred_name": "",
        "grade": 6,
        "sex": ana.sex,
        "status": "active",
        "date_of_birth": ana.date_of_birth.isoformat(),
    }
    assert [r["first_name"] for r in api.get(f"{API}/students/", {"search": "ana"}).json()["results"]] == ["Ana"]
    assert [r["first_name"] for r in api.get(f"{API}/students/", {"search": "A-1"}).json()["results"]] == ["Ana"]
    assert api.get(f"{API}/students/", {"grade": 7, "status": "active"}).json()["count"] == 1
    pe_class = PEClassFactory(school=school)
    EnrollmentFactory(pe_class=pe_class, student=ana)
    assert [r["id"] for r in api.get(f"{API}/students/", {"pe_class": pe_class.pk}).json()["results"]] == [ana.pk]
    response = api.get(f"{API}/students/")
    assert response["Cache-Control"] == "private, no-store"
    assert api.get(f"{API}/students/", {"grade": "x"}).status_code == 400


def test_student_list_query_count_does_not_grow_with_page_size(school, teacher, client_for):
    for _ in range(60):
        StudentFactory(school=school)
    api = client_for(teacher)
    api.get(f"{API}/students/", {"page_size": 5})
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            assert len(api.get(f"{API}/students/", {"page_size": size}).json()["results"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_student_permissions(school, other_school, teacher, guardian, student, client_for, api_client):
    record = StudentFactory(school=school)
    foreign = StudentFactory(school=other_school)
    assert api_client.get(f"{API}/students/").status_code == 401
    assert client_for(teacher).get(f"{API}/students/{foreign.pk}/").status_code == 404
    assert client_for(guardian).get(f"{API}/students/").status_code == 403
    assert client_for(guardian).get(f"{API}/students/{record.pk}/").status_code == 403
    assert client_for(student).get(f"{API}/students/{record.pk}/").status_code == 403
    response = client_for(teacher).post(f"{API}/students/", {"school": school.pk, "first_name": "A"}, format="json")
    assert response.status_code == 403  # teachers do not add students


def test_guardian_and_student_see_only_their_own_records(school, guardian, student, client_for):
    child, sibling, stranger = (StudentFactory(school=school) for _ in range(3))
    service.add_guardian(actor=None, student=child, guardian=guardian, name="Pat")
    service.add_guardian(actor=None, student=sibling, guardian=guardian, name="Pat")
    service.link_student_user(actor=None, student=child, user=student)
    as_guardian, as_student = client_for(guardian), client_for(student)
    detail = as_guardian.get(f"{API}/students/{child.pk}/")
    assert detail.status_code == 200 and detail.json()["id"] == child.pk
    assert detail["Cache-Control"] == "private, no-store"
    assert as_guardian.get(f"{API}/students/{stranger.pk}/").status_code == 403
    assert as_student.get(f"{API}/students/{child.pk}/").status_code == 200
    assert as_student.get(f"{API}/students/{sibling.pk}/").status_code == 403
    assert as_guardian.patch(f"{API}/students/{child.pk}/", {"grade": 9}, format="json").status_code == 403
    mine = as_guardian.get(f"{API}/me/students/").json()
    assert sorted(row["id"] for row in mine["results"]) == sorted([child.pk, sibling.pk])
    assert [row["id"] for row in as_student.get(f"{API}/me/students/").json()["results"]] == [child.pk]


def test_me_students_is_empty_for_staff_and_closed_to_anonymous(teacher, client_for, api_client):
    assert client_for(teacher).get(f"{API}/me/students/").json()["results"] == []
    assert api_client.get(f"{API}/me/students/").status_code == 401


def test_create_update_delete_student(school, other_school, department_head, school_admin, student, client_for):
    api = client_for(department_head)
    payload = {
        "school": school.pk,
        "first_name": "Dee",
        "last_name": "Ng",
        "grade": 8,
        "external_id": "N-8",
        "user": student.pk,
    }
    response = api.post(f"{API}/students/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["display_name"], body["user"], body["classes"], body["status"]) == ("Dee Ng", student.pk, [], "active")
    created = Student.objects.get(pk=body["id"])
    assert student.has_perm("physed.view_student", created)
    again = api.post(f"{API}/students/", {**payload, "user": None}, format="json")
    assert again.status_code == 400 and "external_id" in error_fields(again)
    wrong_school = api.post(f"{API}/students/", {**payload, "school": other_school.pk}, format="json")
    assert wrong_school.status_code == 400 and error_fields(wrong_school)["school"][0].startswith("Invalid pk")
    unknown = api.post(f"{API}/students/", {**payload, "is_cool": True}, format="json")
    assert unknown.status_code == 400 and "is_cool" in error_fields(unknown)

    pe_class = PEClassFactory(school=school, name="PE 8")
    EnrollmentFactory(pe_class=pe_class, student=created, start_date=datetime.date(2026, 9, 1))
    response = api.patch(f"{API}/students/{created.pk}/", {"grade": 9, "user": None}, format="json")
    assert response.status_code == 200
    assert response.json()["grade"] == 9 and response.json()["user"] is None
    assert response.json()["classes"] == [
        {
            "enrollment": created.enrollments.get().pk,
            "pe_class": pe_class.pk,
            "name": "PE 8",
            "start_date": "2026-09-01",
        }
    ]
    assert not type(student).objects.get(pk=student.pk).has_perm("physed.view_student", created)
    assert api.patch(f"{API}/students/{created.pk}/", {"school": other_school.pk}, format="json").status_code == 400
    assert api.delete(f"{API}/students/{created.pk}/").status_code == 403  # department heads do not delete
    assert client_for(school_admin).delete(f"{API}/students/{created.pk}/").status_code == 204
    assert not Student.objects.filter(pk=created.pk).exists()


def test_promote_dry_run_and_apply(school, school_admin, teacher, client_for):
    StudentFactory(school=school, grade=12)
    StudentFactory(school=school, grade=7)
    api = client_for(school_admin)
    dry = api.post(f"{API}/students/promote/", {}, format="json")
    assert dry.status_code == 200
    assert dry.json() == {
        "dry_run": True,
        "applied": False,
        "promoted": 1,
        "graduated": 1,
        "enrollments_ended": 0,
        "by_grade": [{"grade": 7, "students": 1}, {"grade": 12, "students": 1}],
        "last_promoted_at": None,
    }
    done = api.post(f"{API}/students/promote/", {"dry_run": False, "school": school.pk}, format="json")
    assert done.json()["applied"] is True
    assert sorted(Student.objects.values_list("grade", "status")) == [(8, "active"), (12, "graduated")]
    assert client_for(teacher).post(f"{API}/students/promote/", {}, format="json").status_code == 403


# --- guardianships ------------------------------------------------------------------------------


def test_guardianship_api_grants_and_revokes(school, other_school, department_head, school_admin, guardian, client_for):
    child = StudentFactory(school=school)
    api = client_for(department_head)
    payload = {
        "student": child.pk,
        "guardian": guardian.pk,
        "name": "Pat G",
        "relationship": "mother",
        "email": "P@x.org",
    }
    response = api.post(f"{API}/guardianships/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "p@x.org"
    assert client_for(guardian).get(f"{API}/students/{child.pk}/").status_code == 200
    foreign = StudentFactory(school=other_school)
    response = api.post(f"{API}/guardianships/", {**payload, "student": foreign.pk}, format="json")
    assert response.status_code == 400 and "student" in error_fields(response)
    outsider = make_member(other_school, Role.GUARDIAN)
    response = api.post(f"{API}/guardianships/", {**payload, "guardian": outsider.pk}, format="json")
    assert response.status_code == 400 and "guardian" in error_fields(response)
    link = Guardianship.objects.get()
    response = api.patch(f"{API}/guardianships/{link.pk}/", {"phone": "555-0199"}, format="json")
    assert response.json()["phone"] == "555-0199"
    listed = api.get(f"{API}/guardianships/", {"student": child.pk}).json()["results"]
    assert [row["id"] for row in listed] == [link.pk]
    assert client_for(school_admin).delete(f"{API}/guardianships/{link.pk}/").status_code == 204
    assert client_for(guardian).get(f"{API}/students/{child.pk}/").status_code == 403


# --- classes ------------------------------------------------------------------------------------


def test_class_create_with_meetings_and_teachers(school, department_head, teacher, client_for):
    api = client_for(department_head)
    payload = {
        "school": school.pk,
        "name": "PE 7 Blue",
        "school_year": 2026,
        "grade_from": 7,
        "grade_to": 7,
        "capacity": 28,
        "teachers": [teacher.pk],
        "meetings": [{"weekday": 0, "start_time": "09:00", "end_time": "09:50", "period": "1"}],
    }
    response = api.post(f"{API}/classes/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["teachers"] == [teacher.pk] and body["enrolled"] == 0
    assert body["meetings"] == [{"weekday": 0, "start_time": "09:00:00", "end_time": "09:50:00", "period": "1"}]
    bad = api.post(f"{API}/classes/", {**payload, "grade_from": 8}, format="json")
    assert bad.status_code == 400 and "grade_to" in error_fields(bad)
    bad = api.post(
        f"{API}/classes/",
        {**payload, "meetings": [{"weekday": 0, "start_time": "10:00", "end_time": "09:00"}]},
        format="json",
    )
    assert bad.status_code == 400 and "meetings" in error_fields(bad)
    assert client_for(teacher).post(f"{API}/classes/", payload, format="json").status_code == 403


def test_teacher_edits_own_class_only(school, teacher, client_for):
    mine = PEClassFactory(school=school)
    other = PEClassFactory(school=school)
    from physed.services.roster_classes import set_teachers

    set_teachers(mine, [teacher])
    api = client_for(teacher)
    response = api.patch(
        f"{API}/classes/{mine.pk}/",
        {"location": "Field", "meetings": [{"weekday": 3, "start_time": "13:00", "end_time": "13:45"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["location"] == "Field" and response.json()["meetings"][0]["weekday"] == 3
    assert api.patch(f"{API}/classes/{other.pk}/", {"location": "Field"}, format="json").status_code == 403
    assert api.get(f"{API}/classes/", {"teacher": teacher.pk}).json()["count"] == 1


def test_class_list_nests_meetings_and_counts_enrollments_with_flat_queries(school, teacher, client_for):
    for n in range(12):
        pe_class = PEClassFactory(school=school, name=f"C{n:02d}")
        ClassMeetingFactory(pe_class=pe_class)
        ClassMeetingFactory(pe_class=pe_class, weekday=2)
        EnrollmentFactory(pe_class=pe_class)
        from physed.services.roster_classes import set_teachers

        set_teachers(pe_class, [teacher])
    api = client_for(teacher)
    api.get(f"{API}/classes/", {"page_size": 2})
    counts = []
    for size in (2, 12):
        with CaptureQueriesContext(connection) as ctx:
            body = api.get(f"{API}/classes/", {"page_size": size, "ordering": "name"}).json()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    first = body["results"][0]
    assert (first["name"], first["enrolled"], first["teachers"], len(first["meetings"])) == ("C00", 1, [teacher.pk], 2)
    assert api.get(f"{API}/classes/", {"grade": 7}).json()["count"] == 12
    assert api.get(f"{API}/classes/", {"grade": 9}).json()["count"] == 0


def test_class_roster_action(school, other_school, teacher, guardian, client_for):
    pe_class = PEClassFactory(school=school)
    ana = StudentFactory(school=school, last_name="Alpha")
    zed = StudentFactory(school=school, last_name="Zulu")
    EnrollmentFactory(pe_class=pe_class, student=zed)
    EnrollmentFactory(pe_class=pe_class, student=ana)
    EnrollmentFactory(pe_class=pe_class, status=EnrollmentStatus.WITHDRAWN, end_date=datetime.date(2026, 9, 1))
    api = client_for(teacher)
    body = api.get(f"{API}/classes/{pe_class.pk}/roster/").json()
    assert [row["student"]["last_name"] for row in body["results"]] == ["Alpha", "Zulu"]
    assert body["results"][0]["status"] == "active"
    assert api.get(f"{API}/classes/{pe_class.pk}/roster/", {"status": "all"}).json()["count"] == 3
    assert api.get(f"{API}/classes/{pe_class.pk}/roster/", {"status": "nope"}).status_code == 400
    assert client_for(guardian).get(f"{API}/classes/{pe_class.pk}/roster/").status_code == 403
    foreign = PEClassFactory(school=other_school)
    assert api.get(f"{API}/classes/{foreign.pk}/roster/").status_code == 404


# --- enrollments --------------------------------------------------------------------------------


def test_enroll_warns_and_full_class_is_a_clear_400(school, other_school, teacher, client_for):
    pe_class = PEClassFactory(school=school, capacity=1, grade_from=7, grade_to=7)
    eighth = StudentFactory(school=school, grade=8, first_name="Eve", preferred_name="", last_name="Ng")
    api = client_for(teacher)
    response = api.post(f"{API}/enrollments/", {"pe_class": pe_class.pk, "student": eighth.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["warnings"] == ["Eve Ng is in grade 8; the class is for grades 7–7."]
    assert response.json()["start_date"] == datetime.date.today().isoformat()
    full = api.post(
        f"{API}/enrollments/", {"pe_class": pe_class.pk, "student": StudentFactory(school=school).pk}, format="json"
    )
    assert full.status_code == 400
    assert full.json()["error"]["fields"]["pe_class"][0].startswith("The class is full: all 1 places are taken.")
    foreign = StudentFactory(school=other_school)
    response = api.post(f"{API}/enrollments/", {"pe_class": pe_class.pk, "student": foreign.pk}, format="json")
    assert response.status_code == 400 and "student" in error_fields(response)


def test_withdraw_action(school, teacher, assistant, client_for):
    enrollment = EnrollmentFactory(pe_class__school=school, start_date=datetime.date(2026, 8, 20))
    response = client_for(teacher).post(
        f"{API}/enrollments/{enrollment.pk}/withdraw/", {"end_date": "2026-10-01"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["end_date"]) == ("withdrawn", "2026-10-01")
    again = client_for(teacher).post(f"{API}/enrollments/{enrollment.pk}/withdraw/", {}, format="json")
    assert again.status_code == 400
    other = EnrollmentFactory(pe_class__school=school)
    assert client_for(assistant).post(f"{API}/enrollments/{other.pk}/withdraw/", {}, format="json").status_code == 403
    assert Enrollment.objects.get(pk=other.pk).status == "active"
    listed = client_for(assistant).get(f"{API}/enrollments/", {"status": "withdrawn"}).json()["results"]
    assert [row["id"] for row in listed] == [enrollment.pk]


def test_guardianship_factory_registers_for_walkers(school):
    assert GuardianshipFactory(student__school=school).student.school == school
    assert PEClass.objects.count() == 0


def test_flat_list_rows_equal_the_documented_serializer(school, teacher, client_for):
    from physed.api.roster_serializers import StudentListSerializer

    StudentFactory(school=school, date_of_birth=None, preferred_name="Jo")
    StudentFactory(school=school)
    rows = client_for(teacher).get(f"{API}/students/").json()["results"]
    expected = StudentListSerializer(Student.objects.order_by("-id"), many=True).data
    assert rows == [dict(row) for row in expected]


def test_class_list_rows_equal_the_documented_serializer(school, teacher, client_for):
    from physed.api.roster_serializers import PEClassSerializer
    from physed.api.roster_views import _class_queryset
    from physed.services.roster_classes import set_teachers

    second = make_member(school, Role.TEACHER)
    for n in range(3):
        pe_class = PEClassFactory(school=school, name=f"K{n}")
        ClassMeetingFactory(pe_class=pe_class, weekday=4, start_time=datetime.time(13, 5), end_time=datetime.time(14))
        ClassMeetingFactory(pe_class=pe_class, weekday=1)
        set_teachers(pe_class, [second, teacher][: n + 1] if n else [])
        EnrollmentFactory(pe_class=pe_class)
    EnrollmentFactory(pe_class=pe_class, status=EnrollmentStatus.WITHDRAWN, end_date=datetime.date(2026, 12, 1))
    rows = client_for(teacher).get(f"{API}/classes/").json()["results"]
    expected = PEClassSerializer(_class_queryset().order_by("-id"), many=True).data
    assert rows == [dict(row) for row in expected]
    assert rows[0]["meetings"][0]["weekday"] == 1 and rows[0]["enrolled"] == 1
