"""Liveness and readiness probes.

``/healthz`` touches nothing: the process answers, so it is alive. ``/readyz`` checks each
dependency the app needs to serve (database, cache, and the Celery broker when one is configured)
and answers 503 naming every one that failed.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> None:
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def check_broker() -> None:
    from config.celery_app import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def readiness_checks() -> dict:
    checks = {"database": check_database, "cache": check_cache}
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = check_broker
    return checks


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    failed = []
    for name, check in readiness_checks().items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency means "not ready"
            logger.warning("readiness check %s failed: %s", name, exc.__class__.__name__)
            failed.append(name)
    if failed:
        return JsonResponse(
            {
                "status": "unavailable",
                "failed": failed,
                "error": {
                    "code": "unavailable",
                    "message": f"Not ready: {', '.join(failed)} unavailable.",
                    "fields": {},
                },
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "checked": list(readiness_checks())})
