"""PostgreSQL down: every request answers a clean 503 instead of a 500 with a traceback.

A database connection error (``OperationalError``/``InterfaceError``) raised anywhere in the
request — a view, a DRF view (through ``config.api.errors.exception_handler``), or another
middleware (sessions, preferences, activity) — becomes one 503: the project's JSON error body under
/api/, a plain translated page (templates/503.html, rendered without the database) elsewhere, and
one warning line in the log, no traceback. ``/healthz`` touches no database and keeps answering 200;
``/readyz`` names "database". Django reconnects on the next request once the database is back
(``CONN_HEALTH_CHECKS``), so no restart is needed. See docs/reliability.md.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError

# imported by LOGGING (the filter below) before apps are ready: HTTP, templates and the API error
# format are imported where used

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "30"


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response(request, exc: BaseException):
    """The 503 for ``request``; logs the outage once for this request (no traceback)."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    from config.api.errors import error_response

    if not getattr(request, "_database_unavailable_logged", False):
        request._database_unavailable_logged = True
        logger.warning(
            "database unavailable: %s %s answered 503 (%s: %s)",
            request.method,
            request.path,
            type(exc).__name__,
            str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "",
        )
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    if request.path.startswith("/api/"):
        return error_response(
            503,
            "unavailable",
            _("The service is temporarily unavailable. Please try again in a moment."),
            headers=headers,
        )
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name] = value
    return response


def _flag_database_error(sender, request=None, **kwargs):
    """Django turns an exception raised inside another middleware into a 500 before it reaches us;
    this remembers that it was a database outage so the middleware can answer 503 instead."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_unavailable(exc):
        request._database_unavailable = exc


got_request_exception.connect(_flag_database_error, dispatch_uid="config.middleware_unavailable")


class DatabaseUnavailableMiddleware:
    """Outside sessions and everything else that reads the database (see MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, "_database_unavailable", None)
        if exc is not None and response.status_code >= 500 and response.status_code != 503:
            return unavailable_response(request, exc)
        return response

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


class NotDatabaseUnavailable(logging.Filter):
    """Drops django.request's "Internal Server Error" traceback for a database outage: the
    middleware logs it once, as a warning, and answers 503."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        return not (exc_info and is_database_unavailable(exc_info[1]))
