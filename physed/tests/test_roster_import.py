"""Roster import: CSV with a column mapping, OneRoster 1.1 (files and zip), dry run with per-row
errors, applying only valid rows, idempotency, limits and unreadable files — services and API."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, Role
from accounts.permissions import allowed_on_object
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from physed.models import Enrollment, EnrollmentStatus, Guardianship, PEClass, RosterImport, Student, StudentStatus
from physed.services import roster_import_csv
from physed.services.roster_import_jobs import run_import
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db

SIS_CSV = (
    "Student ID,Given,Family,Nick,DOB,Gender,Year,Section,Parent,Parent Email,Parent Phone\n"
    "1001,Ana,López,Annie,2013-04-02,F,7,PE-7A,Rosa López,ROSA@example.org,555-0101\n"
    "1002,Ben,Okafor,,2013-09-30,m,7,PE-7A,,,\n"
    "1003,Chloé,Martin,,2012/12/01,,K,,,,\n"
)
MAPPING = {
    "external_id": "Student ID",
    "first_name": "Given",
    "last_name": "Family",
    "preferred_name": "Nick",
    "date_of_birth": "DOB",
    "sex": "Gender",
    "grade": "Year",
    "class_external_id": "Section",
    "guardian_name": "Parent",
    "guardian_email": "Parent Email",
    "guardian_phone": "Parent Phone",
}


def csv_import(school, actor, data, mapping=MAPPING, dry_run=True):
    return run_import(
        actor=actor,
        school=school,
        kind="csv",
        files={"file": data.encode() if isinstance(data, str) else data},
        options={"mapping": mapping},
        dry_run=dry_run,
    )


def test_suggested_mapping_matches_usual_header_names():
    mapping = roster_import_csv.suggest_mapping(["Student ID", "First Name", "LAST NAME", "Grade", "DOB", "Notes"])
    assert mapping["external_id"] == "Student ID"
    assert mapping["first_name"] == "First Name" and mapping["last_name"] == "LAST NAME"
    assert mapping["date_of_birth"] == "DOB" and mapping["guardian_email"] == ""


def test_csv_dry_run_plans_without_writing(school, school_admin):
    PEClassFactory(school=school, external_id="PE-7A", capacity=30)
    report = csv_import(school, school_admin, SIS_CSV)
    assert report.summary() == {"total": 3, "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}
    assert not Student.objects.exists() and not RosterImport.objects.exists()
    assert [row["action"] for row in report.as_dict()["rows"]] == ["create", "create", "create"]


def test_csv_apply_writes_students_enrollments_guardians_and_is_idempotent(school, school_admin, guardian):
    guardian.email = "rosa@example.org"
    guardian.save()
    pe_class = PEClassFactory(school=school, external_id="PE-7A", capacity=30)
    report = csv_import(school, school_admin, SIS_CSV, dry_run=False)
    assert report.applied and report.summary()["created"] == 3
    ana = Student.objects.get(school=school, external_id="1001")
    assert (ana.first_name, ana.last_name, ana.preferred_name, ana.grade, ana.sex) == ("Ana", "López", "Annie", 7, "F")
    assert ana.date_of_birth == datetime.date(2013, 4, 2)
    assert Student.objects.get(external_id="1002").sex == "M"
    chloe = Student.objects.get(external_id="1003")
    assert (chloe.grade, chloe.sex, chloe.date_of_birth) == (0, "U", datetime.date(2012, 12, 1))
    assert set(Enrollment.objects.filter(pe_class=pe_class).values_list("student__external_id", flat=True)) == {
        "1001",
        "1002",
    }
    link = Guardianship.objects.get(student=ana)
    assert (link.name, link.email, link.phone, link.guardian) == (
        "Rosa López",
        "rosa@example.org",
        "555-0101",
        guardian,
    )
    assert allowed_on_object(guardian, "physed.view_student", ana, record=False)
    record = RosterImport.objects.get()
    assert record.status == "applied" and record.payload == {} and record.summary["created"] == 3
    event = AuditEvent.objects.get(action="physed.roster_imported")
    assert event.changes["created"] == 3 and event.changes["format"] == "csv"

    again = csv_import(school, school_admin, SIS_CSV, dry_run=False)
    assert again.summary() == {"total": 3, "created": 0, "updated": 0, "unchanged": 3, "skipped": 0, "errors": 0}
    assert Student.objects.count() == 3 and Guardianship.objects.count() == 1 and Enrollment.objects.count() == 2


def test_csv_update_changes_only_mapped_fields(school, school_admin):
    StudentFactory(
        school=school,
        external_id="1001",
        first_name="Ana",
        last_name="Lopez",
        grade=6,
        date_of_birth=datetime.date(2013, 4, 2),
        preferred_name="",
    )
    data = "id,first,last,grade\n1001,Ana,López,7\n"
    mapping = {"external_id": "id", "first_name": "first", "last_name": "last", "grade": "grade"}
    report = csv_import(school, school_admin, data, mapping=mapping, dry_run=False)
    assert report.summary()["updated"] == 1
    ana = Student.objects.get(external_id="1001")
    assert (ana.last_name, ana.grade, ana.date_of_birth) == ("López", 7, datetime.date(2013, 4, 2))


def test_csv_row_errors_name_line_field_and_message_and_valid_rows_still_apply(school, school_admin):
    PEClassFactory(school=school, external_id="FULL", capacity=1)
    EnrollmentFactory(pe_class=PEClass.objects.get(external_id="FULL"))
    data = (
        "id,first,last,grade,born,sex,class\n"
        "A1,Ana,Ruiz,7,2013-01-01,F,\n"  # fine
        ",Ben,Ode,7,,,\n"  # no id
        "A3,,Li,7,,,\n"  # no first name
        "A4,Cy,Wu,14,,,\n"  # bad grade
        "A5,Di,Om,7,03/04/2013,,\n"  # ambiguous date
        "A6,Ed,Po,7,,Q,\n"  # bad sex
        "A1,Fa,Qi,7,,,\n"  # repeated id
        "A8,Gu,Ra,7,,,NOPE\n"  # unknown class
        "A9,Ha,Sa,7,,,FULL\n"  # full class
    )
    mapping = {
        "external_id": "id",
        "first_name": "first",
        "last_name": "last",
        "grade": "grade",
        "date_of_birth": "born",
        "sex": "sex",
        "class_external_id": "class",
    }
    report = csv_import(school, school_admin, data, mapping=mapping)
    errors = {(row["line"], e["field"]) for row in report.as_dict()["rows"] for e in row["errors"]}
    assert errors == {
        (3, "external_id"),
        (4, "first_name"),
        (5, "grade"),
        (6, "date_of_birth"),
        (7, "sex"),
        (8, "external_id"),
        (9, "class_external_id"),
        (10, "class_external_id"),
    }
    messages = {row["line"]: row["errors"][0]["message"] for row in report.as_dict()["rows"] if row["errors"]}
    assert messages[5] == "“14” is not a grade (K, 1–12)."
    assert messages[8] == "Repeats the external id of line 2."
    assert "is full (1 places)" in messages[10]
    assert report.summary() == {"total": 9, "created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 8}
    applied = csv_import(school, school_admin, data, mapping=mapping, dry_run=False)
    assert applied.applied
    imported = Student.objects.filter(school=school, external_id__startswith="A")
    assert list(imported.values_list("external_id", "first_name")) == [("A1", "Ana")]


def test_csv_class_by_name_and_guardian_rules(school, school_admin):
    PEClassFactory(school=school, name="Gym 8", external_id="")
    PEClassFactory(school=school, name="Twin", external_id="")
    PEClassFactory(school=school, name="twin", external_id="")
    data = "id,first,last,grade,class,gname,gmail\nB1,Bo,Yu,8,gym 8,,x@y.org\nB2,Cy,Zu,8,Twin,Kim,bad-mail\n"
    mapping = {
        "external_id": "id",
        "first_name": "first",
        "last_name": "last",
        "grade": "grade",
        "class_name": "class",
        "guardian_name": "gname",
        "guardian_email": "gmail",
    }
    report = csv_import(school, school_admin, data, mapping=mapping)
    rows = report.as_dict()["rows"]
    assert [e["field"] for e in rows[0]["errors"]] == ["guardian_name"]
    assert sorted(e["field"] for e in rows[1]["errors"]) == ["class_name", "guardian_email"]
    assert "Several classes" in next(e["message"] for e in rows[1]["errors"] if e["field"] == "class_name")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"external_id": "id", "first_name": "first", "last_name": "last"}, "Choose a column for grade."),
        (
            {"external_id": "id", "first_name": "first", "last_name": "last", "grade": "Year"},
            "The file has no columns named Year.",
        ),
        ({"shoe_size": "id"}, "Unknown fields in the mapping: shoe_size."),
    ],
)
def test_bad_mapping_is_a_clear_error(school, school_admin, mapping, message):
    with pytest.raises(ServiceError) as exc:
        csv_import(school, school_admin, "id,first,last,grade\n1,A,B,7\n", mapping=mapping)
    assert exc.value.field == "mapping" and exc.value.message == message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("id,first\n".encode("utf-16"), "bad_encoding"),
        (b"\xff\xfe\x00garbage", "bad_encoding"),
        (b"id,first\x00,last\n", "bad_file"),
        (b"", "bad_header"),
        (b"id,id,grade\n1,2,3\n", "bad_header"),
    ],
)
def test_unreadable_files_are_refused(school, school_admin, data, code):
    with pytest.raises(ServiceError) as exc:
        csv_import(school, school_admin, data, mapping=None)
    assert exc.value.code == code


def test_size_and_row_limits(school, school_admin, settings):
    big = b"id,first,last,grade\n" + b"1,A,B,7\n" * (2 * 1024 * 1024 // 8 + 10)
    with pytest.raises(ServiceError) as exc:
        csv_import(school, school_admin, big, mapping=None)
    assert exc.value.code == "file_too_large"
    many = "id,first,last,grade\n" + "".join(f"{n},A,B,7\n" for n in range(5001))
    with pytest.raises(ServiceError) as exc:
        csv_import(school, school_admin, many, mapping=None)
    assert exc.value.code == "too_many_rows"


# --- OneRoster ----------------------------------------------------------------------------------

USERS = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
    "s1,active,,true,org1,student,ana,,Ana,Ruiz,,1001,,,,p1,07,\n"
    "s2,active,,true,org1,student,ben,,Ben,Ode,,1002,,,,,07,\n"
    "s3,tobedeleted,,true,org1,student,cy,,Cy,Wu,,1003,,,,,08,\n"
    "s4,active,,true,org1,student,di,,Di,Om,,1004,,,,,PK,\n"
    "t1,active,,true,org1,teacher,tay,,Taylor,Teacher,,,TEACHER@northside.test,,,,,\n"
    "t2,active,,true,org1,teacher,nob,,No,Body,,,nobody@example.org,,,,,\n"
    "p1,active,,true,org1,parent,rosa,,Rosa,Ruiz,,,rosa@example.org,,555-0101,s1,,\n"
    "a1,active,,true,org1,administrator,boss,,Big,Boss,,,boss@example.org,,,,,\n"
)
CLASSES = (
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
    "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
    "c1,active,,PE 7 Blue,07,crs1,PE7B,scheduled,Main gym,org1,term1,PE,,1\n"
    "c2,active,,PE mixed,,crs1,PE7M,scheduled,Field,org1,term1,PE,,2\n"
)
ENROLLMENTS = (
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n"
    "e1,active,,c1,org1,s1,student,false,2026-08-20,\n"
    "e2,active,,c1,org1,s2,student,false,,\n"
    "e3,active,,c1,org1,t1,teacher,true,,\n"
    "e4,active,,c2,org1,s2,student,false,2026-08-20,\n"
    "e5,active,,c9,org1,s1,student,false,,\n"
    "e6,active,,c1,org1,t2,teacher,false,,\n"
    "e7,active,,c1,org1,a1,administrator,false,,\n"
)
DEMOGRAPHICS = (
    "sourcedId,status,dateLastModified,birthDate,sex\n"
    "s1,active,,2013-04-02,female\ns2,active,,2013-05-06,male\ns3,active,,bad,male\n"
)


def oneroster(school, actor, dry_run=True, **overrides):
    files = {"users": USERS, "classes": CLASSES, "enrollments": ENROLLMENTS, **overrides}
    return run_import(
        actor=actor,
        school=school,
        kind="oneroster",
        files={name: text.encode() for name, text in files.items() if text is not None},
        options={"school_year": 2026},
        dry_run=dry_run,
    )


def _by_line(report, file):
    return {row["line"]: row for row in report.as_dict()["rows"] if row["file"] == file}


def test_oneroster_plan_reports_each_file_and_row(school, school_admin, teacher):
    report = oneroster(school, school_admin)
    users, classes, enrollments = (_by_line(report, f) for f in ("users.csv", "classes.csv", "enrollments.csv"))
    assert [users[n]["action"] for n in (2, 3, 4, 6, 8, 9)] == [
        "create",
        "create",
        "skipped",
        "unchanged",
        "create",
        "skipped",
    ]
    assert users[5]["errors"] == [{"field": "grades", "message": "“PK” is not a grade from KG to 12."}]
    assert users[7]["errors"][0]["field"] == "email"
    assert classes[2]["action"] == "create" and classes[3]["action"] == "create"
    assert enrollments[2]["action"] == "create" and enrollments[4]["action"] == "update"
    assert enrollments[6]["errors"] == [{"field": "classSourcedId", "message": "No class has the sourcedId “c9”."}]
    assert enrollments[7]["errors"][0]["field"] == "userSourcedId"
    assert enrollments[8]["action"] == "skipped"
    assert not Student.objects.exists()


def test_oneroster_apply_and_second_import_changes_nothing(school, school_admin, teacher, guardian):
    guardian.email = "rosa@example.org"
    guardian.save()
    report = oneroster(school, school_admin, dry_run=False, demographics=DEMOGRAPHICS)
    assert report.applied
    ana = Student.objects.get(school=school, external_id="s1")
    assert (ana.first_name, ana.grade, ana.date_of_birth, ana.sex) == ("Ana", 7, datetime.date(2013, 4, 2), "F")
    assert not Student.objects.filter(external_id__in=["s3", "s4"]).exists()
    blue = PEClass.objects.get(school=school, external_id="c1")
    assert (blue.name, blue.grade_from, blue.grade_to, blue.location, blue.school_year) == (
        "PE 7 Blue",
        7,
        7,
        "Main gym",
        2026,
    )
    mixed = PEClass.objects.get(external_id="c2")
    assert (mixed.grade_from, mixed.grade_to) == (7, 7)  # no grades column value: taken from its students
    assert list(blue.teachers.all()) == [teacher]
    assert teacher.has_perm("physed.change_peclass", blue)
    assert Enrollment.objects.get(pe_class=blue, student=ana).start_date == datetime.date(2026, 8, 20)
    assert Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).count() == 3
    rosa = Guardianship.objects.get(student=ana)
    assert (rosa.name, rosa.relationship, rosa.phone, rosa.guardian) == ("Rosa Ruiz", "parent", "555-0101", guardian)
    assert Student.objects.get(external_id="s2").sex == "M"
    # s3's demographics birthDate is bad → its users.csv row is reported as an error
    assert _by_line(report, "users.csv")[4]["errors"][0]["field"] == "birthDate"

    again = oneroster(school, school_admin, dry_run=False, demographics=DEMOGRAPHICS)
    summary = again.summary()
    assert (summary["created"], summary["updated"]) == (0, 0)
    assert Student.objects.count() == 2 and PEClass.objects.count() == 2 and Guardianship.objects.count() == 1


def test_oneroster_tobedeleted_withdraws_and_deactivates(school, school_admin, teacher):
    oneroster(school, school_admin, dry_run=False)
    users = USERS.replace("s2,active,,true", "s2,tobedeleted,,true")
    enrollments = ENROLLMENTS.replace("e1,active", "e1,tobedeleted").replace("e3,active", "e3,tobedeleted")
    report = oneroster(school, school_admin, dry_run=False, users=users, enrollments=enrollments)
    assert report.applied
    ana, ben = Student.objects.get(external_id="s1"), Student.objects.get(external_id="s2")
    blue = PEClass.objects.get(external_id="c1")
    assert Enrollment.objects.get(pe_class=blue, student=ana).status == EnrollmentStatus.WITHDRAWN
    assert ben.status == StudentStatus.INACTIVE
    assert not Enrollment.objects.filter(student=ben, status=EnrollmentStatus.ACTIVE).exists()
    assert list(blue.teachers.all()) == []


def test_oneroster_zip_and_missing_files(school, school_admin, client_for):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/users.csv", USERS)
        archive.writestr("export/classes.csv", CLASSES)
        archive.writestr("export/enrollments.csv", ENROLLMENTS)
    report = run_import(actor=school_admin, school=school, kind="oneroster", files={"zip": buffer.getvalue()})
    assert report.summary()["total"] == 17
    with pytest.raises(ServiceError) as exc:
        run_import(actor=school_admin, school=school, kind="oneroster", files={"users": USERS.encode()})
    assert exc.value.field == "classes" and exc.value.code == "missing_file"
    with pytest.raises(ServiceError) as exc:
        run_import(actor=school_admin, school=school, kind="oneroster", files={"zip": b"not a zip"})
    assert exc.value.code == "bad_file"
    bad_header = {"users": b"id,role\n1,student\n", "classes": CLASSES.encode(), "enrollments": ENROLLMENTS.encode()}
    with pytest.raises(ServiceError) as exc:
        run_import(actor=school_admin, school=school, kind="oneroster", files=bad_header)
    assert exc.value.code == "bad_header" and "sourcedId" in exc.value.message


# --- API ---------------------------------------------------------------------------------------------


def test_api_csv_import_dry_run_then_apply(school, school_admin, client_for):
    api = client_for(school_admin)
    upload = SimpleUploadedFile("roster.csv", SIS_CSV.encode(), content_type="text/csv")
    mapping = {k: v for k, v in MAPPING.items() if k != "class_external_id"}
    response = api.post(
        "/api/v1/physed/imports/csv/", {"file": upload, "mapping": json.dumps(mapping)}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dry_run"] is True and body["applied"] is False and body["summary"]["created"] == 3
    assert body["rows"][0] == {"file": "file", "line": 2, "key": "1001", "action": "create", "errors": []}
    assert response["Cache-Control"] == "private, no-store"
    upload.seek(0)
    response = api.post(
        "/api/v1/physed/imports/csv/",
        {"file": upload, "mapping": json.dumps(mapping), "dry_run": "false"},
        format="multipart",
    )
    assert response.json()["applied"] is True and response.json()["import_id"] == RosterImport.objects.get().pk
    assert Student.objects.filter(school=school).count() == 3


def test_api_import_errors_are_400_in_the_error_shape(school, school_admin, client_for):
    api = client_for(school_admin)
    response = api.post(
        "/api/v1/physed/imports/csv/",
        {"file": SimpleUploadedFile("r.csv", "id\n".encode("utf-16")), "mapping": "{}"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "file": ["file is not UTF-8 text. Save it as “CSV UTF-8” and try again."]
    }
    response = api.post(
        "/api/v1/physed/imports/csv/",
        {"file": SimpleUploadedFile("r.csv", b"a\n1\n"), "mapping": "[1"},
        format="multipart",
    )
    assert response.status_code == 400 and "mapping" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/physed/imports/oneroster/", {"users": SimpleUploadedFile("u.csv", b"x")}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    response = api.post("/api/v1/physed/imports/csv/", {"file": "x"}, format="json")
    assert response.status_code == 415


def test_api_oneroster_files(school, school_admin, teacher, client_for):
    api = client_for(school_admin)
    files = {
        name: SimpleUploadedFile(f"{name}.csv", text.encode())
        for name, text in (("users", USERS), ("classes", CLASSES), ("enrollments", ENROLLMENTS))
    }
    response = api.post(
        "/api/v1/physed/imports/oneroster/", {**files, "school_year": 2027, "dry_run": "false"}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["summary"]["errors"] == 4
    assert set(PEClass.objects.values_list("school_year", flat=True)) == {2027}


def test_api_import_needs_the_permission(school, other_school, teacher, school_admin, client_for):
    upload = SimpleUploadedFile("r.csv", b"id,first,last,grade\n1,A,B,7\n")
    response = client_for(teacher).post("/api/v1/physed/imports/csv/", {"file": upload}, format="multipart")
    assert response.status_code == 403
    upload.seek(0)
    response = client_for(school_admin).post(
        "/api/v1/physed/imports/csv/", {"file": upload, "school": other_school.pk}, format="multipart"
    )
    assert response.status_code == 400 and "school" in response.json()["error"]["fields"]
    both = make_member(school, Role.SCHOOL_ADMIN)
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=both, school=other_school, role=Role.SCHOOL_ADMIN)
    upload.seek(0)
    response = client_for(both).post("/api/v1/physed/imports/csv/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["fields"]["school"]
