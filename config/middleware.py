"""Project-wide middleware: request ids, body size limit, security headers, API caching headers."""

import hashlib
import re
import uuid

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from config.api.errors import error_response
from config.logging import request_id_var, school_id_var, user_id_var
from config.request_context import client_ip_from, client_ip_var, user_agent_var

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return request_id_var.get()


class RequestIDMiddleware:
    """Gives every request an id (a well-formed incoming X-Request-ID is kept, so a proxy's id
    carries through), exposes it to logs and audit rows, and returns it on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        context = {
            request_id_var: request_id,
            user_id_var: "-",
            school_id_var: "-",
            client_ip_var: client_ip_from(request),
            user_agent_var: request.headers.get("User-Agent", "")[:300],
        }
        tokens = {var: var.set(value) for var, value in context.items()}
        try:
            response = self.get_response(request)
        finally:
            for var, token in tokens.items():
                var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class LogContextMiddleware:
    """After authentication: puts the user id and current school id into the log context.
    API requests authenticate in the view (JWT), so the API base view sets them again there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))
            school_id = request.session.get("current_school_id") if hasattr(request, "session") else None
            if school_id:
                school_id_var.set(str(school_id))
        return self.get_response(request)


# multipart uploads that may carry a video (movement analyses) get the larger video limit
_VIDEO_UPLOAD_PATHS = [
    re.compile(r"^/api/v1/physed/movement-analyses/\d+/video/$"),
    re.compile(r"^/movement/new/$"),
    re.compile(r"^/movement/\d+/video/$"),
]


class BodySizeLimitMiddleware:
    """Rejects oversized bodies up front with 413 in the standard error shape.

    Django only enforces DATA_UPLOAD_MAX_MEMORY_SIZE when ``request.body`` is read; DRF parsers
    read the stream, so without this a huge JSON body would be parsed in full."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, "bad_request", _("Invalid Content-Length header."))
        is_upload = request.content_type == "multipart/form-data"
        limit = settings.MAX_UPLOAD_BODY_BYTES if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if is_upload and any(pattern.match(request.path) for pattern in _VIDEO_UPLOAD_PATHS):
            limit = settings.MAX_VIDEO_UPLOAD_BYTES
        if length > limit:
            return error_response(
                413,
                "payload_too_large",
                _("Request body is %(length)d bytes; the limit is %(limit)d bytes.")
                % {"length": length, "limit": limit},
            )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (Referrer-Policy, nosniff and COOP
    come from SecurityMiddleware settings, CSP from django-csp)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ApiCacheMiddleware:
    """Safe HTTP caching for the API and live panels.

    * Responses vary on the credentials (Authorization, Cookie) and language, and are ``private``:
      no shared cache may serve one user's response to another.
    * Successful GETs get an ETag derived from the body *and* the requesting user, and a matching
      If-None-Match gets 304, so clients revalidate cheaply (conditional GET).
    * Views that return personal data mark themselves ``no-store`` (see ``config.api.views``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (request.path.startswith("/api/") or getattr(request, "htmx", False)):
            return response
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-cache"
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("ETag")
        ):
            user = getattr(request, "user", None)
            owner = str(user.pk) if user is not None and user.is_authenticated else "anon"
            digest = hashlib.sha256(owner.encode() + b"\0" + response.content).hexdigest()[:32]
            response["ETag"] = f'W/"{digest}"'
            if_none_match = request.headers.get("If-None-Match", "")
            if response["ETag"] in [tag.strip() for tag in if_none_match.split(",")]:
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary", REQUEST_ID_HEADER):
                    if response.has_header(header):
                        not_modified[header] = response[header]
                return not_modified
        return response
