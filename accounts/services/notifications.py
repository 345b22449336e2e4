"""Notifications to one user, honouring their preferences.

``notify(user, kind, title, body, url, email=True)`` — ``kind`` is an event key of the registry
(``accounts.services.notification_events``):

* **in-app**: a visible row is created when the user's in-app channel for the event is on.
  Security events (``mandatory_in_app``) are always delivered in-app, whatever the preference.
* **email**: when the email channel is on (and the caller passed ``email=True``) and the user has
  an address, the email is queued with ``transaction.on_commit`` (never for a rolled-back change)
  and rendered in the user's language. **During the user's quiet hours (read in their time zone)
  the email is held**: the row is marked ``email_held`` and the email goes out in the next daily
  digest (``accounts.tasks.preferences.send_daily_digests``), which collects held emails for every
  user, plus the unread, not-yet-emailed notifications of the last day for users who chose the
  digest.
* When only email is wanted, the row is stored with ``in_app=False`` (it carries the email and
  never shows in the in-app list or count). When no channel is on, nothing is stored and ``None``
  is returned.

``title``/``body`` are rendered in the user's language when they are lazy translations; callers
that format their text can wrap the call in ``preferences.user_language(user)``.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User
from accounts.services import preferences


def notify(
    user: User, kind: str, title: str, body: str = "", url: str = "", *, email: bool = True
) -> Notification | None:
    channels = preferences.channels_for(user, kind)
    wants_email = bool(email and channels["email"] and user.email and user.is_active)
    if not channels["in_app"] and not wants_email:
        return None
    held = wants_email and preferences.in_quiet_hours(user)
    with preferences.user_language(user):
        title, body = str(title)[:200], str(body)
    notification = Notification.objects.create(
        user=user, kind=kind, title=title, body=body, url=url, in_app=channels["in_app"], email_held=held
    )
    if wants_email and not held:
        from accounts.tasks.preferences import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> Notification:
    """Marks one of the user's own notifications read (no-op when it already is)."""
    if notification.user_id != user.pk:
        raise PermissionError("not the owner")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Marks every unread in-app notification of the user read; returns how many changed."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.visible_to(user).unread().count()


def announce_role_change(membership) -> Notification | None:
    """``account.role_changed`` for the member, in their language (called by the RBAC services
    after their audit row)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    user = membership.user
    with preferences.user_language(user):
        title = _("Your role in %(school)s is now %(role)s") % {
            "school": membership.school.name,
            "role": membership.get_role_display(),
        }
        body = _("Your access in %(school)s changed. What you can see and do there follows your new role.") % {
            "school": membership.school.name
        }
        return notify(user, "account.role_changed", title, body, url=reverse("dashboard"))
