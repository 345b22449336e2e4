"""The notification event registry: event key → label and default channels.

Data, not code paths: a later issue adds its events with ``register_event_type`` (e.g. from its
``AppConfig.ready()``) and they appear on the settings page, in the API and in ``notify`` without
a migration. ``mandatory_in_app`` events (security notices) are always delivered in-app: a user
cannot switch that channel off.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CHANNELS = ("in_app", "email")


@dataclass(frozen=True)
class EventType:
    key: str
    label: str
    in_app: bool = True
    email: bool = False
    mandatory_in_app: bool = False
    configurable: bool = True  # shown in the per-event channel matrix

    def default(self, channel: str) -> bool:
        return bool(getattr(self, channel))


EVENT_TYPES: dict[str, EventType] = {}


def register_event_type(
    key: str, label, *, in_app: bool = True, email: bool = False, mandatory_in_app: bool = False, configurable=True
) -> EventType:
    event = EventType(key, label, in_app, email, mandatory_in_app, configurable)
    EVENT_TYPES[key] = event
    return event


def event_type(key: str) -> EventType:
    """The registered event, or an ad-hoc one (in-app and email on) for an unregistered key."""
    return EVENT_TYPES.get(key) or EventType(key, key, in_app=True, email=True)


def configurable_events() -> list[EventType]:
    return [event for event in EVENT_TYPES.values() if event.configurable]


register_event_type("security.new_device", _("Sign-in from a new device"), email=True, mandatory_in_app=True)
register_event_type("security.token_reuse", _("Suspicious reuse of a sign-in token"), email=True, mandatory_in_app=True)
register_event_type("security.password_changed", _("Password changed"), email=True, mandatory_in_app=True)
register_event_type("account.role_changed", _("My role in a school changed"), email=True)
register_event_type("data.export_ready", _("My data export is ready"), email=True)
register_event_type("notifications.digest", _("Daily digest"), in_app=False, email=True, configurable=False)
