"""Roster pages: class list/page/forms, enroll and withdraw, student list/page/forms, guardians,
My PE, promotion, the import flow and the dashboard panels — who sees what, and what changes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from physed.models import Enrollment, EnrollmentStatus, Guardianship, PEClass, RosterImport, Student
from physed.services import roster as service
from physed.services.roster_classes import set_teachers
from physed.tests.factories_roster import ClassMeetingFactory, EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- classes ------------------------------------------------------------------------------------


def test_class_list_puts_my_classes_first_and_filters(client, school, teacher):
    other = PEClassFactory(school=school, name="AAA Other", school_year=2026)
    mine = PEClassFactory(school=school, name="ZZZ Mine", school_year=2026)
    PEClassFactory(school=school, name="Old", school_year=2024)
    set_teachers(mine, [teacher])
    ClassMeetingFactory(pe_class=mine, weekday=1, start_time=datetime.time(10, 5), end_time=datetime.time(10, 50))
    page = login(client, teacher).get(reverse("class-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("ZZZ Mine") < html.index("AAA Other")
    assert "My class" in html and "Tuesday 10:05" in html
    filtered = client.get(reverse("class-list"), {"year": 2024}).content.decode()
    assert "Old" in filtered and "ZZZ Mine" not in filtered
    assert "AAA Other" in client.get(reverse("class-list"), {"q": "other"}).content.decode()
    assert other.pk


def test_class_pages_are_scoped(client, school, other_school, teacher, guardian):
    foreign = PEClassFactory(school=other_school)
    login(client, teacher)
    assert client.get(reverse("class-detail", args=[foreign.pk])).status_code == 404
    login(client, guardian)
    assert client.get(reverse("class-list")).status_code == 403
    assert client.get(reverse("class-detail", args=[PEClassFactory(school=school).pk])).status_code == 403
    client.logout()
    assert client.get(reverse("class-list")).status_code == 302


def test_class_page_roster_enroll_and_withdraw(client, school, teacher):
    pe_class = PEClassFactory(school=school, name="PE 7 Blue", capacity=2)
    ana = StudentFactory(school=school, first_name="Ana", last_name="Ruiz", grade=7)
    EnrollmentFactory(pe_class=pe_class, student=ana)
    ben = StudentFactory(school=school, first_name="Ben", last_name="Ode", grade=8)
    login(client, teacher)
    page = client.get(reverse("class-detail", args=[pe_class.pk]), {"q": "ben"})
    html = page.content.decode()
    assert page.status_code == 200 and "Ruiz, Ana" in html and "Ode, Ben" in html
    assert "1 of 2 taken" in html
    response = client.post(reverse("class-enroll", args=[pe_class.pk]), {"student": ben.pk}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert "Ben Ode enrolled." in messages and any("grade 8" in m for m in messages)
    full = client.post(
        reverse("class-enroll", args=[pe_class.pk]), {"student": StudentFactory(school=school).pk}, follow=True
    )
    assert any("The class is full" in str(m) for m in full.context["messages"])
    enrollment = Enrollment.objects.get(student=ben)
    url = reverse("enrollment-withdraw", args=[enrollment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"end_date": "2026-10-01"}).status_code == 400  # confirmation missing
    response = client.post(url, {"end_date": enrollment.start_date.isoformat(), "confirm": "on"})
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.WITHDRAWN


def test_class_create_and_edit_with_meetings(client, school, department_head, teacher):
    login(client, department_head)
    assert client.get(reverse("class-create")).status_code == 200
    data = {
        "name": "PE 6 Red",
        "external_id": "",
        "school_year": 2026,
        "term": "year",
        "grade_from": 6,
        "grade_to": 6,
        "location": "Main gym",
        "space": "gym",
        "capacity": 25,
        "is_active": "on",
        "teachers": [teacher.pk],
        "meetings-TOTAL_FORMS": 2,
        "meetings-INITIAL_FORMS": 0,
        "meetings-MIN_NUM_FORMS": 0,
        "meetings-MAX_NUM_FORMS": 14,
        "meetings-0-weekday": 0,
        "meetings-0-start_time": "09:00",
        "meetings-0-end_time": "09:45",
        "meetings-0-period": "2",
        "meetings-1-weekday": "",
        "meetings-1-start_time": "",
        "meetings-1-end_time": "",
    }
    response = client.post(reverse("class-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    pe_class = PEClass.objects.get(name="PE 6 Red")
    assert list(pe_class.teachers.all()) == [teacher]
    assert list(pe_class.meetings.values_list("weekday", "period")) == [(0, "2")]
    data.update({"meetings-0-end_time": "08:00"})
    assert client.post(reverse("class-create"), data).status_code == 400
    # the teacher edits their own class (object grant) but not another
    login(client, teacher)
    edit = {**data, "name": "PE 6 Red (renamed)", "meetings-0-end_time": "09:50", "meetings-INITIAL_FORMS": 1}
    assert client.post(reverse("class-edit", args=[pe_class.pk]), edit).status_code == 302
    pe_class.refresh_from_db()
    assert pe_class.name == "PE 6 Red (renamed)" and pe_class.meetings.get().end_time == datetime.time(9, 50)
    assert client.get(reverse("class-edit", args=[PEClassFactory(school=school).pk])).status_code == 403
    assert client.get(reverse("class-create")).status_code == 403


# --- students -----------------------------------------------------------------------------------


def test_student_list_search_and_filters(client, school, teacher):
    StudentFactory(school=school, first_name="Ana", last_name="Ruiz", grade=6)
    StudentFactory(school=school, first_name="Ben", last_name="Ode", grade=7)
    login(client, teacher)
    html = client.get(reverse("student-list"), {"q": "ruiz"}).content.decode()
    assert "Ruiz, Ana" in html and "Ode, Ben" not in html
    html = client.get(reverse("student-list"), {"grade": 7}).content.decode()
    assert "Ode, Ben" in html and "Ruiz, Ana" not in html
    assert "Import roster" not in html  # teachers do not import


def test_student_page_for_staff_guardian_and_student(client, school, other_school, teacher, guardian, student):
    child = StudentFactory(school=school, first_name="Kim", last_name="Lee")
    stranger = StudentFactory(school=school)
    foreign = StudentFactory(school=other_school)
    service.add_guardian(actor=None, student=child, guardian=guardian, name="Pat Guardian", phone="555-0100")
    service.link_student_user(actor=None, student=child, user=student)
    login(client, teacher)
    html = client.get(reverse("student-detail", args=[child.pk])).content.decode()
    assert "Kim Lee" in html and "Pat Guardian" in html and "555-0100" in html
    assert client.get(reverse("student-detail", args=[foreign.pk])).status_code == 404
    login(client, guardian)
    page = client.get(reverse("student-detail", args=[child.pk]))
    assert page.status_code == 200 and "Pat Guardian" not in page.content.decode()  # no view_guardianship
    assert client.get(reverse("student-detail", args=[stranger.pk])).status_code == 403
    login(client, student)
    assert client.get(reverse("student-detail", args=[child.pk])).status_code == 200
    assert client.get(reverse("student-detail", args=[stranger.pk])).status_code == 403
    assert client.get(reverse("student-list")).status_code == 403


def test_my_pe_lists_linked_students(client, school, guardian, student):
    one, two = StudentFactory(school=school, first_name="One"), StudentFactory(school=school, first_name="Two")
    StudentFactory(school=school, first_name="Stranger")
    service.add_guardian(actor=None, student=one, guardian=guardian, name="G")
    service.add_guardian(actor=None, student=two, guardian=guardian, name="G")
    html = login(client, guardian).get(reverse("my-pe")).content.decode()
    assert reverse("student-detail", args=[one.pk]) in html and reverse("student-detail", args=[two.pk]) in html
    assert "Stranger" not in html
    html = login(client, student).get(reverse("my-pe")).content.decode()
    assert "No student linked yet" in html


def test_student_create_edit_and_guardians(client, school, department_head, school_admin, student, guardian):
    login(client, department_head)
    response = client.post(
        reverse("student-create"),
        {"first_name": "Dee", "last_name": "Ng", "sex": "U", "grade": 8, "external_id": "N-1", "user": student.pk},
    )
    assert response.status_code == 302
    created = Student.objects.get(external_id="N-1")
    assert created.user == student
    dupe = client.post(
        reverse("student-create"), {"first_name": "X", "last_name": "Y", "sex": "U", "grade": 8, "external_id": "N-1"}
    )
    assert dupe.status_code == 400 and "Another student in this school has this external id." in dupe.content.decode()
    response = client.post(
        reverse("student-edit", args=[created.pk]),
        {"first_name": "Dee", "last_name": "Ng", "sex": "F", "grade": 9, "external_id": "N-1", "status": "active"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.grade, created.sex, created.user) == (9, "F", None)
    assert AuditEvent.objects.filter(action="physed.student_updated").exists()
    response = client.post(
        reverse("guardian-add", args=[created.pk]),
        {"name": "Pat", "relationship": "father", "email": "", "phone": "555", "guardian": guardian.pk},
    )
    assert response.status_code == 302
    link = Guardianship.objects.get(student=created)
    assert guardian.has_perm("physed.view_student", created)
    assert client.get(reverse("guardian-remove", args=[link.pk])).status_code == 403  # department heads keep links
    login(client, school_admin)
    page = client.get(reverse("guardian-remove", args=[link.pk]))
    assert page.status_code == 200 and "no longer sees" in page.content.decode()
    assert client.post(reverse("guardian-remove", args=[link.pk]), {"confirm": "on"}).status_code == 302
    assert not Guardianship.objects.exists()


def test_promotion_page_shows_counts_then_promotes(client, school, school_admin, teacher):
    StudentFactory(school=school, grade=8)
    StudentFactory(school=school, grade=12)
    login(client, teacher)
    assert client.get(reverse("student-promote")).status_code == 403
    login(client, school_admin)
    page = client.get(reverse("student-promote"))
    assert page.context["report"].promoted == 1 and page.context["report"].graduated == 1
    assert client.post(reverse("student-promote"), {}).status_code == 400
    assert Student.objects.filter(grade=9).count() == 0
    assert client.post(reverse("student-promote"), {"confirm": "on"}).status_code == 302
    assert sorted(Student.objects.values_list("grade", "status")) == [(9, "active"), (12, "graduated")]


# --- import pages -------------------------------------------------------------------------------


def test_import_flow_upload_map_review_apply(client, school, school_admin, teacher):
    login(client, teacher)
    assert client.get(reverse("roster-import")).status_code == 403
    login(client, school_admin)
    assert client.get(reverse("roster-import")).status_code == 200
    data = "Pupil,Given,Family,Year level\nP1,Ana,Ruiz,7\nP2,Ben,,7\n"
    response = client.post(
        reverse("roster-import"), {"kind": "csv", "file": SimpleUploadedFile("r.csv", data.encode())}
    )
    assert response.status_code == 302
    record = RosterImport.objects.get()
    review = client.get(response.url)
    assert review.status_code == 200 and review.context["report"] is None  # "Pupil"/"Year level" need mapping
    mapping = {
        "mapping": "1",
        "external_id": "Pupil",
        "first_name": "Given",
        "last_name": "Family",
        "grade": "Year level",
    }
    assert client.post(response.url, mapping).status_code == 302
    review = client.get(response.url)
    assert review.context["summary"]["created"] == 1 and review.context["summary"]["errors"] == 1
    html = review.content.decode()
    assert "last_name" in html and "This field is required." in html
    assert not Student.objects.exists()
    assert client.post(response.url, {"confirm": "on"}).status_code == 302
    assert list(Student.objects.values_list("external_id", flat=True)) == ["P1"]
    record.refresh_from_db()
    assert record.status == "applied" and record.payload == {}
    assert client.get(response.url).status_code == 302  # applied imports cannot be reviewed again


def test_import_upload_errors_and_discard(client, school, school_admin):
    login(client, school_admin)
    bad = client.post(
        reverse("roster-import"), {"kind": "csv", "file": SimpleUploadedFile("r.csv", "a\n".encode("utf-16"))}
    )
    assert bad.status_code == 400 and "not UTF-8" in bad.content.decode()
    missing = client.post(reverse("roster-import"), {"kind": "oneroster"})
    assert missing.status_code == 400
    ok = client.post(
        reverse("roster-import"),
        {"kind": "csv", "file": SimpleUploadedFile("r.csv", b"external_id,first_name,last_name,grade\n1,A,B,7\n")},
    )
    record = RosterImport.objects.get()
    assert client.get(ok.url).context["summary"]["created"] == 1
    assert client.post(reverse("roster-import-discard", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.status == "discarded" and record.payload == {}
    assert client.post(reverse("roster-import-discard", args=[record.pk])).status_code == 404


# --- dashboards ---------------------------------------------------------------------------------


def test_teacher_dashboard_lists_todays_classes(client, school, teacher):
    pe_class = PEClassFactory(school=school, name="Today PE")
    set_teachers(pe_class, [teacher])
    ClassMeetingFactory(pe_class=pe_class, weekday=datetime.date.today().weekday())
    html = login(client, teacher).get(reverse("dashboard")).content.decode()
    assert "Today PE" in html and reverse("class-detail", args=[pe_class.pk]) in html


def test_guardian_dashboard_links_children(client, school, guardian):
    child = StudentFactory(school=school, first_name="Kim", preferred_name="", last_name="Lee")
    service.add_guardian(actor=None, student=child, guardian=guardian, name="G")
    html = login(client, guardian).get(reverse("dashboard")).content.decode()
    assert "Kim Lee" in html and reverse("student-detail", args=[child.pk]) in html
