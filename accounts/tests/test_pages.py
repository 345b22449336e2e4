"""Server-rendered pages: login/logout, password reset, dashboards per role, school switch, errors."""

import re

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import Role
from accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_redirects_to_login_then_dashboard(client, teacher):
    assert client.get("/").url == "/accounts/login/"
    client.force_login(teacher)
    assert client.get("/").url == "/dashboard/"


def test_login_page_signs_in_with_email_and_password(client, teacher):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content
    response = client.post(
        "/accounts/login/", {"username": teacher.email, "password": settings.DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Teacher dashboard" in response.content.decode()


def test_login_page_rejects_wrong_password(client, teacher):
    response = client.post("/accounts/login/", {"username": teacher.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_requires_csrf(teacher):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": teacher.email, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 403


def test_logout_is_post_only_and_ends_the_session(client, teacher):
    client.force_login(teacher)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize(
    ("role", "title", "panel"),
    [
        (Role.SCHOOL_ADMIN, "School admin dashboard", "Default language"),
        (Role.DEPARTMENT_HEAD, "Department head dashboard", "Department overview"),
        (Role.TEACHER, "Teacher dashboard", "s classes</h2>"),
        (Role.ASSISTANT, "Assistant dashboard", "Attendance"),
        (Role.STUDENT, "Student dashboard", "My goals"),
        (Role.GUARDIAN, "Guardian dashboard", "My children"),
    ],
)
def test_dashboard_per_role(client, member, school, role, title, panel):
    client.force_login(member(school, role))
    html = client.get("/dashboard/").content.decode()
    assert f"<h1>{title}</h1>" in html
    assert panel in html
    assert "Northside Middle School" in html


def test_dashboard_for_user_without_school_shows_empty_state(client, django_user_model):
    user = django_user_model.objects.create_user("lonely@example.org", "a-long-unusual-passphrase-42")
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    assert "No school yet" in html


def test_navigation_by_role(client, teacher, django_user_model):
    client.force_login(teacher)
    html = client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/" aria-current="page"' in html
    assert 'href="/admin/"' not in html
    assert 'class="skip-link" href="#main"' in html
    staff = django_user_model.objects.create_superuser("ops@example.org", "a-long-unusual-passphrase-42")
    client.force_login(staff)
    assert 'href="/admin/"' in client.get("/dashboard/").content.decode()


def test_school_switch_only_to_own_schools(client, member, school, other_school):
    from accounts.tests.factories import SchoolFactory

    user = member(school, Role.TEACHER)
    third = SchoolFactory(slug="eastside", name="Eastside Academy")
    MembershipFactory(user=user, school=third, role=Role.DEPARTMENT_HEAD)
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    assert 'name="school"' in html  # switcher shown for two schools
    response = client.post("/school/switch/", {"school": third.pk}, follow=True)
    assert "Department head dashboard" in response.content.decode()
    assert "Eastside Academy" in response.content.decode()
    assert client.post("/school/switch/", {"school": other_school.pk}).status_code == 404
    assert client.post("/school/switch/", {"school": "abc"}).status_code == 404


def test_password_reset_sends_a_working_link(client, teacher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": teacher.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase-77", "new_password2": "brand-new-passphrase-77"},
        follow=True,
    )
    assert "Your password has been set" in done.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password("brand-new-passphrase-77")


def test_password_reset_does_not_reveal_unknown_emails(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 0


def test_404_page_uses_the_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "skip-link" in response.content.decode()


def test_403_page_uses_the_layout(rf):
    from django.core.exceptions import PermissionDenied

    from config.api.errors import handler403

    request = rf.get("/somewhere/")
    response = handler403(request, PermissionDenied())
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def test_500_page_renders_without_context(rf):
    from config.api.errors import handler500

    response = handler500(rf.get("/boom/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_pages_load_nothing_from_other_hosts(client, teacher):
    client.force_login(teacher)
    for url in ("/accounts/login/", "/dashboard/"):
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
