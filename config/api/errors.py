"""One error shape for every API 4xx/5xx (DESIGN.md §6)::

    {"error": {"code": "not_found", "message": "...", "fields": {...}}}

DRF exceptions go through ``exception_handler``; errors raised outside DRF (unknown /api/ URLs,
middleware refusals, unexpected server errors) go through ``error_response`` from the Django
handlers in ``config.urls``. No stack trace ever reaches a client.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def error_response(status_code: int, code: str, message: str, fields: dict | None = None, headers=None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = JsonResponse(body, status=status_code)
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _flatten(detail):
    """Turns DRF's nested ErrorDetail structures into plain strings/lists/dicts."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(fields: dict) -> str:
    for name, messages in fields.items():
        first = messages[0] if isinstance(messages, list) and messages else messages
        if isinstance(first, dict):
            return _first_message(first)
        return str(first) if name == "non_field_errors" else f"{name}: {first}"
    return _("Invalid input.")


class Conflict(exceptions.APIException):
    """409: the request was made against a state that has moved on (e.g. a stale edit, an action
    already decided); the message goes into the error's ``fields`` under ``field`` and ``extra``
    (what changed since) beside it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("The record changed since you loaded it.")

    def __init__(self, detail=None, code=None, *, extra: dict | None = None, field: str = "version"):
        super().__init__(detail, code)
        self.extra = extra or {}
        self.field = field


def exception_handler(exc, context):
    if isinstance(exc, Http404 | OverflowError):
        # OverflowError: an id too large for the database's integers names no row
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)

    from config.middleware_unavailable import is_database_unavailable, unavailable_response

    if is_database_unavailable(exc):  # PostgreSQL down: a clean 503, logged once (no traceback)
        return unavailable_response(context["request"], exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return error_response(500, "server_error", _("An unexpected error occurred. It has been logged."))

    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten(exc.detail)
        if isinstance(detail, list):
            fields = {"non_field_errors": detail}
        elif isinstance(detail, dict):
            fields = detail
        else:
            fields = {"non_field_errors": [detail]}
        code, message = "invalid", _first_message(fields)
    else:
        detail = _flatten(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
        fields = {}
        if isinstance(detail, dict):
            # e.g. simplejwt: {"detail": "...", "code": "token_not_valid", "messages": [...]}
            message = str(detail.get("detail", _("Request failed.")))
            code = str(detail.get("code", exc.default_code))
        else:
            message = str(detail)
            code = getattr(exc, "default_code", "error")
            codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
            if isinstance(codes, str):
                code = codes

    if isinstance(exc, Conflict):
        fields = {exc.field: [message], **exc.extra}
    headers = {}
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            headers[header] = response[header]
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        message = _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": int(exc.wait) + 1}
    result = error_response(response.status_code, code, message, fields, headers)
    return result


def _api_or_default(request, status_code, code, message, default_view, **kwargs):
    if request.path.startswith("/api/"):
        return error_response(status_code, code, message)
    return default_view(request, **kwargs)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return error_response(404, "not_found", _("No API endpoint at %(path)s.") % {"path": request.path})


def handler400(request, exception=None):
    from django.views import defaults

    return _api_or_default(request, 400, "bad_request", _("Bad request."), defaults.bad_request, exception=exception)


def handler403(request, exception=None):
    from django.views import defaults

    return _api_or_default(
        request,
        403,
        "permission_denied",
        _("You do not have permission to do this."),
        defaults.permission_denied,
        exception=exception,
    )


def handler404(request, exception=None):
    from django.views import defaults

    return _api_or_default(request, 404, "not_found", _("Not found."), defaults.page_not_found, exception=exception)


def handler500(request):
    from django.views import defaults

    return _api_or_default(request, 500, "server_error", _("An unexpected error occurred."), defaults.server_error)


__all__ = ["error_response", "exception_handler", "status"]
