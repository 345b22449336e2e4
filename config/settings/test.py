"""Test settings: the suite runs on SQLite + local memory, or on PostgreSQL + Redis when
DATABASE_URL / REDIS_URL are set (CI sets them)."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, REST_FRAMEWORK, STATIC_ROOT, env

DEBUG = False
# bcrypt-12 per test user would dominate the run; production keeps BCryptSHA256 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# generous defaults so the walkers never trip them; throttle tests set their own rates
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "auth": "100000/min"},
}
LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
# tests load the shipped library/metrics through fixtures where they need them
PHYSED_LOAD_SHIPPED_ON_MIGRATE = False

# whitenoise serves from STATIC_ROOT (filled by collectstatic in production) and finders here
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# pytest-xdist: each worker gets its own Redis database, because cache.clear() (run around every
# test) flushes a whole database and would wipe the other worker's permission cache mid-test
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    _parts = urlsplit(CACHES["default"]["LOCATION"])
    _base_db = int(_parts.path.strip("/") or 0)
    _db = (_base_db - 2 - int(_worker.removeprefix("gw") or 0)) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_parts._replace(path=f"/{_db}"))
