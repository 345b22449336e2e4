"""Profile pages: edit own profile and privacy, upload/remove the picture, the directory (privacy
and opt-out honoured per viewer), a member's page with staff id and staff verification."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, FieldVisibility, Profile, Role, StaffRecord
from accounts.selectors_profiles import is_verified_staff
from accounts.tests.factories import UserFactory
from accounts.tests.factories_profiles import ProfileFactory, StaffRecordFactory
from accounts.tests.test_profile_images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_avatar_storage():
    def clear():
        try:
            _dirs, files = default_storage.listdir("avatars")
        except FileNotFoundError:
            return
        for name in files:
            default_storage.delete(f"avatars/{name}")

    clear()
    yield
    clear()


PROFILE_POST = {
    "first_name": "Robin",
    "last_name": "Runner",
    "preferred_name": "Rob",
    "pronouns": "he/him",
    "title": "Head coach",
    "phone": "+1 555 0142",
    "bio": "Cross-country fan.",
    "email_visibility": "school",
    "phone_visibility": "staff",
    "picture_visibility": "school",
    "bio_visibility": "me",
}


def test_profile_page_renders_form_with_labels_and_navigation(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_preferred_name"' in html and 'for="id_phone_visibility"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'href="{reverse("profile")}"' in html  # the navigation entry resolves
    assert "<script>" not in html and "style=" not in html


def test_profile_page_saves_details_and_privacy(client, teacher, school):
    client.force_login(teacher)
    response = client.post(reverse("profile"), PROFILE_POST)
    assert response.status_code == 302
    profile = Profile.objects.get(user=teacher)
    teacher.refresh_from_db()
    assert teacher.first_name == "Robin" and profile.preferred_name == "Rob"
    assert profile.bio_visibility == FieldVisibility.ONLY_ME and profile.phone == "+1 555 0142"
    assert AuditEvent.objects.filter(action="profile.updated", actor=teacher).count() == 1


def test_profile_page_shows_errors_for_bad_phone(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("profile"), {**PROFILE_POST, "phone": "not a phone"})
    assert response.status_code == 400
    assert "Enter a phone number" in response.content.decode()
    assert Profile.objects.get(user=teacher).phone == ""


def test_picture_upload_replace_and_remove_from_the_page(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("profile-avatar"), {"file": SimpleUploadedFile("a.png", image_bytes("PNG"))})
    assert response.status_code == 302
    first = Profile.objects.get(user=teacher).avatar_large
    assert default_storage.exists(first)
    page = client.get(reverse("profile")).content.decode()
    assert reverse("profile-avatar-image", args=[teacher.pk, "large"]) in page

    image = client.get(reverse("profile-avatar-image", args=[teacher.pk, "large"]))
    assert image.status_code == 200 and image["Content-Type"] == "image/webp"
    assert image["Cache-Control"].startswith("private")

    client.post(reverse("profile-avatar"), {"file": SimpleUploadedFile("b.jpg", image_bytes("JPEG"))})
    assert not default_storage.exists(first)

    assert client.get(reverse("profile-avatar-remove")).status_code == 200
    assert client.post(reverse("profile-avatar-remove"), {}).status_code == 400  # confirmation required
    assert client.post(reverse("profile-avatar-remove"), {"confirm": "on"}).status_code == 302
    assert Profile.objects.get(user=teacher).avatar_large == ""
    assert default_storage.listdir("avatars")[1] == []


def test_bad_picture_on_the_page_is_refused_and_nothing_stored(client, teacher):
    client.force_login(teacher)
    svg = SimpleUploadedFile("x.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/png")
    response = client.post(reverse("profile-avatar"), {"file": svg})
    assert response.status_code == 400
    assert "Upload a JPEG, PNG or WebP picture." in response.content.decode()
    assert not Profile.objects.filter(user=teacher).exclude(avatar_small="").exists()


def test_directory_lists_members_with_privacy_applied(client, school, assistant, teacher, student, member):
    ProfileFactory(
        user=teacher,
        preferred_name="Terry",
        phone="+1 555 0177",
        bio="Secret bio",
        email_visibility=FieldVisibility.SCHOOL,
        phone_visibility=FieldVisibility.STAFF,
        bio_visibility=FieldVisibility.ONLY_ME,
    )
    hidden = member(school, Role.TEACHER, first_name="Hidden", last_name="Person")
    ProfileFactory(user=hidden, preferred_name="Hidey", directory_opt_out=True)
    ProfileFactory(user=student, preferred_name="Studious")  # students listed only with a profile that opts in
    client.force_login(assistant)
    html = client.get(reverse("directory")).content.decode()
    assert "Terry" in html and teacher.email in html and "+1 555 0177" in html
    assert "Secret bio" not in html
    assert "Hidey" not in html
    assert "Studious" in html

    Profile.objects.filter(user=teacher).update(phone_visibility=FieldVisibility.ONLY_ME)
    html = client.get(reverse("directory")).content.decode()
    assert "+1 555 0177" not in html

    assert "Terry" in client.get(reverse("directory"), {"q": "terr"}).content.decode()
    assert "Terry" not in client.get(reverse("directory"), {"q": "zzz"}).content.decode()


def test_students_without_a_profile_are_hidden_by_default(client, school, assistant, student):
    client.force_login(assistant)
    assert student.get_full_name() not in client.get(reverse("directory")).content.decode()


def test_directory_is_for_staff_only(client, student):
    client.force_login(student)
    assert client.get(reverse("directory")).status_code == 403


def test_member_page_privacy_and_other_school_404(client, assistant, teacher, other_teacher):
    ProfileFactory(user=teacher, bio="Shared bio", bio_visibility=FieldVisibility.SCHOOL)
    client.force_login(assistant)
    response = client.get(reverse("directory-member", args=[teacher.pk]))
    assert response.status_code == 200 and "Shared bio" in response.content.decode()
    assert client.get(reverse("directory-member", args=[other_teacher.pk])).status_code == 404
    assert client.get(reverse("profile-avatar-image", args=[other_teacher.pk, "small"])).status_code == 404
    assert client.post(reverse("directory-member", args=[teacher.pk]), {"staff_id": "X"}).status_code == 403


def test_admin_sets_staff_id_and_verifies_from_the_page(client, school_admin, teacher, school):
    client.force_login(school_admin)
    page = client.get(reverse("directory-member", args=[teacher.pk])).content.decode()
    assert reverse("directory-member-verify", args=[teacher.pk]) in page
    assert client.post(reverse("directory-member", args=[teacher.pk]), {"staff_id": "NS-7"}).status_code == 302
    assert StaffRecord.objects.get(user=teacher, school=school).staff_id == "NS-7"

    assert client.get(reverse("directory-member-verify", args=[teacher.pk])).status_code == 200
    response = client.post(reverse("directory-member-verify", args=[teacher.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert is_verified_staff(teacher, school.pk)
    assert AuditEvent.objects.filter(action="profile.staff_verified", actor=school_admin).count() == 1
    html = client.get(reverse("directory")).content.decode()
    assert "Verified staff" in html
    client.post(reverse("directory-member-verify", args=[teacher.pk]), {"confirm": "on"})
    assert not StaffRecord.objects.get(user=teacher, school=school).is_verified


def test_teachers_cannot_verify(client, teacher, assistant):
    client.force_login(teacher)
    assert client.get(reverse("directory-member-verify", args=[assistant.pk])).status_code == 403


def test_opted_out_member_page_is_hidden_except_for_admins(client, school, assistant, school_admin, teacher):
    ProfileFactory(user=teacher, directory_opt_out=True)
    client.force_login(assistant)
    assert client.get(reverse("directory-member", args=[teacher.pk])).status_code == 404
    client.force_login(school_admin)
    assert client.get(reverse("directory-member", args=[teacher.pk])).status_code == 200


def test_admin_pages_for_profile_models_load(client, teacher, school):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    ProfileFactory(user=teacher)
    record = StaffRecordFactory(user=teacher, school=school)
    client.force_login(superuser)
    for model in ("profile", "staffrecord"):
        changelist = reverse(f"admin:accounts_{model}_changelist")
        assert client.get(changelist, {"q": teacher.email}).status_code == 200
    assert client.get(reverse("admin:accounts_staffrecord_change", args=[record.pk])).status_code == 200
    response = client.post(
        reverse("admin:accounts_staffrecord_changelist"),
        {"action": "verify_selected", "_selected_action": [record.pk]},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.verified_by == superuser
    assert AuditEvent.objects.filter(action="profile.staff_verified", actor=superuser).exists()
