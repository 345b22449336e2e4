"""Erasure: request → approval → anonymized everywhere through the registry; audit rows keep a
pseudonymous actor; retained records are flagged; a ledger records counts per model."""

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.db import connection, models
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import (
    AuditEvent,
    CustomRole,
    DataExportJob,
    ErasureLedger,
    ErasureRequest,
    Membership,
    Notification,
    Role,
    RoleAssignment,
    User,
    UserSession,
)
from accounts.models.privacy import ErasureStatus
from accounts.privacy import registry
from accounts.services import privacy as service
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member

pytestmark = pytest.mark.django_db

EMAIL = "zelda.quuxington@northside.test"
FIRST, LAST = "Zeldabeth", "Quuxington"


def _text_hits(needles) -> set[str]:
    """Tables whose text columns contain any needle (every table of every installed model)."""
    hits = set()
    for model in apps.get_models(include_auto_created=True):
        columns = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.EmailField)
        ]
        if not columns:
            continue
        table = model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row if value is not None).lower()
                if any(needle.lower() in text for needle in needles):
                    hits.add(model._meta.label)
    return hits


@pytest.fixture
def subject(school):
    user = make_member(school, Role.STUDENT, email=EMAIL, first_name=FIRST, last_name=LAST)
    Notification.objects.create(user=user, kind="k", title=f"Hi {FIRST}", body=f"Dear {FIRST} {LAST}")
    now = timezone.now()
    UserSession.objects.create(
        user=user, kind="api", expires_at=now + timezone.timedelta(days=1), device_label=f"{FIRST}'s phone"
    )
    role = CustomRole.objects.create(school=school, name="Helper")
    RoleAssignment.objects.create(membership=user.memberships.get(), custom_role=role)
    AccessAttempt.objects.create(username=EMAIL, ip_address="10.0.0.0", user_agent="x", failures_since_start=1)
    RefreshToken.for_user(user)
    record_event("auth.email_verified", actor=user, school=school, target=user, changes={"email": EMAIL})
    job = service.request_export(actor=user, subject=user)
    service.run_export(job_id=job.pk)
    return user


def test_request_approve_erases_everywhere(
    client_for, school, school_admin, subject, django_capture_on_commit_callbacks
):
    assert {"accounts.User", "accounts.Notification", "axes.AccessAttempt"} <= _text_hits([EMAIL, FIRST, LAST])

    response = client_for(subject).post("/api/v1/me/erasure-requests/", {"reason": f"I am {FIRST}"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["subject"] == subject.pk and body["school"] == school.pk
    assert client_for(subject).get("/api/v1/me/erasure-requests/").json()["results"][0]["id"] == body["id"]
    # a second pending request is refused
    assert client_for(subject).post("/api/v1/me/erasure-requests/", {}, format="json").status_code == 409
    assert (
        client_for(subject).post("/api/v1/me/erasure-requests/", {"school": school.pk + 999}, format="json").status_code
        == 404
    )

    listed = client_for(school_admin).get("/api/v1/erasure-requests/").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(school_admin).post(f"/api/v1/erasure-requests/{body['id']}/approve/", {}, format="json")
    assert response.status_code == 200, response.content
    done = response.json()
    assert done["status"] == "completed" and done["decided_by"] == school_admin.pk

    subject.refresh_from_db()
    assert subject.email == f"erased-{subject.pk}@invalid"
    assert (subject.first_name, subject.last_name, subject.is_active) == ("", "", False)
    assert not subject.has_usable_password()
    assert not Notification.objects.filter(user=subject).exists()
    assert not UserSession.objects.filter(user=subject).exists()
    assert not RoleAssignment.objects.filter(membership__user=subject).exists()
    assert not AccessAttempt.objects.exists()
    assert not DataExportJob.objects.filter(subject=subject).exists()
    assert Membership.objects.filter(user=subject).count() == 1  # retained, flagged in the ledger

    ledger = {row["model"]: row for row in done["ledger"]}
    assert ledger["accounts.User"]["action"] == "anonymized" and ledger["accounts.User"]["rows"] == 1
    assert ledger["accounts.Notification"]["action"] == "deleted" and ledger["accounts.Notification"]["rows"] >= 1
    assert ledger["accounts.Membership"]["action"] == "retained" and ledger["accounts.Membership"]["retained_reason"]
    assert ledger["accounts.AuditEvent"]["action"] == "retained"
    assert ledger["axes.AccessAttempt"] == {
        "model": "axes.AccessAttempt",
        "action": "deleted",
        "rows": 1,
        "retained_reason": "",
    }
    assert ErasureLedger.objects.filter(request_id=body["id"]).count() == len(registry.entries())

    # audit rows survive with a pseudonymous actor (the id of an anonymized account)
    assert AuditEvent.objects.filter(actor_id=subject.pk, action="auth.email_verified").exists()
    assert AuditEvent.objects.filter(action="privacy.erasure_completed", actor=school_admin).exists()

    # the original email and names appear nowhere, except where retention says so
    retained = {entry.label for entry in registry.entries() if entry.erase == registry.RETAIN}
    hits = _text_hits([EMAIL, FIRST, LAST])
    assert hits <= retained, hits - retained
    assert hits == {"accounts.AuditEvent"}


def test_refuse_and_decided_twice(client_for, school_admin, subject):
    erasure = service.request_erasure(requester=subject, subject=subject)
    response = client_for(school_admin).post(
        f"/api/v1/erasure-requests/{erasure.pk}/refuse/", {"note": "legal hold"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "refused"
    again = client_for(school_admin).post(f"/api/v1/erasure-requests/{erasure.pk}/approve/", {}, format="json")
    assert again.status_code == 400
    subject.refresh_from_db()
    assert subject.email == EMAIL and subject.is_active


def test_permissions_and_other_school(client_for, school, other_school, teacher, subject):
    erasure = service.request_erasure(requester=subject, subject=subject)
    assert (
        client_for(teacher).post(f"/api/v1/erasure-requests/{erasure.pk}/approve/", {}, format="json").status_code
        == 403
    )
    other_admin = make_member(other_school, Role.SCHOOL_ADMIN)
    assert (
        client_for(other_admin).post(f"/api/v1/erasure-requests/{erasure.pk}/approve/", {}, format="json").status_code
        == 404
    )
    assert ErasureRequest.objects.get(pk=erasure.pk).status == ErasureStatus.PENDING


def test_requester_may_differ_from_subject_and_no_self_approval(school, school_admin, student):
    guardian = make_member(school, Role.GUARDIAN)
    erasure = service.request_erasure(requester=guardian, subject=student, school=school, reason="parent asks")
    assert erasure.requested_by == guardian and erasure.subject == student
    own = service.request_erasure(requester=school_admin, subject=school_admin)
    with pytest.raises(ServiceError) as exc:
        service.approve_erasure(actor=school_admin, erasure=own)
    assert exc.value.status == 403


def test_request_needs_a_school(db):
    loner = User.objects.create_user(email="loner@example.org")
    with pytest.raises(ServiceError):
        service.request_erasure(requester=loner, subject=loner)


def test_erasure_pages(client, school, school_admin, subject):
    client.force_login(subject)
    response = client.post("/me/data/erasure/", {"reason": "bye", "confirm": "on"})
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(subject=subject)
    assert client.get("/me/data/").status_code == 200
    client.force_login(school_admin)
    page = client.get("/school/data/")
    assert page.status_code == 200 and f"/school/data/erasure/{erasure.pk}/approve/" in page.content.decode()
    assert client.get(f"/school/data/erasure/{erasure.pk}/approve/").status_code == 200
    assert client.post(f"/school/data/erasure/{erasure.pk}/approve/", {"confirm": "on"}).status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.COMPLETED
    subject.refresh_from_db()
    assert subject.email.startswith("erased-")


def test_other_areas_are_erased_and_exported(school, school_admin):
    """Profiles (with avatar files), preferences and activity go through the same registry."""
    import io
    import json
    import zipfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    Profile = apps.get_model("accounts.Profile")
    ActivityEvent = apps.get_model("accounts.ActivityEvent")
    UserPreference = apps.get_model("accounts.UserPreference")
    person = make_member(school, Role.TEACHER, email=EMAIL, first_name=FIRST, last_name=LAST)
    small = default_storage.save("avatars/test-small.webp", ContentFile(b"small-avatar"))
    Profile.objects.create(user=person, preferred_name=FIRST, bio=f"I am {FIRST} {LAST}", avatar_small=small)
    ActivityEvent.objects.create(user=person, school=school, route_group="people")
    UserPreference.objects.create(user=person, theme="dark")

    job = service.request_export(actor=person, subject=person)
    job = service.run_export(job_id=job.pk)
    with job.archive.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert archive.read("files/accounts.profile/avatar-small.webp") == b"small-avatar"
    assert json.loads(archive.read("data/accounts.profile.json"))[0]["bio"] == f"I am {FIRST} {LAST}"
    assert len(json.loads(archive.read("data/accounts.activityevent.json"))) == 1
    assert json.loads(archive.read("data/accounts.userpreference.json"))[0]["theme"] == "dark"

    erasure = service.request_erasure(requester=person, subject=person)
    service.approve_erasure(actor=school_admin, erasure=erasure)
    assert not Profile.objects.filter(user=person).exists() and not default_storage.exists(small)
    assert not ActivityEvent.objects.filter(user=person).exists()
    assert not UserPreference.objects.filter(user=person).exists()
    assert _text_hits([EMAIL, FIRST, LAST]) <= {"accounts.AuditEvent"}


def test_erasure_ends_sessions_and_blacklists_tokens(client_for, school, school_admin, subject):
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    assert OutstandingToken.objects.filter(user=subject).exists()
    erasure = service.request_erasure(requester=subject, subject=subject)
    service.approve_erasure(actor=school_admin, erasure=erasure)
    assert all(hasattr(token, "blacklistedtoken") for token in OutstandingToken.objects.filter(user=subject))
    assert not AuditEvent.objects.filter(action="session.revoked", changes__user=subject.pk).exists()
    # the erased account can no longer use the API
    assert client_for(User.objects.get(pk=subject.pk)).get("/api/v1/me/").status_code == 401


def test_pending_requests_in_other_schools_complete_too(school, other_school, school_admin):
    from accounts.tests.factories import MembershipFactory

    person = make_member(school, Role.TEACHER)
    MembershipFactory(user=person, school=other_school, role=Role.TEACHER)
    here = service.request_erasure(requester=person, subject=person, school=school)
    there = service.request_erasure(requester=person, subject=person, school=other_school)
    service.approve_erasure(actor=school_admin, erasure=here)
    there.refresh_from_db()
    assert there.status == ErasureStatus.COMPLETED and there.completed_at is not None
