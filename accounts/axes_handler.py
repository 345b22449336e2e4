"""django-axes integration: a two-tier lock, normalised usernames, and the hooks that turn axes'
sign-in signals into our sessions and audit events.

Axes compares one failure count with one limit. ``AXES_LOCKOUT_PARAMETERS`` gives it two counts
(username+IP, then IP alone); ``get_failures`` reports the tier nearest to its own limit on the
scale of ``AXES_FAILURE_LIMIT`` — the username+IP count as is, the IP count multiplied by
``AXES_FAILURE_LIMIT / AUTH_LOCKOUT_IP_FAILURE_LIMIT`` (rounded down) — so axes' own comparison
``failures >= AXES_FAILURE_LIMIT`` locks exactly when either tier reaches its limit. Everything
else (storage, cool-off, the backend check before password hashing, the lockout signal) is axes.

The signal hooks run for every door that calls ``django.contrib.auth.login``/``logout`` (the login
page, the admin login, ``Client.force_login``), so page sessions start and end here; the API
token endpoint records its own session (it issues tokens instead of logging in).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import messages
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services import lockout as lockout_service
from accounts.services import sessions as session_service


def username_from(request, credentials) -> str | None:
    """The login page and admin post ``username``; the API posts ``email``; all are the email."""
    if credentials:
        raw = credentials.get("email") or credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("email") or data.get("username")
    return lockout_service.normalise_username(raw)


def door_of(request) -> str:
    path = getattr(request, "path", "") or ""
    if path.startswith(reverse("admin:index")):
        return "admin"
    if path.startswith("/api/"):
        return "api"
    return "page"


class TieredAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        user_ip, ip_only = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)  # AXES_LOCKOUT_PARAMETERS order
        )
        request.pe_tier_counts = (user_ip, ip_only)
        scaled_ip = ip_only * settings.AXES_FAILURE_LIMIT // settings.AUTH_LOCKOUT_IP_FAILURE_LIMIT
        return max(user_ip, scaled_ip)

    def reset_user_attempts(self, request, credentials=None) -> int:
        return lockout_service.reset_after_success(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # the backend marks an attempt it refused before any password check (we do not let
        # blocked attempts extend the lock: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT=False)
        blocked = bool(request is not None and getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        if blocked:
            if not lockout_service.should_audit_blocked_attempt(username):
                return
            self.get_failures(request, credentials)  # counts for the audit row
        lockout_service.record_failed_sign_in(
            username=username,
            door=door_of(request),
            blocked=blocked,
            locked_now=not blocked and bool(getattr(request, "axes_locked_out", False)),
            counts=getattr(request, "pe_tier_counts", None),
        )

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            start_web_session(request, user)  # first: it reads the failures that super() clears
        super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        super().user_logged_out(sender, request, user, **kwargs)
        if request is not None and user is not None and hasattr(request, "session"):
            session_service.end_web_session(user=user, session_id=request.session.get(session_service.WEB_SESSION_KEY))


def start_web_session(request, user, door: str | None = None) -> None:
    """A page sign-in: a UserSession for this Django session, remembered inside it."""
    previous = request.session.get(session_service.WEB_SESSION_KEY)
    if previous:  # signing in again on top of a live session: the old record ends
        session_service.end_web_session(user=user, session_id=previous, reason=session_service.Reason.REPLACED)
    if request.session.session_key is None:
        request.session.save()
    session = session_service.start_session(
        user=user, kind="web", session_key=request.session.session_key, door=door or door_of(request)
    )
    request.session[session_service.WEB_SESSION_KEY] = session.pk
    if not user.email_verified:
        messages.warning(
            request,
            _(
                "Your email address is not verified yet, so staff features stay off. Open the link we emailed "
                "you, or ask for a new one on the “Resend verification email” page."
            ),
            fail_silently=True,
        )
