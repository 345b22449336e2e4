"""Privacy pages: navigation, "My data", "Data management" edge cases; importer edge rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ErasureRequest, PersonExternalId, RetentionPolicy, Role, User
from accounts.models.privacy import ErasureStatus
from accounts.privacy import importer
from accounts.services import privacy as service
from accounts.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_navigation_links(client, school_admin, student):
    client.force_login(student)
    page = client.get("/me/data/").content.decode()
    assert 'href="/me/data/"' in page and 'href="/school/data/"' not in page
    client.force_login(school_admin)
    assert 'href="/school/data/"' in client.get("/me/data/").content.decode()


def test_my_data_lists_downloadable_exports(client, student):
    job = service.request_export(actor=student, subject=student)
    service.run_export(job_id=job.pk)
    client.force_login(student)
    response = client.get("/me/data/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "/me/data/download/" in response.content.decode()


def test_erasure_page_errors(client, school, student):
    client.force_login(student)
    assert client.get("/me/data/erasure/").status_code == 200
    assert client.post("/me/data/erasure/", {"reason": "x"}).status_code == 400  # confirmation missing
    assert client.post("/me/data/erasure/", {"confirm": "on"}).status_code == 302
    client.post("/me/data/erasure/", {"confirm": "on"})  # second: refused with a message
    assert ErasureRequest.objects.filter(subject=student).count() == 1


def test_refuse_page_and_no_school(client, school, school_admin, student):
    erasure = service.request_erasure(requester=student, subject=student)
    client.force_login(school_admin)
    assert client.post(f"/school/data/erasure/{erasure.pk}/refuse/", {"note": "hold"}).status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.REFUSED and erasure.decision_note == "hold"
    assert client.post(f"/school/data/erasure/{erasure.pk}/refuse/").status_code == 302  # already decided
    response = client.post(f"/school/data/erasure/{erasure.pk}/approve/", {"confirm": "on"})
    assert response.status_code == 302 and User.objects.get(pk=student.pk).is_active
    loner = User.objects.create_user(email="nobody@x.test")
    client.force_login(loner)
    assert client.get("/school/data/").status_code == 404


def test_other_school_erasure_is_404(client, other_school, school_admin):
    outsider = make_member(other_school, Role.STUDENT)
    erasure = service.request_erasure(requester=outsider, subject=outsider)
    client.force_login(school_admin)
    assert client.get(f"/school/data/erasure/{erasure.pk}/approve/").status_code == 404


def test_invalid_forms_change_nothing(client, school, school_admin, other_school):
    client.force_login(school_admin)
    assert client.post("/school/data/retention/", {"category": "nope", "keep_days": 3}).status_code == 302
    assert not RetentionPolicy.objects.exists()
    outsider = make_member(other_school, Role.STUDENT)
    assert client.post("/school/data/export/", {"member": outsider.pk}).status_code == 302
    assert client.get("/school/data/import/").status_code == 302
    assert client.post("/school/data/import/", {}).status_code == 400


def test_page_confirm_rechecks_the_file(client, school, school_admin):
    client.force_login(school_admin)
    text = "external_id,email,first_name,last_name,role\nS1,a@x.test,A,B,student\n"
    response = client.post("/school/data/import/", {"file": SimpleUploadedFile("p.csv", text.encode())})
    digest = response.context["digest"]
    User.objects.create_user(email="a@x.test")  # meanwhile someone else was imported with this email
    PersonExternalId.objects.create(school=school, external_id="OTHER", user=User.objects.get(email="a@x.test"))
    response = client.post("/school/data/import/", {"confirm": "1", "digest": digest})
    assert response.status_code == 400 and "already imported under another external id" in response.content.decode()
    assert not PersonExternalId.objects.filter(external_id="S1").exists()


def test_importer_edge_rows(school):
    User.objects.create_user(email="taken@x.test")
    linked = User.objects.create_user(email="linked@x.test")
    PersonExternalId.objects.create(school=school, external_id="L1", user=linked)
    text = (
        "external_id,email,first_name,last_name,role\n"
        ",noid@x.test,A,B,student\n"
        "L1,taken@x.test,A,B,student\n"
        f"S3,long@x.test,{'x' * 151},B,student\n"
        "S4,extra@x.test,A,B,student,surplus\n"
    )
    report = importer.parse(text.encode(), school=school, dry_run=True)
    errors = [" ".join(row.errors) for row in report.rows]
    assert "external_id is required" in errors[0]
    assert "belongs to another account" in errors[1]
    assert "longer than 150" in errors[2]
    assert "more values than the header" in errors[3]
    assert report.summary()["errors"] == 4 and not report.ok
