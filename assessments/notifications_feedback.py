"""Notification event types: feedback (issue 7; filled by the area)."""


def register_events() -> None:
    """Registers the area's event types (accounts.services.notification_events.register_event_type)."""
