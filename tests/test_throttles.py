"""The fixed-window throttles: a counter per client and window (not a list of request times),
DRF's 429 in the error shape with Retry-After once the budget is spent."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from config.api.throttles import ScopedRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db


class _Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _throttle(cls, rate, clock):
    throttle = cls()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock
    return throttle


def test_counter_allows_the_budget_then_refuses_until_the_next_window(teacher):
    request = APIRequestFactory().get("/")
    request.user = teacher
    clock = _Clock(600.0)  # the start of a one-minute window
    decisions = [_throttle(UserRateThrottle, "3/min", clock).allow_request(request, None) for _ in range(4)]
    assert decisions == [True, True, True, False]
    refused = _throttle(UserRateThrottle, "3/min", clock)
    clock.now = 630.0
    assert refused.allow_request(request, None) is False
    assert refused.wait() == 30.0  # until the window ends
    clock.now = 660.5
    assert _throttle(UserRateThrottle, "3/min", clock).allow_request(request, None) is True


def test_state_is_one_integer_per_window_not_a_history(teacher):
    request = APIRequestFactory().get("/")
    request.user = teacher
    clock = _Clock(1200.0)
    for _ in range(50):
        _throttle(UserRateThrottle, "1000/min", clock).allow_request(request, None)
    key = _throttle(UserRateThrottle, "1000/min", clock).get_cache_key(request, None)
    assert cache.get(f"{key}:w20") == 50
    assert cache.get(key) is None  # DRF's list of request times is never written


def test_scoped_throttle_applies_only_to_views_with_a_scope(teacher, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "1/min"})
    request = APIRequestFactory().post("/")
    request.user = teacher

    class Scoped(APIView):
        throttle_scope = "auth"

    throttle = ScopedRateThrottle()
    assert throttle.allow_request(request, Scoped()) is True
    assert ScopedRateThrottle().allow_request(request, Scoped()) is False
    assert ScopedRateThrottle().allow_request(request, APIView()) is True
