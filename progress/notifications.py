"""The progress notification events (registered from ``progress.providers.register_providers``)."""

from django.utils.translation import gettext_lazy as _

from accounts.services.notification_events import register_event_type

GOAL_PROPOSED = "progress.goal_proposed"
GOAL_DECIDED = "progress.goal_decided"
GOAL_ACHIEVED = "progress.goal_achieved"
BADGE_AWARDED = "progress.badge_awarded"


def register_events() -> None:
    register_event_type(GOAL_PROPOSED, _("A student proposed a goal that waits for approval"))
    register_event_type(GOAL_DECIDED, _("My proposed goal was approved or not approved"))
    register_event_type(GOAL_ACHIEVED, _("A goal was achieved"))
    register_event_type(BADGE_AWARDED, _("A badge was earned"))
