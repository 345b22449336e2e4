"""Celery tasks: profiles."""

from celery import shared_task


@shared_task(name="accounts.purge_orphaned_avatars")
def purge_orphaned_avatars() -> int:
    """Daily (beat): removes stored picture files that no profile references."""
    from accounts.services.profiles import purge_orphaned_avatars as purge

    return len(purge())
