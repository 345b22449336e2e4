"""Notification event types: reports (issue 7). Registered from ``AssessmentsConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

REPORT_PUBLISHED = "assessments.report_published"


def register_events() -> None:
    """Registers the area's event types (accounts.services.notification_events.register_event_type)."""
    from accounts.services.notification_events import register_event_type

    register_event_type(REPORT_PUBLISHED, _("A progress report was published for me or my child"), email=True)
