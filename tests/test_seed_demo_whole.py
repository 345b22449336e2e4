"""The whole demo, seeded twice in one test (each seed is over a minute: every app's demo runs
through its services). One test instead of one per app keeps CI short; each app's own demo tests
seed only their part. Checked here: production settings refuse without ``--force``; the schools and
logins (accounts); profiles and verified staff records (accounts); the roster's size and shape
(physed); and a second run adds nothing."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Membership, Role, School, StaffRecord, User
from accounts.selectors_profiles import is_verified_staff
from physed.models import Enrollment, Guardianship, PEClass, Student

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # runs once, on PostgreSQL in CI


def _roster_counts():
    return (Student.objects.count(), Enrollment.objects.count(), Guardianship.objects.count(), PEClass.objects.count())


def test_seed_demo_whole_is_complete_and_idempotent(settings, capsys):
    test_settings = settings.SETTINGS_MODULE
    settings.SETTINGS_MODULE = "config.settings.production"
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    assert School.objects.count() == 0
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "teacher@northside.demo" in out and "demo-pass-2024" in out
    first = (User.objects.count(), Membership.objects.count(), _roster_counts())
    settings.SETTINGS_MODULE = test_settings
    call_command("seed_demo", "--quiet-logins")
    assert (User.objects.count(), Membership.objects.count(), _roster_counts()) == first

    # accounts: schools and logins
    assert sorted(School.objects.values_list("slug", flat=True)) == ["northside", "southside"]
    assert School.objects.get(slug="northside").name == "Northside Middle School"
    assert User.objects.count() == 15
    assert Membership.objects.count() == 14
    admin = User.objects.get(email="admin@demo.school")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("demo-pass-2024")
    teacher = User.objects.get(email="teacher@northside.demo")
    assert list(teacher.memberships.values_list("school__slug", "role")) == [("northside", Role.TEACHER)]

    # accounts: profiles and verified staff
    student = User.objects.get(email="student@northside.demo")
    assert teacher.profile.title == "PE teacher"
    assert student.profile.directory_opt_out is True
    record = StaffRecord.objects.get(user=teacher, school__slug="northside")
    assert record.is_verified and record.verified_by.email == "schooladmin@northside.demo"
    assert record.staff_id.startswith("NOR-")
    assert is_verified_staff(teacher, record.school_id)
    assert not StaffRecord.objects.filter(user=student).exists()
    assert record.verified_at <= timezone.now() + timedelta(seconds=1)

    # physed: the roster fits the schools
    north = Student.objects.filter(school__slug="northside")
    south = Student.objects.filter(school__slug="southside")
    assert north.count() >= 60 and south.count() >= 60
    assert set(north.values_list("grade", flat=True)) == {6, 7, 8}
    assert set(south.values_list("grade", flat=True)) == {9, 10, 11, 12}
    assert north.filter(sex="U").exists() and south.filter(sex="F").exists()
    for pe_class in PEClass.objects.all():
        assert 20 <= pe_class.enrollments.count() <= 30 and pe_class.meetings.exists() and pe_class.teachers.exists()
    assert 4 <= PEClass.objects.filter(school__slug="northside").count() <= 6
    sky = Student.objects.get(school__slug="northside", user__email="student@northside.demo")
    guardian = User.objects.get(email="guardian@northside.demo")
    children = Student.objects.filter(guardianships__guardian=guardian)
    assert sky in children and children.count() == 2
    assert guardian.has_perm("physed.view_student", sky)
