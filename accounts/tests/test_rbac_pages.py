"""People, roles and permission-matrix pages for school admins."""

import pytest

from accounts.models import AuditEvent, CustomRole, Membership, Role, RoleAssignment
from accounts.services.rbac import flush_permission_stats
from accounts.tests.factories import CustomRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_navigation_shows_admin_pages_only_to_those_allowed(client, school_admin, teacher):
    client.force_login(teacher)
    html = client.get("/dashboard/").content.decode()
    assert 'href="/school/people/"' in html  # teachers may see who is in the school
    assert 'href="/school/roles/"' not in html
    client.force_login(school_admin)
    html = client.get("/dashboard/").content.decode()
    for url in ("/school/people/", "/school/roles/", "/school/permissions/"):
        assert f'href="{url}"' in html


def test_people_page_lists_searches_and_filters(client, school_admin, teacher, student, other_teacher):
    client.force_login(school_admin)
    html = client.get("/school/people/").content.decode()
    assert teacher.email in html and student.email in html
    assert other_teacher.email not in html
    filtered = client.get("/school/people/", {"role": Role.STUDENT}).content.decode()
    assert student.email in filtered and teacher.email not in filtered
    searched = client.get("/school/people/", {"q": "teacher@"}).content.decode()
    assert teacher.email in searched and student.email not in searched


def test_add_member_from_the_page(client, school_admin, school):
    UserFactory(email="new.coach@example.org")
    client.force_login(school_admin)
    response = client.post("/school/people/", {"email": "new.coach@example.org", "role": "teacher"}, follow=True)
    assert "Member added." in response.content.decode()
    assert Membership.objects.filter(user__email="new.coach@example.org", school=school, role="teacher").exists()
    missing = client.post("/school/people/", {"email": "ghost@example.org", "role": "teacher"})
    assert "No account uses this email address." in missing.content.decode()


def test_teacher_cannot_add_members(client, teacher):
    UserFactory(email="x@example.org")
    client.force_login(teacher)
    assert client.post("/school/people/", {"email": "x@example.org", "role": "teacher"}).status_code == 403
    assert client.get("/school/roles/").status_code == 403


def test_edit_membership_and_assign_a_custom_role(client, school_admin, teacher, school):
    role = CustomRoleFactory(school=school, name="Auditor", permissions=["accounts.view_auditevent"])
    membership = teacher.memberships.get()
    client.force_login(school_admin)
    assert client.get(f"/school/people/{membership.pk}/").status_code == 200
    client.post(f"/school/people/{membership.pk}/", {"form": "membership", "role": "department_head"})
    membership.refresh_from_db()
    assert membership.role == Role.DEPARTMENT_HEAD
    client.post(f"/school/people/{membership.pk}/", {"form": "assign", "custom_role": role.pk})
    assignment = RoleAssignment.objects.get(membership=membership)
    assert assignment.custom_role == role
    client.post(f"/school/people/{membership.pk}/", {"form": "unassign", "assignment": assignment.pk})
    assert not RoleAssignment.objects.exists()


def test_last_admin_error_is_shown_on_the_page(client, school_admin):
    membership = school_admin.memberships.get()
    client.force_login(school_admin)
    response = client.post(f"/school/people/{membership.pk}/", {"form": "membership", "role": "teacher"})
    assert "A school must keep at least one school admin." in response.content.decode()


def test_remove_member_needs_confirmation(client, school_admin, teacher):
    membership = teacher.memberships.get()
    client.force_login(school_admin)
    page = client.get(f"/school/people/{membership.pk}/remove/").content.decode()
    assert "Yes, I am sure" in page
    client.post(f"/school/people/{membership.pk}/remove/", {})
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(f"/school/people/{membership.pk}/remove/", {"confirm": "on"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.deleted", actor=school_admin).count() == 1


def test_other_schools_members_are_404(client, school_admin, other_teacher):
    client.force_login(school_admin)
    assert client.get(f"/school/people/{other_teacher.memberships.get().pk}/").status_code == 404


def test_custom_role_pages(client, school_admin, school):
    client.force_login(school_admin)
    client.post("/school/roles/", {"name": "Safety lead", "permissions": ["accounts.view_auditevent"]})
    role = CustomRole.objects.get(name="Safety lead")
    assert role.permissions == ["accounts.view_auditevent"]
    assert "Safety lead" in client.get("/school/roles/").content.decode()
    client.post(
        f"/school/roles/{role.pk}/",
        {"name": "Safety officer", "permissions": ["accounts.view_auditevent", "accounts.view_usersession"]},
    )
    role.refresh_from_db()
    assert (role.name, role.permissions) == (
        "Safety officer",
        ["accounts.view_auditevent", "accounts.view_usersession"],
    )
    client.post(f"/school/roles/{role.pk}/delete/", {"confirm": "on"})
    assert not CustomRole.objects.exists()


def test_permission_matrix_page(client, school_admin, teacher, student, school):
    CustomRoleFactory(school=school, name="Timetabler", permissions=["accounts.change_school"])
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(student).access_token}")
    api.get("/api/v1/memberships/")
    flush_permission_stats()
    client.force_login(school_admin)
    html = client.get("/school/permissions/").content.decode()
    assert "Timetabler" in html
    assert "accounts.change_school" in html
    assert "Most often denied" in html
    assert "<td><code>accounts.view_membership</code></td><td>student</td><td>1</td>" in html
    client.force_login(teacher)
    assert client.get("/school/permissions/").status_code == 403
