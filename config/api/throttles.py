"""Rate limits with a fixed-window counter: one atomic increment per request.

DRF's own throttles keep, per client, the list of every request time in the last window and
rewrite that list on each request — at 1,200 requests a minute that is a 1,200-item list read,
unpickled, trimmed, pickled and written back on every call, so their cost grows with the rate
they allow. A counter per window costs the same at any rate. The trade-off is the classic one of
fixed windows: a client may spend its budget at the end of one window and again at the start of
the next (at most twice the rate over a window's length), which is acceptable for abuse limits.
The scopes, rates (``DEFAULT_THROTTLE_RATES``) and 429 responses stay DRF's.
"""

from rest_framework import throttling


class FixedWindowMixin:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        counter = f"{self.key}:w{window}"
        try:  # the steady state: the window's counter exists, one round trip
            count = self.cache.incr(counter)
        except ValueError:  # the first request of the window opens it (or a racing one counts)
            count = 1 if self.cache.add(counter, 1, self.duration + 1) else self.cache.incr(counter)
        if count is None:  # the cache is down (errors ignored, docs/reliability.md): fail open
            return True
        return count <= self.num_requests

    def wait(self):
        return max(self.window_ends_at - self.now, 1)


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FixedWindowMixin, throttling.ScopedRateThrottle):
    """DRF's scoped throttle reads the view's scope before counting; so does this one."""

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
