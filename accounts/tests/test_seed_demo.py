import pytest

from accounts.demo import demo_logins

pytestmark = pytest.mark.django_db


def test_demo_logins_lists_every_role_per_school():
    emails = [email for email, _ in demo_logins()]
    for slug in ("northside", "southside"):
        for local in ("schooladmin", "head", "teacher", "teacher2", "assistant", "student", "guardian"):
            assert f"{local}@{slug}.demo" in emails
    assert emails[0] == "admin@demo.school"
