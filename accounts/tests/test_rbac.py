"""Roles and permissions: services, the permission cache, custom roles with expiry, analytics."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, CustomRole, Membership, PermissionDecisionStat, Role, RoleAssignment
from accounts.selectors import has_school_perm, permissions_in, school_access_for
from accounts.services import rbac
from accounts.services.errors import ServiceError
from accounts.tests.factories import CustomRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user as a new request would load it (no per-request memo)."""
    return type(user).objects.get(pk=user.pk)


def test_cache_hit_costs_no_query_and_a_change_shows_on_the_next_request(
    teacher, school, school_admin, django_assert_num_queries
):
    school_access_for(fresh(teacher))  # first request fills the cache
    next_request_user = fresh(teacher)
    with django_assert_num_queries(0):
        assert not has_school_perm(next_request_user, "accounts.change_school", school.pk)
        assert has_school_perm(next_request_user, "accounts.view_school", school.pk)
    role = rbac.create_custom_role(
        actor=school_admin, school=school, name="Timetabler", permissions=["accounts.change_school"]
    )
    rbac.assign_custom_role(actor=school_admin, membership=teacher.memberships.get(), custom_role=role)
    assert has_school_perm(fresh(teacher), "accounts.change_school", school.pk)


def test_unverified_user_gets_no_staff_permissions(member, school):
    user = member(school, Role.TEACHER, email_verified_at=None)
    assert permissions_in(user, school.pk) == frozenset()
    student = member(school, Role.STUDENT, email_verified_at=None)
    assert permissions_in(student, school.pk) == {
        "accounts.view_school",
        "physed.view_activity",
        "physed.view_exercise",
        "physed.view_metrictype",
    }


def test_custom_role_permissions_are_validated_against_the_catalogue(school_admin, school):
    with pytest.raises(ServiceError) as error:
        rbac.create_custom_role(actor=school_admin, school=school, name="X", permissions=["accounts.fly"])
    assert error.value.field == "permissions"
    assert "accounts.fly" in error.value.message
    assert not CustomRole.objects.exists()


def test_nobody_grants_more_than_they_hold(member, school):
    head = member(school, Role.DEPARTMENT_HEAD)
    helper = CustomRoleFactory(school=school, name="Role manager", permissions=["accounts.add_customrole"])
    Membership.objects.get(user=head).role_assignments.create(custom_role=helper)
    rbac.bump_permission_version()
    head = fresh(head)
    with pytest.raises(ServiceError) as error:
        rbac.create_custom_role(actor=head, school=school, name="Escalate", permissions=["accounts.change_school"])
    assert error.value.status == 403
    ok = rbac.create_custom_role(actor=head, school=school, name="Viewer", permissions=["accounts.view_school"])
    assert ok.permissions == ["accounts.view_school"]


def test_school_admin_cannot_act_in_another_school(school_admin, other_school):
    with pytest.raises(ServiceError) as error:
        rbac.create_custom_role(actor=school_admin, school=other_school, name="X", permissions=[])
    assert error.value.status == 403


def test_expired_assignment_stops_working_immediately_and_cleanup_removes_it(teacher, school, school_admin):
    role = rbac.create_custom_role(
        actor=school_admin, school=school, name="Temp admin", permissions=["accounts.change_school"]
    )
    soon = timezone.now() + timedelta(seconds=30)
    assignment = rbac.assign_custom_role(
        actor=school_admin, membership=teacher.memberships.get(), custom_role=role, valid_until=soon
    )
    assert has_school_perm(fresh(teacher), "accounts.change_school", school.pk)
    # the cached entry must not outlive the assignment: it expires with it
    RoleAssignment.objects.filter(pk=assignment.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    rbac.bump_permission_version()  # (the update above bypassed the service; expiry itself needs no bump)
    assert not has_school_perm(fresh(teacher), "accounts.change_school", school.pk)
    assert rbac.delete_expired_assignments() == 1
    assert not RoleAssignment.objects.exists()
    event = AuditEvent.objects.get(action="rbac.assignments_expired")
    assert event.school == school
    assert event.changes == {"removed": [f"Temp admin #{assignment.pk}"]}


def test_cache_ttl_is_bounded_by_the_next_expiry(teacher, school, school_admin):
    from accounts.selectors import _compute_access

    role = CustomRoleFactory(school=school, permissions=["accounts.change_school"])
    RoleAssignment.objects.create(
        membership=teacher.memberships.get(), custom_role=role, valid_until=timezone.now() + timedelta(seconds=42)
    )
    access, ttl = _compute_access(teacher)
    assert 40 <= ttl <= 42
    assert access[school.pk].custom_roles == (role.name,)


def test_membership_changes_are_audited_with_before_and_after(school_admin, school, teacher):
    membership = teacher.memberships.get()
    rbac.change_membership(actor=school_admin, membership=membership, role=Role.DEPARTMENT_HEAD)
    event = AuditEvent.objects.get(action="membership.updated")
    assert event.actor == school_admin
    assert event.school == school
    assert event.target_type == "accounts.membership"
    assert event.target_id == str(membership.pk)
    assert event.changes == {"role": {"before": "teacher", "after": "department_head"}}
    assert has_school_perm(fresh(teacher), "accounts.view_customrole", school.pk)


def test_last_school_admin_stays(school_admin, school):
    membership = school_admin.memberships.get()
    with pytest.raises(ServiceError) as error:
        rbac.change_membership(actor=school_admin, membership=membership, role=Role.TEACHER)
    assert error.value.code == "last_admin"
    with pytest.raises(ServiceError):
        rbac.remove_membership(actor=school_admin, membership=membership)
    second = UserFactory()
    rbac.add_membership(actor=school_admin, school=school, user=second, role=Role.SCHOOL_ADMIN)
    rbac.remove_membership(actor=school_admin, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_membership_period_must_be_valid(school_admin, school):
    user = UserFactory()
    with pytest.raises(ServiceError) as error:
        rbac.add_membership(
            actor=school_admin,
            school=school,
            user=user,
            role=Role.TEACHER,
            valid_until=timezone.now() - timedelta(days=1),
        )
    assert error.value.field == "valid_until"


def test_decisions_are_counted_and_flushed(client_for, teacher, student, school):
    client_for(teacher).get("/api/v1/memberships/")
    client_for(teacher).get("/api/v1/memberships/")
    client_for(student).get("/api/v1/memberships/")
    assert rbac.flush_permission_stats() == 3
    rows = {
        (row.permission, row.role): (row.allowed, row.denied)
        for row in PermissionDecisionStat.objects.filter(school=school)
    }
    assert rows[("accounts.view_membership", "teacher")] == (2, 0)
    assert rows[("accounts.view_membership", "student")] == (0, 1)
    assert rbac.flush_permission_stats() == 0  # counters were drained
    client_for(teacher).get("/api/v1/memberships/")
    rbac.flush_permission_stats()
    assert (
        PermissionDecisionStat.objects.get(school=school, permission="accounts.view_membership", role="teacher").allowed
        == 3
    )


def test_tasks_call_the_services(teacher, school):
    from accounts.tasks.rbac import delete_expired_role_assignments, flush_permission_stats

    assert delete_expired_role_assignments.delay().get() == 0
    assert flush_permission_stats.delay().get() == 0


def test_decisions_are_buffered_in_the_process_until_due(settings, client_for, teacher, school):
    from django.core.cache import cache

    settings.PERMISSION_STATS_BUFFER_SECONDS = 3600
    settings.PERMISSION_STATS_BUFFER_MAX = 3
    rbac.flush_local_decisions()
    key = rbac._stat_key(timezone.localdate(), school.pk, "accounts.view_membership", "teacher", True)
    cache.delete(key)
    client_for(teacher).get("/api/v1/memberships/")
    client_for(teacher).get("/api/v1/memberships/")
    assert cache.get(key) is None  # two decisions wait in the process
    client_for(teacher).get("/api/v1/memberships/")  # the third reaches the batch size
    assert cache.get(key) == 3
    client_for(teacher).get("/api/v1/memberships/")
    assert rbac.flush_permission_stats() == 4  # the stats flush takes the pending one too
