"""What content plugs into: its notification event types."""

from django.utils.translation import gettext_lazy as _

from accounts.services.notification_events import register_event_type

ITEM_SHARED = "content.item_shared"
MENTIONED = "content.mentioned"
COMMENTED = "content.commented"


def register_providers() -> None:
    register_event_type(ITEM_SHARED, _("Someone shared a content item with me"))
    register_event_type(MENTIONED, _("Someone mentioned me in a comment on a content item"))
    register_event_type(COMMENTED, _("Someone commented on a content item I own"))
