"""Roster/staff CSV import: dry run, confirm, idempotency, malformed files (never a 500, nothing
written), the page and django-import-export in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, Membership, PersonExternalId, Role, User
from accounts.services import privacy as service
from accounts.tests.factories import make_member

pytestmark = pytest.mark.django_db

GOOD = (
    "external_id,email,first_name,last_name,role,valid_from\n"
    "S001,ana@pupils.test,Ana,López,student,2026-09-01\n"
    "T001,tom@staff.test,Tom,Baker,teacher,\n"
)


def _post(client, school, text, dry_run=True, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    upload = SimpleUploadedFile("people.csv", data, content_type="text/csv")
    return client.post(
        f"/api/v1/schools/{school.pk}/imports/people/", {"file": upload, "dry_run": dry_run}, format="multipart"
    )


def _counts():
    return User.objects.count(), Membership.objects.count(), PersonExternalId.objects.count()


def test_dry_run_reports_and_writes_nothing(client_for, school, school_admin):
    before = _counts()
    response = _post(client_for(school_admin), school, GOOD)
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["applied"] is False and body["file_errors"] == []
    assert body["summary"] == {"total": 2, "created": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert [(r["line"], r["external_id"], r["action"]) for r in body["rows"]] == [
        (2, "S001", "create"),
        (3, "T001", "create"),
    ]
    assert _counts() == before


def test_confirm_writes_and_is_idempotent(client_for, school, school_admin):
    client = client_for(school_admin)
    body = _post(client, school, GOOD, dry_run=False).json()
    assert body["applied"] is True and body["summary"]["created"] == 2
    ana = User.objects.get(email="ana@pupils.test")
    assert (ana.first_name, ana.last_name) == ("Ana", "López") and not ana.has_usable_password()
    membership = Membership.objects.get(user=ana, school=school)
    assert membership.role == Role.STUDENT and membership.valid_from.date().isoformat() == "2026-09-01"
    assert PersonExternalId.objects.get(school=school, external_id="S001").user == ana
    assert AuditEvent.objects.get(action="privacy.people_imported").changes["created"] == 2

    after_first = _counts()
    again = _post(client, school, GOOD, dry_run=False).json()
    assert again["summary"] == {"total": 2, "created": 0, "updated": 0, "unchanged": 2, "errors": 0}
    assert _counts() == after_first

    renamed = GOOD.replace("Ana,López", "Anita,López")
    result = _post(client, school, renamed, dry_run=False).json()
    assert result["summary"]["updated"] == 1 and _counts() == after_first
    assert User.objects.get(pk=ana.pk).first_name == "Anita"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("external_id,email,first_name,last_name,role\nS1,bé@x.test,Zoë,Ä,student\n".encode("utf-16"), "not UTF-8"),
        ("external_id,email,first_name,last_name,role\nS1,b@x.test,Zoë,Ä,student\n".encode("latin-1"), "not UTF-8"),
        ("external_id,email,role\nS1,a@x.test,student\n", "Missing columns: first_name, last_name"),
        ("external_id,email,first_name,last_name,role\n", "no rows"),
        (b"\x00\x01PK\x03\x04", "not"),
    ],
)
def test_malformed_files(client_for, school, school_admin, content, expected):
    before = _counts()
    response = _post(client_for(school_admin), school, content, dry_run=False)
    assert response.status_code == 200
    body = response.json()
    assert body["applied"] is False and any(expected in error for error in body["file_errors"]), body
    assert _counts() == before


def test_row_errors_block_the_whole_file(client_for, school, school_admin):
    text = (
        "external_id,email,first_name,last_name,role,valid_from,valid_until\n"
        "S1,ok@x.test,Ok,One,student,,\n"
        "S1,dup@x.test,Dup,Id,student,,\n"
        "S2,not-an-email,Bad,Mail,student,,\n"
        "S3,date@x.test,Bad,Date,student,2026-13-45,\n"
        "S4,role@x.test,Bad,Role,wizard,,\n"
        "S5,ok@x.test,Dup,Mail,student,,\n"
        "S6,order@x.test,Bad,Order,student,2026-09-01,2026-08-01\n"
    )
    before = _counts()
    body = _post(client_for(school_admin), school, text, dry_run=False).json()
    assert body["applied"] is False
    errors = {row["line"]: " ".join(row["errors"]) for row in body["rows"]}
    assert errors[2] == ""
    assert "repeated (first on line 2)" in errors[3]
    assert "not a valid address" in errors[4]
    assert "not a date" in errors[5]
    assert "not one of" in errors[6]
    assert "email “ok@x.test” is repeated" in errors[7]
    assert "valid_until must be after valid_from" in errors[8]
    assert body["summary"]["errors"] == 6
    assert _counts() == before


def test_existing_account_is_linked_not_duplicated(client_for, school, school_admin):
    existing = User.objects.create_user(email="ana@pupils.test", first_name="A")
    body = _post(client_for(school_admin), school, GOOD, dry_run=False).json()
    assert body["rows"][0]["action"] == "update"
    assert PersonExternalId.objects.get(external_id="S001").user == existing
    assert User.objects.filter(email="ana@pupils.test").count() == 1


def test_permissions(client_for, school, other_school, teacher, school_admin):
    assert _post(client_for(teacher), school, GOOD).status_code == 403
    assert _post(client_for(school_admin), other_school, GOOD).status_code == 404
    response = client_for(school_admin).post(
        f"/api/v1/schools/{school.pk}/imports/people/", {"dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]


def test_too_large(settings, school, school_admin):
    settings.PRIVACY_IMPORT_MAX_BYTES = 10
    report = service.import_people(actor=school_admin, school=school, data=GOOD.encode(), dry_run=False)
    assert not report.ok and "larger than 10 bytes" in report.file_errors[0]


def test_page_dry_run_then_confirm(client, school, school_admin):
    client.force_login(school_admin)
    before = _counts()
    upload = SimpleUploadedFile("people.csv", GOOD.encode(), content_type="text/csv")
    response = client.post("/school/data/import/", {"file": upload})
    assert response.status_code == 200 and "S001" in response.content.decode()
    assert _counts() == before
    digest = response.context["digest"]
    assert client.post("/school/data/import/", {"confirm": "1", "digest": "wrong"}).status_code == 302
    assert _counts() == before
    assert client.post("/school/data/import/", {"confirm": "1", "digest": digest}).status_code == 302
    assert User.objects.filter(email__in=["ana@pupils.test", "tom@staff.test"]).count() == 2

    bad = SimpleUploadedFile("people.csv", b"nonsense\n1\n", content_type="text/csv")
    response = client.post("/school/data/import/", {"file": bad})
    assert response.status_code == 400 and "Missing columns" in response.content.decode()


def test_page_needs_permission(client, school, teacher):
    client.force_login(teacher)
    assert client.get("/school/data/").status_code == 403


def test_admin_import_export_resource(school):
    import tablib

    from accounts.admin_privacy import RosterResource

    dataset = tablib.Dataset(headers=["school", "external_id", "email", "first_name", "last_name", "role"])
    dataset.append([school.slug, "S9", "nine@x.test", "Nine", "Pupil", "student"])
    before = _counts()
    result = RosterResource().import_data(dataset, dry_run=True, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert _counts() == before
    result = RosterResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert not result.has_errors()
    link = PersonExternalId.objects.get(school=school, external_id="S9")
    assert link.user.email == "nine@x.test" and Membership.objects.get(user=link.user).role == Role.STUDENT
    # idempotent
    RosterResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert PersonExternalId.objects.filter(external_id="S9").count() == 1

    bad = tablib.Dataset(headers=["school", "external_id", "email", "first_name", "last_name", "role"])
    bad.append([school.slug, "S10", "bad-email", "B", "P", "student"])
    bad.append(["nowhere", "S11", "x@x.test", "B", "P", "student"])
    counts = _counts()
    result = RosterResource().import_data(bad, dry_run=False, use_transactions=True)
    assert result.has_errors()
    messages = " ".join(str(error.error) for error in result.base_errors)
    assert "not a valid address" in messages and "Unknown school" in messages
    assert _counts() == counts
    exported = RosterResource().export()
    assert exported.dict[0]["email"] == "nine@x.test"


def test_admin_import_page_renders(client, school):
    admin = make_member(school, Role.SCHOOL_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/accounts/personexternalid/import/").status_code == 200
