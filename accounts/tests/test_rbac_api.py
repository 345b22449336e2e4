"""Roles and permissions through the API."""

import pytest

from accounts.models import AuditEvent, CustomRole, Membership, Role, RoleAssignment
from accounts.tests.factories import CustomRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_catalogue_lists_codenames_with_their_roles(client_for, teacher):
    client = client_for(teacher)
    body = client.get("/api/v1/permissions/", {"page_size": 100}).json()
    entries = {row["codename"]: row for row in body["results"]}
    if body["next"]:
        entries |= {row["codename"]: row for row in client.get(body["next"]).json()["results"]}
    assert body["count"] == len(entries) >= 100
    assert entries["accounts.change_school"]["roles"] == ["school_admin"]
    assert entries["accounts.view_membership"]["roles"] == ["assistant", "teacher", "department_head", "school_admin"]
    assert entries["accounts.change_school"]["area"] == "School"


def test_my_permissions_per_school(client_for, teacher, school, school_admin):
    role = CustomRoleFactory(school=school, name="Auditor", permissions=["accounts.view_auditevent"])
    RoleAssignment.objects.create(membership=teacher.memberships.get(), custom_role=role)
    response = client_for(teacher).get("/api/v1/me/permissions/")
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert [(row["school"], row["school_slug"], row["roles"], row["custom_roles"]) for row in body] == [
        (school.pk, "northside", ["teacher"], ["Auditor"])
    ]
    accounts_perms = [perm for perm in body[0]["permissions"] if perm.startswith("accounts.")]
    assert accounts_perms == [
        "accounts.view_auditevent",
        "accounts.view_membership",
        "accounts.view_school",
        "accounts.view_user",
    ]
    assert "physed.run_session" in body[0]["permissions"]


def test_batch_permission_check(client_for, teacher, school, other_school, other_teacher):
    own = teacher.memberships.get()
    foreign = other_teacher.memberships.get()
    response = client_for(teacher).post(
        "/api/v1/permissions/check/",
        {
            "checks": [
                {"permission": "accounts.view_membership"},
                {"permission": "accounts.change_school", "school": school.pk},
                {"permission": "accounts.view_membership", "object": {"type": "accounts.membership", "id": own.pk}},
                {"permission": "accounts.view_membership", "object": {"type": "accounts.membership", "id": foreign.pk}},
                {"permission": "accounts.view_school", "school": other_school.pk},
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    assert [row["allowed"] for row in response.json()["results"]] == [True, False, True, False, False]


@pytest.mark.parametrize(
    "payload",
    [
        {"checks": [{"permission": "accounts.fly"}]},
        {"checks": [{"permission": "accounts.view_school", "object": {"type": "accounts.membership"}}]},
        {"checks": [{"permission": "accounts.view_school", "object": {"type": "accounts.user", "id": 1}}]},
        {"checks": [{"permission": "accounts.view_school", "bogus": 1}]},
        {"checks": [{"permission": "accounts.view_school"}] * 101},
    ],
)
def test_batch_check_rejects_bad_input(client_for, teacher, payload):
    response = client_for(teacher).post("/api/v1/permissions/check/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_school_admin_adds_changes_and_removes_a_member(client_for, school_admin, school):
    newcomer = UserFactory(email="coach@example.org")
    client = client_for(school_admin)
    created = client.post(
        "/api/v1/memberships/", {"email": "Coach@Example.org", "school": school.pk, "role": "teacher"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["user"], body["role"], body["school_slug"]) == (newcomer.pk, "teacher", "northside")
    changed = client.patch(f"/api/v1/memberships/{body['id']}/", {"role": "assistant"}, format="json")
    assert changed.json()["role"] == "assistant"
    assert client.delete(f"/api/v1/memberships/{body['id']}/").status_code == 204
    assert not Membership.objects.filter(user=newcomer).exists()
    assert list(AuditEvent.objects.filter(school=school).order_by("id").values_list("action", flat=True))[-3:] == [
        "membership.created",
        "membership.updated",
        "membership.deleted",
    ]


def test_membership_create_errors(client_for, school_admin, school, other_school):
    client = client_for(school_admin)
    unknown = client.post(
        "/api/v1/memberships/", {"email": "nobody@example.org", "school": school.pk, "role": "teacher"}, format="json"
    )
    assert unknown.json()["error"]["fields"] == {"email": ["No account uses this email address."]}
    UserFactory(email="x@example.org")
    foreign = client.post(
        "/api/v1/memberships/", {"email": "x@example.org", "school": other_school.pk, "role": "teacher"}, format="json"
    )
    assert foreign.status_code == 400
    assert foreign.json()["error"]["fields"]["school"] == [f'Invalid pk "{other_school.pk}" - object does not exist.']
    assert not Membership.objects.filter(user__email="x@example.org").exists()


def test_membership_school_and_user_cannot_change(client_for, school_admin, teacher, other_school):
    membership = teacher.memberships.get()
    response = client_for(school_admin).patch(
        f"/api/v1/memberships/{membership.pk}/", {"school": other_school.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"school": ["This field is read-only."]}


def test_teacher_cannot_manage_memberships(client_for, teacher, school, student):
    client = client_for(teacher)
    created = client.post(
        "/api/v1/memberships/", {"email": "a@b.org", "school": school.pk, "role": "teacher"}, format="json"
    )
    assert created.status_code == 403
    target = student.memberships.get()
    assert client.patch(f"/api/v1/memberships/{target.pk}/", {"role": "teacher"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/memberships/{target.pk}/").status_code == 403
    target.refresh_from_db()
    assert target.role == Role.STUDENT


def test_granting_more_than_you_hold_is_403(client_for, member, school):
    head = member(school, Role.DEPARTMENT_HEAD)
    manager = CustomRoleFactory(school=school, permissions=["accounts.add_membership"])
    RoleAssignment.objects.create(membership=head.memberships.get(), custom_role=manager)
    UserFactory(email="x@example.org")
    client = client_for(head)
    too_much = client.post(
        "/api/v1/memberships/", {"email": "x@example.org", "school": school.pk, "role": "school_admin"}, format="json"
    )
    assert too_much.status_code == 403
    assert "cannot grant permissions you do not hold" in too_much.json()["error"]["message"]
    fine = client.post(
        "/api/v1/memberships/", {"email": "x@example.org", "school": school.pk, "role": "teacher"}, format="json"
    )
    assert fine.status_code == 201


def test_custom_role_crud_and_assignment(client_for, school_admin, teacher, school):
    client = client_for(school_admin)
    created = client.post(
        "/api/v1/roles/",
        {"school": school.pk, "name": "Safety lead", "permissions": ["accounts.view_auditevent"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    role_id = created.json()["id"]
    duplicate = client.post(
        "/api/v1/roles/", {"school": school.pk, "name": "safety LEAD", "permissions": []}, format="json"
    )
    assert duplicate.json()["error"]["fields"] == {"name": ["This school already has a role with that name."]}
    assigned = client.post(
        "/api/v1/role-assignments/",
        {"membership": teacher.memberships.get().pk, "custom_role": role_id, "valid_until": "2099-01-01T00:00:00Z"},
        format="json",
    )
    assert assigned.status_code == 201, assigned.json()
    assert assigned.json()["user_email"] == teacher.email
    assert client_for(teacher).get("/api/v1/me/permissions/").json()[0]["custom_roles"] == ["Safety lead"]
    renamed = client.patch(f"/api/v1/roles/{role_id}/", {"name": "Safety officer"}, format="json")
    assert renamed.json()["name"] == "Safety officer"
    assert renamed.json()["holders"] == 1
    assert client.delete(f"/api/v1/roles/{role_id}/").status_code == 204
    assert not CustomRole.objects.exists() and not RoleAssignment.objects.exists()
    assert client_for(teacher).get("/api/v1/me/permissions/").json()[0]["custom_roles"] == []


def test_custom_role_with_unknown_permission_is_400(client_for, school_admin, school):
    response = client_for(school_admin).post(
        "/api/v1/roles/", {"school": school.pk, "name": "X", "permissions": ["accounts.fly"]}, format="json"
    )
    assert response.status_code == 400
    assert "permissions" in response.json()["error"]["fields"]


def test_assignment_across_schools_is_refused(client_for, school_admin, school, other_school, other_teacher):
    role = CustomRoleFactory(school=school)
    response = client_for(school_admin).post(
        "/api/v1/role-assignments/",
        {"membership": other_teacher.memberships.get().pk, "custom_role": role.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "membership" in response.json()["error"]["fields"]


def test_permission_stats_for_school_admins(client_for, school_admin, teacher, school):
    from accounts.services.rbac import flush_permission_stats

    client_for(teacher).get("/api/v1/memberships/")
    flush_permission_stats()
    rows = client_for(school_admin).get("/api/v1/permission-stats/").json()["results"]
    assert {(row["permission"], row["role"], row["allowed"]) for row in rows} >= {
        ("accounts.view_membership", "teacher", 1)
    }
    assert client_for(teacher).get("/api/v1/permission-stats/").status_code == 403


def test_batch_check_with_school_and_object_must_agree(client_for, teacher, school, other_school):
    own = teacher.memberships.get()
    target = {"type": "accounts.membership", "id": own.pk}
    response = client_for(teacher).post(
        "/api/v1/permissions/check/",
        {
            "checks": [
                {"permission": "accounts.view_membership", "school": school.pk, "object": target},
                {"permission": "accounts.view_membership", "school": other_school.pk, "object": target},
            ]
        },
        format="json",
    )
    assert [row["allowed"] for row in response.json()["results"]] == [True, False]
    assert response.json()["results"][0]["object"] == target
