"""Profile services and selectors outside the API: defaults, refusals, orphan cleanup, demo data."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import AuditEvent, Profile, Role, StaffRecord, User
from accounts.selectors_profiles import can_see_field, directory_for, is_verified_staff
from accounts.services import ServiceError
from accounts.services import profiles as profile_services
from accounts.tasks.profiles import purge_orphaned_avatars
from accounts.tests.factories_profiles import ProfileFactory
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


def test_students_start_hidden_from_the_directory_and_staff_listed(student, teacher):
    assert profile_services.profile_for(student).directory_opt_out is True
    assert profile_services.profile_for(teacher).directory_opt_out is False
    assert Profile.objects.count() == 2
    assert profile_services.profile_for(teacher).pk == Profile.objects.get(user=teacher).pk


def test_unknown_fields_are_refused(teacher):
    with pytest.raises(ServiceError):
        profile_services.update_user_profile(actor=teacher, user=teacher, is_staff=True)


def test_unchanged_profile_writes_no_audit_row(teacher):
    profile_services.update_user_profile(actor=teacher, user=teacher, title="")
    assert not AuditEvent.objects.filter(action="profile.updated").exists()


def test_staff_verification_needs_the_admin_permission(teacher, assistant, school):
    with pytest.raises(ServiceError) as caught:
        profile_services.set_staff_verification(actor=teacher, user=assistant, school=school)
    assert caught.value.status == 403
    assert not StaffRecord.objects.exists()


def test_verified_staff_is_per_school(school_admin, teacher, school, other_school):
    profile_services.set_staff_verification(actor=school_admin, user=teacher, school=school)
    assert is_verified_staff(teacher, school.pk)
    assert not is_verified_staff(teacher, other_school.pk)
    assert not is_verified_staff(None, school.pk)


def test_privacy_between_schools(teacher, other_teacher):
    ProfileFactory(user=teacher, bio_visibility="school")
    assert can_see_field(teacher, teacher, "bio")
    assert not can_see_field(other_teacher, teacher, "bio")


def test_directory_needs_view_user(student, school, teacher):
    assert list(directory_for(student, school)) == []
    assert list(directory_for(teacher, None)) == []
    assert teacher in list(directory_for(teacher, school))


def test_deactivated_users_leave_the_directory(school_admin, teacher, school):
    profile_services.deactivate_member(actor=school_admin, user=teacher)
    assert teacher not in list(directory_for(school_admin, school))
    assert not User.objects.visible_to(school_admin).filter(pk=teacher.pk).exists()


def test_platform_staff_cannot_be_deactivated_by_a_school_admin(school_admin, school, member):
    ops = member(school, Role.TEACHER, is_staff=True)
    with pytest.raises(ServiceError) as caught:
        profile_services.deactivate_member(actor=school_admin, user=ops)
    assert caught.value.status == 403


def test_orphaned_picture_files_are_purged_but_current_and_recent_ones_kept(teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = profile_services.set_avatar(
        actor=teacher, user=teacher, upload=SimpleUploadedFile("a.png", image_bytes("PNG"))
    )
    orphan = default_storage.save("avatars/orphan-small.webp", ContentFile(b"x"))
    assert purge_orphaned_avatars() == 0  # too recent: an upload may still be saving
    assert profile_services.purge_orphaned_avatars(older_than_seconds=-60) == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(profile.avatar_small) and default_storage.exists(profile.avatar_large)


def test_a_failed_profile_save_removes_the_new_files(teacher, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def boom(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(Profile, "save", boom)
    with pytest.raises(RuntimeError):
        profile_services.set_avatar(actor=teacher, user=teacher, upload=SimpleUploadedFile("a.png", image_bytes()))
    assert default_storage.listdir("avatars")[1] == []


def test_remove_avatar_without_one_is_a_no_op(teacher):
    profile_services.remove_avatar(actor=teacher, user=teacher)
    assert not AuditEvent.objects.filter(action="profile.avatar_removed").exists()
