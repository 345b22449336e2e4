"""Retention policies per school and category, the dry-run report and the scheduled task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, DataExportJob, Notification, RetentionPolicy, Role
from accounts.services import privacy as service
from accounts.services.errors import ServiceError
from accounts.tasks.privacy import enforce_retention
from accounts.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _old_notification(user, days):
    note = Notification.objects.create(user=user, kind="k", title="old")
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=days))
    return note


def test_policy_report_and_enforcement(school, other_school, school_admin, student):
    service.set_retention_policy(actor=school_admin, school=school, category="notifications", keep_days=30)
    old = _old_notification(student, 40)
    fresh = _old_notification(student, 10)
    outsider = make_member(other_school, Role.STUDENT)
    other_old = _old_notification(outsider, 40)  # other school: default 365 days

    plan = {(item["school"].pk, item["category"]): item for item in service.retention_plan()}
    assert plan[(school.pk, "notifications")]["due"] == 1
    assert plan[(school.pk, "notifications")]["keep_days"] == 30
    assert plan[(other_school.pk, "notifications")]["due"] == 0

    dry = service.enforce_retention(dry_run=True)
    assert sum(item["deleted"] for item in dry) == 0 and Notification.objects.filter(pk=old.pk).exists()

    assert enforce_retention.delay().get() == 1
    assert not Notification.objects.filter(pk=old.pk).exists()
    assert Notification.objects.filter(pk__in=[fresh.pk, other_old.pk]).count() == 2
    event = AuditEvent.objects.get(action="privacy.retention_enforced")
    assert event.school_id == school.pk and event.changes == {"category": "notifications", "deleted": 1}


def test_person_in_two_schools_keeps_the_longest(school, other_school, school_admin):
    both = make_member(school, Role.TEACHER)
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=both, school=other_school, role=Role.TEACHER)
    service.set_retention_policy(actor=school_admin, school=school, category="notifications", keep_days=30)
    note = _old_notification(both, 40)
    service.enforce_retention()
    assert Notification.objects.filter(pk=note.pk).exists()


def test_expired_export_archives_are_removed(student):
    job = service.request_export(actor=student, subject=student)
    service.run_export(job_id=job.pk)
    DataExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    service.enforce_retention()
    job.refresh_from_db()
    assert not job.archive


def test_policy_validation(school, school_admin):
    with pytest.raises(ServiceError):
        service.set_retention_policy(actor=school_admin, school=school, category="nope", keep_days=3)
    with pytest.raises(ServiceError):
        service.set_retention_policy(actor=school_admin, school=school, category="sessions", keep_days=0)


def test_api(client_for, school, other_school, school_admin, teacher):
    client = client_for(school_admin)
    response = client.post(
        "/api/v1/retention-policies/", {"school": school.pk, "category": "sessions", "keep_days": 90}, format="json"
    )
    assert response.status_code == 201, response.content
    policy_id = response.json()["id"]
    assert response.json()["keep_days"] == 90
    response = client.patch(f"/api/v1/retention-policies/{policy_id}/", {"keep_days": 60}, format="json")
    assert response.status_code == 200 and RetentionPolicy.objects.get(pk=policy_id).keep_days == 60
    report = client.get("/api/v1/retention-policies/report/").json()
    assert {
        "school": school.pk,
        "category": "sessions",
        "model": "accounts.UserSession",
        "keep_days": 60,
        "due": 0,
    } in report
    assert client.get("/api/v1/retention-policies/report/", {"school": school.pk}).json() == [
        row for row in report if row["school"] == school.pk
    ]
    assert client.get("/api/v1/retention-policies/report/", {"school": "abc"}).status_code == 400
    assert client.get("/api/v1/retention-policies/report/", {"school": 10**30}).json() == []
    response = client.post(
        "/api/v1/retention-policies/",
        {"school": other_school.pk, "category": "sessions", "keep_days": 9},
        format="json",
    )
    assert response.status_code == 400
    assert client_for(teacher).get("/api/v1/retention-policies/").status_code == 403
    assert client.delete(f"/api/v1/retention-policies/{policy_id}/").status_code == 204
    assert AuditEvent.objects.filter(action="privacy.retention_deleted").count() == 1


def test_page(client, school, school_admin):
    client.force_login(school_admin)
    response = client.post("/school/data/retention/", {"category": "notifications", "keep_days": 12})
    assert response.status_code == 302
    assert RetentionPolicy.objects.get(school=school, category="notifications").keep_days == 12
    page = client.get("/school/data/").content.decode()
    assert "accounts.Notification" in page and "Dry run" in page


def test_demo_seed_is_idempotent(school):
    from accounts import demo_privacy

    demo_privacy.seed({})
    RetentionPolicy.objects.filter(school=school, category="sessions").update(keep_days=5)
    demo_privacy.seed({})
    assert RetentionPolicy.objects.get(school=school, category="sessions").keep_days == 5
    assert RetentionPolicy.objects.filter(school=school).count() == 2


def test_member_export_page(client, school, school_admin, student):
    client.force_login(school_admin)
    response = client.post("/school/data/export/", {"member": student.pk})
    assert response.status_code == 302
    assert DataExportJob.objects.get(requested_by=school_admin).subject == student
    page = client.get("/me/data/").content.decode()
    assert student.get_full_name() in page
    client.force_login(student)
    assert client.post("/me/data/export/").status_code == 302
    assert DataExportJob.objects.filter(requested_by=student, subject=student).count() == 1
