import pytest
from django.core.management import CommandError, call_command

from accounts.demo import demo_logins
from accounts.models import Membership, Role, School, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_schools_and_logins_idempotently(capsys):
    call_command("seed_demo")
    call_command("seed_demo", "--quiet-logins")
    assert sorted(School.objects.values_list("slug", flat=True)) == ["northside", "southside"]
    assert School.objects.get(slug="northside").name == "Northside Middle School"
    assert User.objects.count() == 15
    assert Membership.objects.count() == 14
    admin = User.objects.get(email="admin@demo.school")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("demo-pass-2024")
    teacher = User.objects.get(email="teacher@northside.demo")
    assert list(teacher.memberships.values_list("school__slug", "role")) == [("northside", Role.TEACHER)]
    out = capsys.readouterr().out
    assert "teacher@northside.demo" in out and "demo-pass-2024" in out


def test_demo_logins_lists_every_role_per_school():
    emails = [email for email, _ in demo_logins()]
    for slug in ("northside", "southside"):
        for local in ("schooladmin", "head", "teacher", "teacher2", "assistant", "student", "guardian"):
            assert f"{local}@{slug}.demo" in emails
    assert emails[0] == "admin@demo.school"


@pytest.mark.slow  # seeds the whole demo (every app); runs once, on PostgreSQL in CI
def test_seed_demo_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "config.settings.production"
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    call_command("seed_demo", "--force", "--quiet-logins")
    assert School.objects.count() == 2
