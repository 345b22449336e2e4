"""Export my data: 202 + job, the archive's contents, private download, expiry, audit; a school
admin's export of a member."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.models import AuditEvent, DataExportJob, JobStatus, Notification, Role
from accounts.services import privacy as service
from accounts.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _zip(job) -> zipfile.ZipFile:
    with job.archive.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_post_me_export_returns_202_job_and_builds_archive(client_for, student, django_capture_on_commit_callbacks):
    student.first_name, student.last_name = "Zed", "Student"
    student.save()
    Notification.objects.create(user=student, kind="k", title="Welcome", body="hello, Zed")
    client = client_for(student)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/me/export/")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending" and body["progress"] == 0 and body["result_url"] is None
    assert response["Cache-Control"] == "private, no-store"

    job = DataExportJob.objects.get(pk=body["id"])
    assert job.status == JobStatus.DONE and job.progress == 100 and job.requested_by == student
    assert timezone.now() + timedelta(hours=71) > job.expires_at > timezone.now()

    polled = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert polled["status"] == "done" and polled["progress"] == 100
    assert polled["result_url"].endswith(f"/api/v1/jobs/{job.pk}/download/")

    archive = _zip(job)
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["schema_version"] == "1.0"
    assert manifest["subject"] == {"id": student.pk, "email": student.email, "name": "Zed Student"}
    assert {f["path"] for f in manifest["files"]} | {"manifest.json"} == names
    assert "index.html" in names and "<script" not in archive.read("index.html").decode()

    users = json.loads(archive.read("data/accounts.user.json"))
    assert len(users) == 1 and users[0]["email"] == student.email and "password" not in users[0]
    notes = json.loads(archive.read("data/accounts.notification.json"))
    assert [n["body"] for n in notes if n["kind"] == "k"] == ["hello, Zed"]
    memberships = list(csv.DictReader(io.StringIO(archive.read("data/accounts.membership.csv").decode())))
    assert [(m["role"], m["school_id"]) for m in memberships] == [
        (Role.STUDENT, str(student.memberships.get().school_id))
    ]
    notification_entry = next(f for f in manifest["files"] if f["path"] == "data/accounts.notification.json")
    assert notification_entry["rows"] == len(notes) and notification_entry["category"] == "notifications"

    # audited, and the requester is told (in-app + email)
    actions = list(AuditEvent.objects.filter(target_id=str(job.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["privacy.export_completed", "privacy.export_requested"]
    ready = Notification.objects.get(user=student, kind="data.export_ready")
    assert ready.url == "/me/data/"
    assert any(student.email in message.to for message in mail.outbox)


def test_download_is_own_only_audited_and_expires(client_for, student, teacher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client_for(student).post("/api/v1/me/export/").json()["id"]
    response = client_for(student).get(f"/api/v1/jobs/{job_id}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="privacy.export_downloaded", target_id=job_id).count() == 1

    assert client_for(teacher).get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert client_for(teacher).get(f"/api/v1/jobs/{job_id}/download/").status_code == 404

    DataExportJob.objects.filter(pk=job_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client_for(student).get(f"/api/v1/jobs/{job_id}/download/").status_code == 404
    assert client_for(student).get(f"/api/v1/jobs/{job_id}/").json()["result_url"] is None


def test_signed_page_link(client, student, teacher, django_capture_on_commit_callbacks):
    job = service.request_export(actor=student, subject=student)
    service.run_export(job_id=job.pk)
    job.refresh_from_db()
    token = service.download_token(job)
    client.force_login(student)
    response = client.get(f"/me/data/download/{token}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert client.get(f"/me/data/download/{token}x/").status_code == 404
    client.force_login(teacher)
    assert client.get(f"/me/data/download/{token}/").status_code == 404
    with override_settings(PRIVACY_EXPORT_LINK_HOURS=0):
        assert service.job_from_token(token) is None


def test_school_admin_exports_a_member(
    client_for, school_admin, student, other_school, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(school_admin).post(f"/api/v1/users/{student.pk}/export/", {}, format="json")
    assert response.status_code == 202
    job = DataExportJob.objects.get(pk=response.json()["id"])
    assert job.subject == student and job.requested_by == school_admin and job.status == JobStatus.DONE
    manifest = json.loads(_zip(job).read("manifest.json"))
    assert manifest["subject"]["id"] == student.pk
    event = AuditEvent.objects.get(action="privacy.export_requested", target_id=str(job.pk))
    assert event.actor_id == school_admin.pk and event.changes == {"subject": student.pk, "on_behalf": True}
    # the student cannot see the admin's job
    assert client_for(student).get(f"/api/v1/jobs/{job.pk}/").status_code == 404

    # a teacher of the same school lacks the permission; someone of another school is a 404
    assert client_for(teacher).post(f"/api/v1/users/{student.pk}/export/", {}, format="json").status_code == 403
    outsider = make_member(other_school, Role.STUDENT)
    assert client_for(school_admin).post(f"/api/v1/users/{outsider.pk}/export/", {}, format="json").status_code == 404
    assert client_for(school_admin).post("/api/v1/users/999999/export/", {}, format="json").status_code == 404
    other_admin = make_member(other_school, Role.SCHOOL_ADMIN)
    response = client_for(other_admin).post(f"/api/v1/users/{student.pk}/export/", {}, format="json")
    assert response.status_code == 404
    response = client_for(school_admin).post(
        f"/api/v1/users/{student.pk}/export/", {"school": other_school.pk}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_is_401(api_client):
    assert api_client.post("/api/v1/me/export/").status_code == 401


def test_failed_export_is_marked(student, monkeypatch):
    from accounts.privacy import exporter

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    job = service.request_export(actor=student, subject=student)
    monkeypatch.setattr(exporter, "build_archive", boom)
    with pytest.raises(RuntimeError):
        service.run_export(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "export_failed"
    assert "could not be built" in job.error_message


def test_archive_streams_many_rows_with_files_hook(student):
    from django.core.files.base import ContentFile

    from accounts.privacy import exporter, registry

    Notification.objects.bulk_create([Notification(user=student, kind="bulk", title=f"n{i}") for i in range(2500)])
    entry = registry.entry_for("accounts.Notification")
    original = entry.files
    entry.files = lambda user: [("avatar.txt", ContentFile(b"file-bytes", name="avatar.txt"))]
    try:
        archive, manifest = exporter.build_archive(student)
    finally:
        entry.files = original
    with archive:
        zf = zipfile.ZipFile(archive)
        assert len(json.loads(zf.read("data/accounts.notification.json"))) == 2500
        assert len(zf.read("data/accounts.notification.csv").decode().strip().splitlines()) == 2501
        assert zf.read("files/accounts.notification/avatar.txt") == b"file-bytes"
    assert any(f["format"] == "file" for f in manifest["files"])


def test_asking_again_while_running_returns_the_same_job(student):
    first = service.request_export(actor=student, subject=student)  # not run: no on_commit in this test
    again = service.request_export(actor=student, subject=student)
    assert again.pk == first.pk and DataExportJob.objects.count() == 1
    assert AuditEvent.objects.filter(action="privacy.export_requested").count() == 1
