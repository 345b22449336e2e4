"""Per-user rate limits for the assistant.

Each person may post at most ``ASSISTANT_RATE_PER_MINUTE`` messages in a calendar minute and
``ASSISTANT_RATE_PER_DAY`` in a calendar day (UTC). The counters live in the Django cache (Redis
in production, locmem in tests) under keys that expire with their window, so no cleanup is needed.
A cache that fails (Redis down) must not stop the assistant from answering: the check is skipped
and logged rather than refusing everybody.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError

logger = logging.getLogger(__name__)


def _windows(now) -> list[tuple[str, int, int, int]]:
    """(cache key suffix, limit, timeout seconds, seconds until the window ends) per window."""
    minute_left = 60 - now.second
    day_left = 86400 - (now.hour * 3600 + now.minute * 60 + now.second)
    return [
        (f"m:{now:%Y%m%d%H%M}", settings.ASSISTANT_RATE_PER_MINUTE, 70, minute_left),
        (f"d:{now:%Y%m%d}", settings.ASSISTANT_RATE_PER_DAY, 86400 + 60, day_left),
    ]


def _count(key: str, timeout: int) -> int:
    """Adds one to the counter ``key`` and returns the new value (creating it when absent)."""
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def check_rate(actor, *, now=None) -> None:
    """Counts one message for ``actor``; ``ServiceError`` 429 (code ``rate_limited``, with
    ``retry_after`` seconds) when a window's limit is exceeded."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    for suffix, limit, timeout, left in _windows(now):
        if limit <= 0:
            continue
        key = f"assistant-rate:{actor.pk}:{suffix}"
        try:
            used = _count(key, timeout)
        except Exception:
            logger.warning("assistant rate limit skipped: the cache failed", exc_info=True)
            return
        if used is None:  # the cache is down and ignores errors (docs/reliability.md): fail open
            return
        if used > limit:
            if suffix.startswith("m:"):
                message = _("You are sending messages too quickly: at most %(limit)d a minute. Try again shortly.")
            else:
                message = _("You have reached today's limit of %(limit)d messages to the assistant.")
            error = ServiceError(message % {"limit": limit}, code="rate_limited", status=429)
            error.retry_after = left
            raise error
