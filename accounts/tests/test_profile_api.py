"""Profiles over the API: /me/ profile fields, the school admin's user list, privacy per viewer,
staff verification, deactivation, and profile pictures in storage."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import AuditEvent, FieldVisibility, Profile, Role, StaffRecord
from accounts.selectors_profiles import is_verified_staff
from accounts.tests.factories import UserFactory
from accounts.tests.factories_profiles import ProfileFactory, StaffRecordFactory
from accounts.tests.test_profile_images import image_bytes, jpeg_with_gps, png_header_only

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_avatar_storage():
    """The test storage (InMemoryStorage) lives for the whole run: start and end each test empty."""
    for name in _files_under():
        default_storage.delete(f"avatars/{name}")
    yield
    for name in _files_under():
        default_storage.delete(f"avatars/{name}")


def _files_under(prefix="avatars"):
    try:
        _dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    return sorted(files)


def _put_avatar(client, content, name="me.png"):
    return client.put(
        "/api/v1/me/avatar/", {"file": SimpleUploadedFile(name, content, content_type="image/png")}, format="multipart"
    )


# --- /me/ ------------------------------------------------------------------------------------


def test_me_includes_profile_fields_with_defaults(client_for, teacher):
    body = client_for(teacher).get("/api/v1/me/").json()
    assert body["preferred_name"] == "" and body["pronouns"] == "" and body["bio"] == ""
    assert body["email_visibility"] == "staff"
    assert body["phone_visibility"] == "me"
    assert body["picture_visibility"] == "school"
    assert body["directory_opt_out"] is False
    assert body["email_verified"] is True
    assert body["avatar"] is None
    assert body["staff"] == []


def test_me_patch_round_trips_profile_and_privacy_and_is_audited(client_for, teacher, school):
    client = client_for(teacher)
    payload = {
        "first_name": "Robin",
        "preferred_name": "Rob",
        "pronouns": "he/him",
        "title": "Head coach",
        "phone": "+34 600 123 456",
        "bio": "Runs the athletics club.",
        "phone_visibility": "staff",
        "directory_opt_out": True,
    }
    response = client.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 200, response.json()
    body = client.get("/api/v1/me/").json()
    for key, value in payload.items():
        assert body[key] == value
    profile = Profile.objects.get(user=teacher)
    assert profile.phone == "+34 600 123 456" and profile.directory_opt_out is True
    event = AuditEvent.objects.get(action="profile.updated", target_id=str(teacher.pk))
    assert event.actor == teacher and event.school == school
    assert "phone" in event.changes["fields"] and "+34" not in str(event.changes)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone_visibility": "world"}, "phone_visibility"),
        ({"directory_opt_out": 1}, "directory_opt_out"),
        ({"phone": "call me maybe"}, "phone"),
        ({"pronouns": "x" * 41}, "pronouns"),
        ({"avatar": None}, "avatar"),
        ({"email_verified": True}, "email_verified"),
        ({"is_staff": True}, "is_staff"),
    ],
)
def test_me_patch_refuses_bad_values_and_read_only_keys(client_for, teacher, payload, field):
    response = client_for(teacher).patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    teacher.refresh_from_db()
    assert not teacher.is_staff


# --- avatar ----------------------------------------------------------------------------------


def test_avatar_upload_stores_reencoded_sizes_without_exif_and_serves_them(client_for, teacher):
    client = client_for(teacher)
    response = _put_avatar(client, jpeg_with_gps(), "me.jpg")
    assert response.status_code == 200, response.json()
    urls = response.json()["avatar"]
    assert set(urls) == {"small", "large"}
    assert f"/api/v1/users/{teacher.pk}/avatar/small/" in urls["small"]
    profile = Profile.objects.get(user=teacher)
    assert len(_files_under()) == 2
    assert re.fullmatch(r"avatars/[A-Za-z0-9_-]{32}-small\.webp", profile.avatar_small)  # unguessable name
    with default_storage.open(profile.avatar_large) as stored:
        content = stored.read()
    picture = Image.open(io.BytesIO(content))
    assert picture.format == "WEBP" and picture.size == (256, 256)
    assert dict(picture.getexif()) == {} and b"SpyCam" not in content

    served = client.get(f"/api/v1/users/{teacher.pk}/avatar/large/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert served["Cache-Control"].startswith("private")
    assert b"".join(served.streaming_content) == content
    assert AuditEvent.objects.filter(action="profile.avatar_changed", target_id=str(teacher.pk)).count() == 1


def test_replacing_the_avatar_removes_the_old_files(client_for, teacher):
    client = client_for(teacher)
    _put_avatar(client, image_bytes("PNG"))
    old = Profile.objects.get(user=teacher)
    old_names = [old.avatar_small, old.avatar_large]
    assert _put_avatar(client, image_bytes("WEBP", color=(0, 0, 255))).status_code == 200
    new = Profile.objects.get(user=teacher)
    assert all(not default_storage.exists(name) for name in old_names)
    assert default_storage.exists(new.avatar_small) and default_storage.exists(new.avatar_large)
    assert len(_files_under()) == 2


def test_deleting_the_avatar_removes_the_files(client_for, teacher):
    client = client_for(teacher)
    _put_avatar(client, image_bytes("PNG"))
    names = [Profile.objects.get(user=teacher).avatar_small, Profile.objects.get(user=teacher).avatar_large]
    response = client.delete("/api/v1/me/avatar/")
    assert response.status_code == 204
    assert _files_under() == []
    assert all(not default_storage.exists(name) for name in names)
    assert client.get("/api/v1/me/").json()["avatar"] is None
    assert client.get(f"/api/v1/users/{teacher.pk}/avatar/small/").status_code == 404


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        png_header_only(20_000, 20_000),
        png_header_only(4097, 10),
    ],
    ids=["zero-byte", "html-in-png", "svg", "bomb", "too-wide"],
)
def test_bad_avatar_uploads_are_400_and_store_nothing(client_for, teacher, content):
    response = _put_avatar(client_for(teacher), content)
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert _files_under() == []
    assert not Profile.objects.filter(user=teacher).exclude(avatar_small="").exists()


def test_oversized_avatar_is_refused_and_nothing_stored(client_for, teacher, settings):
    settings.AVATAR_MAX_BYTES = 2048
    response = _put_avatar(client_for(teacher), image_bytes("PNG", size=(600, 600)) + b"\0" * 4096)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"]
    assert _files_under() == []


def test_a_refused_replacement_keeps_the_current_picture(client_for, teacher):
    client = client_for(teacher)
    _put_avatar(client, image_bytes("PNG"))
    before = Profile.objects.get(user=teacher).avatar_large
    assert _put_avatar(client, b"<svg/>").status_code == 400
    assert Profile.objects.get(user=teacher).avatar_large == before
    assert default_storage.exists(before) and len(_files_under()) == 2


def test_avatar_upload_without_a_file_or_as_json_is_refused(client_for, teacher):
    client = client_for(teacher)
    assert client.put("/api/v1/me/avatar/", {}, format="multipart").status_code == 400
    assert client.put("/api/v1/me/avatar/", {"file": "x"}, format="json").status_code == 415


@pytest.mark.parametrize(
    ("visibility", "viewer_role", "visible"),
    [
        (FieldVisibility.SCHOOL, Role.STUDENT, True),
        (FieldVisibility.STAFF, Role.STUDENT, False),
        (FieldVisibility.STAFF, Role.ASSISTANT, True),
        (FieldVisibility.ONLY_ME, Role.SCHOOL_ADMIN, False),
    ],
)
def test_avatar_is_served_only_as_the_privacy_setting_allows(
    client_for, teacher, school, member, visibility, viewer_role, visible
):
    _put_avatar(client_for(teacher), image_bytes("PNG"))
    Profile.objects.filter(user=teacher).update(picture_visibility=visibility)
    viewer = member(school, viewer_role)
    response = client_for(viewer).get(f"/api/v1/users/{teacher.pk}/avatar/small/")
    assert response.status_code == (200 if visible else 404)
    assert client_for(teacher).get(f"/api/v1/users/{teacher.pk}/avatar/small/").status_code == 200


def test_avatar_of_another_schools_member_and_unknown_size_are_404(client_for, teacher, other_teacher):
    _put_avatar(client_for(other_teacher), image_bytes("PNG"))
    _put_avatar(client_for(teacher), image_bytes("PNG"))
    client = client_for(teacher)
    assert client.get(f"/api/v1/users/{other_teacher.pk}/avatar/small/").status_code == 404
    assert client.get(f"/api/v1/users/{teacher.pk}/avatar/huge/").status_code == 404


# --- /users/ ---------------------------------------------------------------------------------


def test_user_list_shows_only_own_school_members_with_search_and_filters(
    client_for, school_admin, teacher, student, other_teacher
):
    ProfileFactory(user=teacher, preferred_name="Zebedee", title="Athletics lead")
    client = client_for(school_admin)
    ids = {row["id"] for row in client.get("/api/v1/users/").json()["results"]}
    assert ids == {school_admin.pk, teacher.pk, student.pk}
    assert [r["id"] for r in client.get("/api/v1/users/", {"search": "zebedee"}).json()["results"]] == [teacher.pk]
    assert [r["id"] for r in client.get("/api/v1/users/", {"role": "student"}).json()["results"]] == [student.pk]
    StaffRecordFactory(user=teacher, school=teacher.memberships.get().school, verified_at="2026-01-01T00:00Z")
    verified = client.get("/api/v1/users/", {"verified_staff": "true"}).json()["results"]
    assert [r["id"] for r in verified] == [teacher.pk]
    assert verified[0]["verified_staff"] is True


def test_user_detail_honours_privacy_per_viewer(client_for, school, teacher, member):
    ProfileFactory(
        user=teacher,
        phone="+1 555 0199",
        bio="Marathons.",
        email_visibility=FieldVisibility.SCHOOL,
        phone_visibility=FieldVisibility.STAFF,
        bio_visibility=FieldVisibility.ONLY_ME,
    )
    assistant = member(school, Role.ASSISTANT)
    body = client_for(assistant).get(f"/api/v1/users/{teacher.pk}/").json()
    assert body["email"] == teacher.email
    assert body["phone"] == "+1 555 0199"
    assert body["bio"] is None
    assert body["title"] == "PE teacher"

    Profile.objects.filter(user=teacher).update(
        email_visibility=FieldVisibility.ONLY_ME, phone_visibility=FieldVisibility.ONLY_ME
    )
    body = client_for(assistant).get(f"/api/v1/users/{teacher.pk}/").json()
    assert body["email"] is None and body["phone"] is None

    own = client_for(teacher).get(f"/api/v1/users/{teacher.pk}/").json()
    assert own["email"] == teacher.email and own["phone"] == "+1 555 0199" and own["bio"] == "Marathons."


def test_students_cannot_list_users(client_for, student):
    assert client_for(student).get("/api/v1/users/").status_code == 403


def test_school_admin_patches_profile_fields_and_staff_id(client_for, school_admin, teacher, school):
    response = client_for(school_admin).patch(
        f"/api/v1/users/{teacher.pk}/", {"title": "Department lead", "staff_id": "T-0042"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Department lead"
    assert body["staff"] == [{"school": school.pk, "staff_id": "T-0042", "verified_staff": False, "verified_at": None}]
    assert Profile.objects.get(user=teacher).title == "Department lead"
    assert AuditEvent.objects.filter(action="profile.staff_id_changed", actor=school_admin).count() == 1
    event = AuditEvent.objects.get(action="profile.updated", actor=school_admin)
    assert event.changes == {"fields": ["title"], "by_self": False}


def test_staff_ids_are_unique_within_a_school(client_for, school_admin, teacher, school, member):
    StaffRecordFactory(user=member(school, Role.ASSISTANT), school=school, staff_id="T-1")
    response = client_for(school_admin).patch(f"/api/v1/users/{teacher.pk}/", {"staff_id": "T-1"}, format="json")
    assert response.status_code == 400
    assert "staff_id" in response.json()["error"]["fields"]


def test_teacher_cannot_patch_users_and_admin_cannot_set_privacy(client_for, teacher, school_admin):
    assert (
        client_for(teacher).patch(f"/api/v1/users/{school_admin.pk}/", {"title": "x"}, format="json").status_code == 403
    )
    response = client_for(school_admin).patch(
        f"/api/v1/users/{teacher.pk}/", {"email_visibility": "school"}, format="json"
    )
    assert response.status_code == 400


def test_verify_staff_sets_badge_audits_and_selector(client_for, school_admin, teacher, school):
    assert not is_verified_staff(teacher, school.pk)
    response = client_for(school_admin).post(f"/api/v1/users/{teacher.pk}/verify-staff/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["verified_staff"] is True
    record = StaffRecord.objects.get(user=teacher, school=school)
    assert record.verified_by == school_admin and record.verified_at is not None
    assert is_verified_staff(teacher, school.pk)
    event = AuditEvent.objects.get(action="profile.staff_verified")
    assert event.actor == school_admin and event.school == school and event.target_id == str(teacher.pk)

    response = client_for(school_admin).post(
        f"/api/v1/users/{teacher.pk}/verify-staff/", {"verified": False}, format="json"
    )
    assert response.json()["verified_staff"] is False
    assert not is_verified_staff(teacher, school.pk)
    assert AuditEvent.objects.filter(action="profile.staff_verification_removed").count() == 1


def test_students_cannot_be_verified_as_staff(client_for, school_admin, student):
    response = client_for(school_admin).post(f"/api/v1/users/{student.pk}/verify-staff/", {}, format="json")
    assert response.status_code == 400
    assert not StaffRecord.objects.filter(user=student, verified_at__isnull=False).exists()


def test_verified_staff_loses_status_when_no_longer_staff(school_admin, teacher, school):
    StaffRecordFactory(user=teacher, school=school, verified_at="2026-01-01T00:00Z")
    assert is_verified_staff(teacher, school.pk)
    teacher.memberships.update(role=Role.STUDENT)
    from accounts.selectors import bump_permission_version, forget_school_access

    bump_permission_version()
    forget_school_access(teacher)
    assert not is_verified_staff(teacher, school.pk)


def test_only_school_admins_verify_staff(client_for, teacher, member, school):
    head = member(school, Role.DEPARTMENT_HEAD)
    assert client_for(head).post(f"/api/v1/users/{teacher.pk}/verify-staff/", {}, format="json").status_code == 403


def test_deactivate_ends_access(client_for, school_admin, teacher):
    response = client_for(school_admin).post(f"/api/v1/users/{teacher.pk}/deactivate/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    teacher.refresh_from_db()
    assert teacher.is_active is False
    assert AuditEvent.objects.filter(action="auth.user_deactivated", actor=school_admin).exists()


def test_deactivate_refuses_self_and_members_of_schools_you_do_not_run(
    client_for, school_admin, teacher, other_school, member
):
    assert client_for(school_admin).post(f"/api/v1/users/{school_admin.pk}/deactivate/", {}).status_code == 400
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=teacher, school=other_school, role=Role.TEACHER)
    response = client_for(school_admin).post(f"/api/v1/users/{teacher.pk}/deactivate/", {}, format="json")
    assert response.status_code == 403
    teacher.refresh_from_db()
    assert teacher.is_active is True


def test_user_list_shows_memberships_only_of_shared_schools(client_for, school_admin, teacher, other_school, school):
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=teacher, school=other_school, role=Role.TEACHER)
    StaffRecordFactory(user=teacher, school=other_school, staff_id="SECRET-9")
    body = client_for(school_admin).get(f"/api/v1/users/{teacher.pk}/").json()
    assert body["memberships"] == [{"school": school.pk, "role": "teacher"}]
    assert body["staff"] == []


def test_other_school_user_is_404(client_for, school_admin, other_teacher):
    assert client_for(school_admin).get(f"/api/v1/users/{other_teacher.pk}/").status_code == 404


def test_user_without_membership_is_invisible(client_for, school_admin):
    loner = UserFactory()
    assert client_for(school_admin).get(f"/api/v1/users/{loner.pk}/").status_code == 404


def test_user_list_filter_values_are_validated(client_for, school_admin):
    response = client_for(school_admin).get("/api/v1/users/", {"verified_staff": "maybe"})
    assert response.status_code == 400
    assert "verified_staff" in response.json()["error"]["fields"]
    assert client_for(school_admin).get("/api/v1/users/", {"role": "wizard"}).status_code == 400


def test_a_large_upload_spooled_to_disk_is_processed(client_for, teacher, settings):
    import os

    noise = Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    content = buffer.getvalue()
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < len(content) < settings.AVATAR_MAX_BYTES
    response = _put_avatar(client_for(teacher), content, "big.png")
    assert response.status_code == 200, response.json()
    assert len(_files_under()) == 2


def test_me_lists_staff_records_with_verification(client_for, school_admin, teacher, school):
    client_for(school_admin).post(f"/api/v1/users/{teacher.pk}/verify-staff/", {}, format="json")
    staff = client_for(teacher).get("/api/v1/me/").json()["staff"]
    assert len(staff) == 1
    assert staff[0]["school"] == school.pk and staff[0]["verified_staff"] is True and staff[0]["verified_at"]


def test_verify_staff_names_the_school_when_the_member_is_in_several(
    client_for, school_admin, teacher, school, other_school
):
    from accounts.tests.factories import MembershipFactory

    MembershipFactory(user=school_admin, school=other_school, role=Role.SCHOOL_ADMIN)
    MembershipFactory(user=teacher, school=other_school, role=Role.TEACHER)
    client = client_for(school_admin)
    url = f"/api/v1/users/{teacher.pk}/verify-staff/"
    assert "school" in client.post(url, {}, format="json").json()["error"]["fields"]
    assert client.post(url, {"school": 999999}, format="json").status_code == 400
    assert client.post(url, {"school": other_school.pk}, format="json").status_code == 200
    assert is_verified_staff(teacher, other_school.pk) and not is_verified_staff(teacher, school.pk)
    assert client.patch(f"/api/v1/users/{teacher.pk}/", {"staff_id": "X"}, format="json").status_code == 400


def test_reading_me_writes_nothing_and_shows_the_defaults(client_for, student):
    body = client_for(student).get("/api/v1/me/").json()
    assert body["directory_opt_out"] is True  # minors start hidden from the directory
    assert not Profile.objects.filter(user=student).exists()
    client_for(student).patch("/api/v1/me/", {"pronouns": "she/her"}, format="json")
    assert Profile.objects.get(user=student).directory_opt_out is True
