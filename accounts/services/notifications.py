"""Notifications to one user: an in-app row plus an email sent after the transaction commits.

Security notices (new sign-in device, refresh-token reuse, password changed) go through here; the
user-system issue adds preferences (which kinds are emailed) on top of ``notify``.
"""

from django.db import transaction

from accounts.models import Notification, User


def notify(user: User, kind: str, title: str, body: str = "", url: str = "", *, email: bool = True) -> Notification:
    """Creates the notification now and queues its email for after commit (never for a rolled-back
    change). ``title``/``body`` are already translated into the language of the current request."""
    notification = Notification.objects.create(user=user, kind=kind, title=str(title)[:200], body=str(body), url=url)
    if email and user.email and user.is_active:
        from accounts.tasks.sessions import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification
