"""Records one activity event per request of a signed-in user — cheaply (see
``accounts.services.activity``: a cache append, and at most one batched INSERT when the buffer is
due). Sits after ``ApiWriteLogMiddleware``; like it, the user is read after the response because
API requests authenticate in the view.

What is recorded: kind (sign-in, key action, feature), the route group from the resolved URL,
method, status, duration in ms, the school and — for sign-ins only — the truncated IP. Never the
body, query string, headers or content. Static files, health checks and the admin's own jsi18n
are not features.

Sign-ins and key actions are noticed through ``post_save`` of ``UserSession`` (every sign-in
starts one) and ``AuditEvent`` (services audit every key action): the receivers only note the fact
on the request's holder — they never write.
"""

import contextvars
import time

from django.db.models.signals import post_save
from django.utils import timezone

from accounts.models import AuditEvent, UserSession
from accounts.selectors import _MEMO
from accounts.services import activity as service
from config.logging import school_id_var
from config.request_context import client_ip_from

_holder: contextvars.ContextVar[dict | None] = contextvars.ContextVar("activity_request", default=None)

IGNORED_PREFIXES = (
    "/static/",
    "/media/",
    "/favicon",
    "/healthz",
    "/readyz",
    "/api/schema/",
    "/api/docs/",
    "/i18n/",
    "/jsi18n/",
)
# audited actions that are bookkeeping, not something the user did on purpose
IGNORED_ACTIONS = ("auth.login_succeeded", "activity.tracking_changed")


def _on_session(sender, instance, created, **kwargs):
    holder = _holder.get()
    if created and holder is not None:
        holder["sign_in_user"] = instance.user_id


def _on_audit(sender, instance, created, **kwargs):
    holder = _holder.get()
    if created and holder is not None and not instance.action.startswith(IGNORED_ACTIONS):
        holder.setdefault("action", instance.action)


post_save.connect(_on_session, sender=UserSession, dispatch_uid="activity_sign_in")
post_save.connect(_on_audit, sender=AuditEvent, dispatch_uid="activity_key_action")


def _school_id(request, user_id) -> int | None:
    """The school the request worked in, if known without a query (the log context, the page's
    current school, or the permissions already loaded for the user); else the flush fills in the
    user's first school."""
    raw = school_id_var.get()
    if raw and raw != "-":
        try:
            return int(raw)
        except ValueError:
            pass
    current = getattr(request, "_current_school", None)
    if current is not None:
        return current.pk
    user = getattr(request, "user", None)
    loaded = getattr(user, _MEMO, None) if user is not None and user.pk == user_id else None
    return min(loaded) if loaded else None


class ActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(IGNORED_PREFIXES):
            return self.get_response(request)
        holder: dict = {}
        token = _holder.set(holder)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _holder.reset(token)
        duration_ms = int((time.perf_counter() - started) * 1000)
        try:
            self.record(request, response, holder, duration_ms)
        except Exception:
            import logging

            logging.getLogger("accounts.activity").exception("activity tracking failed")
        return response

    def record(self, request, response, holder, duration_ms):
        """Buffers the event; who is tracked at which level is decided when the batch is flushed
        (``accounts.services.activity``), so this does no query."""
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        signed_in = holder.get("sign_in_user")
        if signed_in is not None:
            user_id, kind = signed_in, service.ActivityKind.SIGN_IN  # the token view sets no request.user
        elif user_id is None:
            return
        elif holder.get("action"):
            kind = service.ActivityKind.ACTION
        else:
            kind = service.ActivityKind.FEATURE
        group = service.route_group_for(getattr(request, "resolver_match", None))
        if kind == service.ActivityKind.FEATURE and not group:
            return
        number = service.buffer_event(
            {
                "user_id": user_id,
                "school_id": _school_id(request, user_id),
                "occurred_at": timezone.now(),
                "kind": kind,
                "route_group": group,
                "action": holder.get("action", ""),
                "method": request.method,
                "status_code": response.status_code,
                "duration_ms": duration_ms,
                "ip_address": client_ip_from(request) if kind == service.ActivityKind.SIGN_IN else None,
            }
        )
        if service.flush_due(number):
            service.flush_buffer(max_batches=1)
