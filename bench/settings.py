"""Benchmark server settings: production settings plus the bench-only URLs (a bare JSON view and
an unauthenticated twin of a list endpoint, for side-by-side ratios). Never used in production."""

from config.settings.production import *  # noqa: F403
from config.settings.production import REST_FRAMEWORK

ROOT_URLCONF = "bench.urls"
# the benchmark measures the app, not the throttles
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min", "auth": "1000000/min"},
}
LOG_LEVEL = "WARNING"
