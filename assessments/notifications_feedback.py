"""Notification event types: feedback (issue 7)."""

from django.utils.translation import gettext_lazy as _

from accounts.services.notification_events import register_event_type

FEEDBACK_FOR_FAMILY = "assessments.feedback_for_family"


def register_events() -> None:
    """Registers the area's event types (accounts.services.notification_events.register_event_type)."""
    register_event_type(FEEDBACK_FOR_FAMILY, _("A teacher wrote a comment about my child"), email=True)
