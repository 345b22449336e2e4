"""Celery tasks: role-assignment expiry clean-up and permission-analytics flush."""

from celery import shared_task

from accounts.services import rbac


@shared_task(name="accounts.delete_expired_role_assignments")
def delete_expired_role_assignments() -> int:
    return rbac.delete_expired_assignments()


@shared_task(name="accounts.flush_permission_stats")
def flush_permission_stats() -> int:
    return rbac.flush_permission_stats()
