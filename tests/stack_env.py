"""What the tests that start real processes (gunicorn, a Celery worker) share: the environment that
points them at the test database pytest-django created, and a free port to listen on."""

import os
import socket

from django.conf import settings as django_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_on_test_database(settings_module: str, **extra) -> dict:
    """``settings_module`` (production-like) on this run's test database, with this process's secret
    key so that tokens and session cookies made here are valid in the child processes."""
    db = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    location = django_settings.CACHES["default"].get("LOCATION")
    if env.get("REDIS_URL") and isinstance(location, str) and location.startswith("redis://"):
        # the children use this test's own Redis database (cache and broker), which the suite clears
        # around every test: the machine's Redis outlives test runs, and activity events buffered or
        # tasks queued by an earlier run must not reach these processes
        env["REDIS_URL"] = location
    env.update({key: str(value) for key, value in extra.items()})
    return env
