"""Recording that a user opened an item ("recently viewed", "popular in my school")."""

from django.db.models import F
from django.utils import timezone

from content.models import ContentView


def record_view(user, item) -> None:
    """One row per user and item: last time and count (called by the item page and the API's
    retrieve)."""
    if user is None or not user.is_authenticated:
        return
    now = timezone.now()
    updated = ContentView.objects.filter(item=item, user=user).update(
        last_viewed_at=now, view_count=F("view_count") + 1
    )
    if not updated:
        ContentView.objects.get_or_create(item=item, user=user, defaults={"last_viewed_at": now})
