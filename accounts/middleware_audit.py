"""The checklist's "audit logging middleware": every unsafe API request is attributable.

One structured log line (logger ``accounts.audit.requests``) per POST/PUT/PATCH/DELETE under
``/api/``: method, path, status, user id, school id if known, request id and duration. Never the
body, the query string, headers or tokens: path segments that look like secrets (signed tokens in
password-reset or verification links) are replaced by ``[redacted]``. Audit *rows* for the changes
themselves are written by the services; this line also covers refusals (4xx) and failures (5xx).

Sits right after ``LogContextMiddleware``. API requests authenticate in the view (JWT), and DRF
puts the user on the underlying request, so the user is read after the response.
"""

import logging
import re
import time

from config.logging import request_id_var, school_id_var, user_id_var

logger = logging.getLogger("accounts.audit.requests")

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REDACTED = "[redacted]"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SECRET_LOOKING = re.compile(r"[:=]")


def safe_path(path: str) -> str:
    """The path with token-like segments (32+ characters, or signed ``a:b:c`` values) redacted."""
    parts = []
    for segment in path.split("/"):
        if segment and not _UUID.match(segment) and (len(segment) >= 32 or _SECRET_LOOKING.search(segment)):
            parts.append(REDACTED)
        else:
            parts.append(segment)
    return "/".join(parts)


class ApiWriteLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)

        user = getattr(request, "user", None)
        user_id = str(user.pk) if user is not None and user.is_authenticated else "-"
        # the current school of a page session (LogContextMiddleware) or whatever the view set;
        # never a query here, so this middleware adds nothing to any request's query count
        school_id = school_id_var.get()
        # the log context outlives the view (RequestIDMiddleware resets it), so every handler's
        # RequestContextFilter agrees with the fields below
        user_id_var.set(user_id)
        school_id_var.set(school_id)
        fields = {
            "http_method": request.method,
            "http_path": safe_path(request.path),
            "http_status": response.status_code,
            "user_id": user_id,
            "school_id": school_id,
            "request_id": request_id_var.get(),
            "duration_ms": duration_ms,
        }
        logger.info(
            "api write %(http_method)s %(http_path)s -> %(http_status)s user=%(user_id)s school=%(school_id)s "
            "req=%(request_id)s duration_ms=%(duration_ms)s",
            fields,
            extra=fields,
        )
        return response
