"""Per-user rate limits in the cache: per minute and per day, and a broken cache never blocks."""

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings

from accounts.services.errors import ServiceError
from assistant.services.limits import check_rate

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 26, 12, 0, 15, tzinfo=datetime.UTC)


@override_settings(ASSISTANT_RATE_PER_MINUTE=3, ASSISTANT_RATE_PER_DAY=100)
def test_the_fourth_message_in_a_minute_is_refused_and_the_next_minute_is_fresh(teacher, other_teacher):
    for _ in range(3):
        check_rate(teacher, now=NOON)
    with pytest.raises(ServiceError) as error:
        check_rate(teacher, now=NOON + datetime.timedelta(seconds=30))
    assert (error.value.status, error.value.code) == (429, "rate_limited")
    assert error.value.retry_after == 15  # seconds left in 12:00
    assert error.value.message == "You are sending messages too quickly: at most 3 a minute. Try again shortly."
    check_rate(other_teacher, now=NOON)  # counters are per user
    check_rate(teacher, now=NOON + datetime.timedelta(minutes=1))


@override_settings(ASSISTANT_RATE_PER_MINUTE=100, ASSISTANT_RATE_PER_DAY=5)
def test_the_daily_limit(teacher):
    for minute in range(5):
        check_rate(teacher, now=NOON + datetime.timedelta(minutes=minute))
    with pytest.raises(ServiceError) as error:
        check_rate(teacher, now=NOON + datetime.timedelta(hours=3))
    assert error.value.message == "You have reached today's limit of 5 messages to the assistant."
    assert error.value.retry_after == 86400 - (15 * 3600 + 15)  # until midnight UTC
    check_rate(teacher, now=NOON + datetime.timedelta(days=1))


@override_settings(ASSISTANT_RATE_PER_MINUTE=1)
def test_a_broken_cache_does_not_block_replies(teacher, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", down)
    for _ in range(3):
        check_rate(teacher, now=NOON)
