"""Production: PostgreSQL, Redis, S3-compatible media, gunicorn + whitenoise, JSON logs.

Refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS: a missing secret must never
fall back to a development default.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, env

for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
    if not env(required, default=""):
        raise ImproperlyConfigured(f"{required} must be set in production")

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DEBUG = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)

LOG_FORMAT = "json"
LOGGING["handlers"]["console"]["formatter"] = "json"
