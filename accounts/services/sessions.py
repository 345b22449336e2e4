"""Sign-in sessions and devices: every sign-in (page or API) is a ``UserSession``.

* A page session wraps the Django session (its id is kept in the Django session under
  ``WEB_SESSION_KEY``); ``check_web_session`` enforces revocation, the idle timeout and the absolute
  lifetime on every page request (``accounts.middleware.WebSessionMiddleware``).
* An API session is a refresh-token family: the refresh token carries the session id (claim
  ``sid``), rotation keeps the family and moves ``current_jti`` under a row lock, and presenting a
  token the family has already moved past is *reuse*: the whole family is revoked and the user gets
  a security notice. Access tokens carry the claim too, so a revoked family's access tokens stop
  working on the next request (``accounts.api.authentication``).
* Monitoring flags sessions for school admins: the user agent changed mid-session, the sign-in
  followed a burst of failed attempts, or the session was used from many distinct IP addresses.

Client IP (truncated) and user agent come from the request context (``config.request_context``).
"""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.models import Membership, School, SessionKind, User, UserSession
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from config.request_context import client_ip_var, user_agent_var

SESSION_CLAIM = "sid"
WEB_SESSION_KEY = "_pe_user_session"
MAX_SEEN_IPS = 20


class Reason:
    """Why a session ended (``UserSession.revoked_reason``)."""

    LOGOUT = "logout"
    REVOKED_BY_USER = "revoked_by_user"
    REVOKED_BY_ADMIN = "revoked_by_admin"
    SIGNED_OUT_ELSEWHERE = "signed_out_elsewhere"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    DEACTIVATED = "deactivated"
    TOKEN_REUSE = "token_reuse"
    IDLE_TIMEOUT = "idle_timeout"
    EXPIRED = "expired"
    SESSION_LIMIT = "session_limit"
    REPLACED = "replaced"


class Flag:
    """Why a session was flagged for review (``UserSession.flagged_reason``, comma-separated)."""

    USER_AGENT_CHANGED = "user_agent_changed"
    FAILED_ATTEMPTS = "failed_attempts"
    MANY_IPS = "many_ips"


FLAG_LABELS = {
    Flag.USER_AGENT_CHANGED: gettext_lazy("The browser or app changed during the session"),
    Flag.FAILED_ATTEMPTS: gettext_lazy("Signed in after several failed attempts"),
    Flag.MANY_IPS: gettext_lazy("Used from many different networks"),
}


# --- device labels --------------------------------------------------------------------------

# (marker in the user agent, name); order matters: Edge and Opera also say "Chrome", Chrome says "Safari"
_BROWSERS = [
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPad", "iPadOS"),
    ("iPhone", "iOS"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]
_CLIENTS = [
    ("okhttp/", "Android app"),
    ("CFNetwork/", "iOS app"),
    ("Dart/", "Mobile app"),
    ("python-requests/", "Python script"),
    ("python-httpx/", "Python script"),
    ("curl/", "curl"),
    ("PostmanRuntime/", "Postman"),
]


def device_label(user_agent: str) -> str:
    """A short, language-neutral label such as "Firefox · Windows" or "Android app"; "" when the
    user agent says nothing recognisable. Names only, never versions: the label must not change
    with every browser update, since a new label means "new device"."""
    ua = user_agent or ""
    for marker, name in _CLIENTS:
        if marker in ua:
            return name
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "")
    return " · ".join(part for part in (browser, system) if part)


# --- tokens ---------------------------------------------------------------------------------


class FamilyRefreshToken(RefreshToken):
    """A refresh token that belongs to a ``UserSession`` family (claim ``sid``).

    Whether it may still be used is decided by the family's ``current_jti`` under a row lock, not
    by the blacklist lookup simplejwt does on construction (that lookup cannot tell reuse from a
    logout, and would cost a query before the lock). Rotated and revoked tokens are still
    blacklisted, so simplejwt's own checks agree."""

    def check_blacklist(self) -> None:
        return None

    @classmethod
    def for_session(cls, session: UserSession) -> "FamilyRefreshToken":
        token = cls()
        token[jwt_settings.USER_ID_CLAIM] = str(session.user_id)
        token[SESSION_CLAIM] = session.pk
        OutstandingToken.objects.create(
            user_id=session.user_id,
            jti=token[jwt_settings.JTI_CLAIM],
            token=str(token),
            created_at=token.current_time,
            expires_at=datetime_from_epoch(token["exp"]),
        )
        return token


def _blacklist(jtis) -> None:
    jtis = [jti for jti in jtis if jti]
    if not jtis:
        return
    outstanding = OutstandingToken.objects.filter(jti__in=jtis)
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=row) for row in outstanding], ignore_conflicts=True)


def _blacklist_all_of(user: User) -> int:
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    rows = [BlacklistedToken(token=row) for row in outstanding]
    BlacklistedToken.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def decode_refresh(raw: str) -> FamilyRefreshToken:
    """Signature, expiry and type checked; ServiceError (401) otherwise."""
    try:
        return FamilyRefreshToken(raw)
    except TokenError as exc:
        raise _invalid_token() from exc


def _invalid_token() -> ServiceError:
    return ServiceError(_("Token is invalid or expired."), field="refresh", code="token_not_valid", status=401)


# --- facts about the user -------------------------------------------------------------------


@dataclass
class _UserFacts:
    roles: set
    school: School | None


def _facts(user: User | None) -> _UserFacts:
    """Current roles and the school to file the user's audit events under (their first)."""
    memberships = list(
        Membership.objects.active().filter(user_id=user.pk if user else None).select_related("school").order_by("pk")
    )
    return _UserFacts(
        roles={membership.role for membership in memberships},
        school=memberships[0].school if memberships else None,
    )


def max_sessions_for(user: User, roles=None) -> int:
    """The concurrent-session limit of the user's most generous role (``AUTH_MAX_SESSIONS``)."""
    limits = settings.AUTH_MAX_SESSIONS
    default = limits.get("default", 5)
    keys = set(roles if roles is not None else _facts(user).roles)
    if user.is_staff:
        keys.add("staff")
    return max([limits.get(key, default) for key in keys] or [default])


def primary_school_of(user: User | None) -> School | None:
    return _facts(user).school


# --- starting and ending sessions -----------------------------------------------------------


def _lifetime(kind: str) -> timedelta:
    if kind == SessionKind.API:
        return jwt_settings.REFRESH_TOKEN_LIFETIME
    return timedelta(hours=settings.AUTH_SESSION_ABSOLUTE_HOURS)


@transaction.atomic
def start_session(*, user: User, kind: str, session_key: str = "", door: str = "") -> UserSession:
    """Records one sign-in: the session row, the audit event, a notice when the device is new to
    this account, a flag when the sign-in follows a burst of failures, and the concurrent-session
    limit (the oldest sessions past it end)."""
    from accounts.services.lockout import recent_failures

    now = timezone.now()
    ip = client_ip_var.get()
    agent = (user_agent_var.get() or "")[:300]
    label = device_label(agent)
    # two EXISTS, not the set of labels: with the model's ordering, DISTINCT over the labels read
    # every session the account ever had (a sign-in got slower with each one before it)
    past_sessions = UserSession.objects.filter(user=user)
    new_device = past_sessions.exists() and not past_sessions.filter(device_label=label).exists()
    facts = _facts(user)
    session = UserSession.objects.create(
        user=user,
        kind=kind,
        session_key=session_key or "",
        device_label=label,
        user_agent=agent,
        last_user_agent=agent,
        ip_address=ip,
        seen_ips=[ip] if ip else [],
        created_at=now,
        last_seen_at=now,
        expires_at=now + _lifetime(kind),
    )
    record_event(
        "auth.login_succeeded",
        actor=user,
        school=facts.school,
        target=user,
        changes={"session": session.pk, "kind": kind, "door": door, "device": label},
    )
    if new_device:
        _announce_new_device(session, facts.school)
    failures = recent_failures(user.email)
    if failures >= settings.AUTH_MONITOR_FAILURE_BURST:
        _flag(session, Flag.FAILED_ATTEMPTS, facts.school, {"failures": failures})
        session.save(update_fields=["flagged_at", "flagged_reason"])
    _enforce_limit(user, keep=session, limit=max_sessions_for(user, facts.roles), school=facts.school)
    return session


def _announce_new_device(session: UserSession, school) -> None:
    device = session.device_label or _("an unknown device")
    when = timezone.localtime(session.created_at).strftime("%Y-%m-%d %H:%M %Z")
    notify(
        session.user,
        "security.new_device",
        _("New sign-in from %(device)s") % {"device": device},
        _(
            "Your account was signed in from %(device)s at %(when)s (network %(ip)s). If this was not you, "
            "end that session on the Devices page and change your password."
        )
        % {"device": device, "when": when, "ip": session.ip_address or "?"},
        url=reverse("security-devices"),
    )
    record_event(
        "auth.new_device",
        actor=session.user,
        school=school,
        target=session,
        changes={"device": session.device_label, "kind": session.kind},
    )


def _enforce_limit(user: User, *, keep: UserSession, limit: int, school) -> None:
    active = list(UserSession.objects.active().filter(user=user).exclude(pk=keep.pk).order_by("created_at", "pk"))
    excess = len(active) + 1 - max(limit, 1)
    for session in active[: max(excess, 0)]:
        revoke_session(session=session, actor=None, reason=Reason.SESSION_LIMIT, school=school)


def issue_api_tokens(*, user: User, client_ip: str | None = None) -> tuple[UserSession, FamilyRefreshToken]:
    """An API sign-in (after ``authenticate`` succeeded): a new session (family) and its first
    refresh token; the failures of this email from this address (``client_ip``, as the lockout
    sees it) are cleared, as for a page sign-in."""
    from accounts.services.lockout import reset_after_success

    with transaction.atomic():
        session = start_session(user=user, kind=SessionKind.API, door="api")
        token = FamilyRefreshToken.for_session(session)
        session.current_jti = token[jwt_settings.JTI_CLAIM]
        session.expires_at = datetime_from_epoch(token["exp"])
        session.save(update_fields=["current_jti", "expires_at"])
        User.objects.filter(pk=user.pk).update(last_login=session.created_at)
        reset_after_success(username=user.email, ip_address=client_ip)
    return session, token


@transaction.atomic
def revoke_session(
    *, session: UserSession, actor=None, reason: str, school=None, audit: bool = True, keep_web_session: bool = False
) -> bool:
    """Ends one session: marks it revoked, blacklists its refresh token (API) or deletes the
    Django session (web; unless ``keep_web_session``, when a new sign-in takes the same Django
    session over). False if it had already ended."""
    now = timezone.now()
    updated = UserSession.objects.filter(pk=session.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason
    )
    if not updated:
        return False
    session.revoked_at, session.revoked_reason = now, reason
    if session.kind == SessionKind.API:
        _blacklist([session.current_jti])
    elif session.session_key and not keep_web_session:
        import_module(settings.SESSION_ENGINE).SessionStore().delete(session.session_key)
    if audit:
        record_event(
            "session.revoked",
            actor=actor,
            school=school,
            target=session,
            changes={"reason": reason, "kind": session.kind, "user": session.user_id, "device": session.device_label},
        )
    return True


@transaction.atomic
def revoke_other_sessions(
    *, user: User, keep_session_id: int | None, actor=None, reason: str, kinds=None, school=None
) -> int:
    """Ends every active session of the user except ``keep_session_id``; returns how many."""
    sessions = UserSession.objects.active().filter(user=user).exclude(pk=keep_session_id)
    if kinds is not None:
        sessions = sessions.filter(kind__in=kinds)
    return sum(revoke_session(session=s, actor=actor, reason=reason, school=school) for s in sessions)


@transaction.atomic
def logout_everywhere_else(*, user: User, current_session_id: int | None) -> int:
    """ "Sign out everywhere else": every session but the current one ends."""
    school = primary_school_of(user)
    ended = revoke_other_sessions(
        user=user,
        keep_session_id=current_session_id,
        actor=user,
        reason=Reason.SIGNED_OUT_ELSEWHERE,
        school=school,
    )
    record_event("auth.logout_all", actor=user, school=school, target=user, changes={"ended_sessions": ended})
    return ended


@transaction.atomic
def end_all_sessions(*, user: User, actor=None, reason: str, school=None) -> int:
    """Every session of the user (web and API) ends and every refresh token they hold is
    blacklisted, including tokens that belong to no tracked family."""
    ended = revoke_other_sessions(user=user, keep_session_id=None, actor=actor, reason=reason, school=school)
    _blacklist_all_of(user)
    return ended


def end_web_session(*, user: User, session_id, reason: str = Reason.LOGOUT) -> bool:
    """A page session ends: a sign-out (``auth.logout``) or, e.g., a new sign-in on top of it."""
    session = UserSession.objects.filter(pk=session_id, user=user).first() if session_id else None
    if session is None:
        return False
    if reason == Reason.REPLACED:
        return revoke_session(session=session, actor=user, reason=reason, keep_web_session=True)
    if reason != Reason.LOGOUT:
        return revoke_session(session=session, actor=user, reason=reason)
    with transaction.atomic():
        ended = revoke_session(session=session, actor=user, reason=reason, audit=False)
        if ended:
            record_event(
                "auth.logout",
                actor=user,
                school=primary_school_of(user),
                target=session,
                changes={"kind": session.kind},
            )
    return ended


def logout_api(*, user: User, raw_refresh: str) -> None:
    """Ends the API session (family) the refresh token belongs to; the token must be the user's."""
    try:
        token = decode_refresh(raw_refresh)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="refresh", code="token_not_valid") from exc
    if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise ServiceError(_("Token is invalid or expired."), field="refresh", code="token_not_valid")
    session_id = token.get(SESSION_CLAIM)
    with transaction.atomic():
        token.blacklist()
        session = UserSession.objects.filter(pk=session_id, user=user).first() if session_id else None
        if session is not None:
            revoke_session(session=session, actor=user, reason=Reason.LOGOUT, audit=False)
        record_event(
            "auth.logout",
            actor=user,
            school=primary_school_of(user),
            target=session if session is not None else user,
            changes={"kind": SessionKind.API},
        )


# --- rotation and reuse ---------------------------------------------------------------------


def rotate_refresh(*, raw: str) -> tuple[UserSession, FamilyRefreshToken]:
    """Refresh → a new refresh token of the same family (and its access token).

    The session row is locked (``select_for_update``), so of two concurrent refreshes with one
    token exactly one wins: the other finds ``current_jti`` moved on. Presenting a token the family
    has moved past is reuse — the family is revoked (committed) before the 401 is raised — unless
    it is the immediate predecessor within ``AUTH_REFRESH_REUSE_GRACE_SECONDS``."""
    token = decode_refresh(raw)
    session_id = token.get(SESSION_CLAIM)
    if not isinstance(session_id, int):
        raise _invalid_token()
    with transaction.atomic():
        outcome, session, new_token = _rotate_locked(session_id, token)
    if outcome != "ok":
        raise _invalid_token()
    return session, new_token


def _rotate_locked(session_id: int, token: FamilyRefreshToken):
    now = timezone.now()
    session = (
        UserSession.objects.select_for_update()
        .filter(pk=session_id, user_id=token.get(jwt_settings.USER_ID_CLAIM), kind=SessionKind.API)
        .first()
    )
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        return "ended", session, None
    jti = token[jwt_settings.JTI_CLAIM]
    if jti != session.current_jti:
        grace = settings.AUTH_REFRESH_REUSE_GRACE_SECONDS
        if (
            grace > 0
            and jti == session.previous_jti
            and session.rotated_at is not None
            and now - session.rotated_at <= timedelta(seconds=grace)
        ):
            return "raced", session, None
        _handle_reuse(session)
        return "reused", session, None
    user = User.objects.only("is_active").get(pk=session.user_id)
    if not user.is_active:
        return "ended", session, None
    new_token = FamilyRefreshToken.for_session(session)
    _blacklist([jti])
    session.previous_jti = jti
    session.current_jti = new_token[jwt_settings.JTI_CLAIM]
    session.rotated_at = now
    session.last_seen_at = now
    session.expires_at = datetime_from_epoch(new_token["exp"])
    fields = ["previous_jti", "current_jti", "rotated_at", "last_seen_at", "expires_at"]
    fields += observe(session, user_agent=user_agent_var.get() or "", ip=client_ip_var.get())
    session.save(update_fields=sorted(set(fields)))
    return "ok", session, new_token


def _handle_reuse(session: UserSession) -> None:
    school = primary_school_of(session.user)
    revoke_session(session=session, actor=None, reason=Reason.TOKEN_REUSE, school=school, audit=False)
    record_event(
        "auth.token_reuse",
        school=school,
        target=session,
        changes={"user": session.user_id, "device": session.device_label},
    )
    notify(
        session.user,
        "security.token_reuse",
        _("A sign-in was ended for your security"),
        _(
            "An old sign-in token of your session on %(device)s was used again, which can mean it was copied. "
            "We ended that session. Sign in again, and change your password if you did not expect this."
        )
        % {"device": session.device_label or _("an unknown device")},
        url=reverse("security-devices"),
    )


# --- monitoring -----------------------------------------------------------------------------


def _flag(session: UserSession, reason: str, school=None, details: dict | None = None) -> bool:
    """Adds a flag reason (in memory; the caller saves ``flagged_at``/``flagged_reason``) and
    records ``session.flagged``. False if the session already carried that reason."""
    reasons = [code for code in session.flagged_reason.split(",") if code]
    if reason in reasons:
        return False
    reasons.append(reason)
    session.flagged_reason = ",".join(reasons)[:200]
    session.flagged_at = session.flagged_at or timezone.now()
    record_event(
        "session.flagged",
        school=school if school is not None else primary_school_of(session.user),
        target=session,
        changes={"reason": reason, "user": session.user_id, **(details or {})},
    )
    return True


def observe(session: UserSession, *, user_agent: str, ip: str | None) -> list[str]:
    """Compares a request with its session: a changed user agent or a new network. Returns the
    fields it changed (the caller saves them)."""
    changed: list[str] = []
    agent = (user_agent or "")[:300]
    if agent and agent != session.last_user_agent:
        if _flag(session, Flag.USER_AGENT_CHANGED, details={"from": session.last_user_agent, "to": agent}):
            changed += ["flagged_at", "flagged_reason"]
        session.last_user_agent = agent
        changed.append("last_user_agent")
    if ip and ip not in session.seen_ips:
        session.seen_ips = [*session.seen_ips, ip][-MAX_SEEN_IPS:]
        changed.append("seen_ips")
        if len(session.seen_ips) >= settings.AUTH_MONITOR_MAX_IPS and _flag(
            session, Flag.MANY_IPS, details={"networks": len(session.seen_ips)}
        ):
            changed += ["flagged_at", "flagged_reason"]
    return changed


def flag_labels(session: UserSession) -> list[dict]:
    return [
        {"code": code, "label": str(FLAG_LABELS.get(code, code))} for code in session.flagged_reason.split(",") if code
    ]


# --- page sessions --------------------------------------------------------------------------


def check_web_session(*, user: User, session_id, session_key: str | None) -> tuple[UserSession | None, str]:
    """For every signed-in page request: ("ok", …) or the reason the session is over (revoked,
    idle for longer than AUTH_SESSION_IDLE_MINUTES, older than AUTH_SESSION_ABSOLUTE_HOURS).
    Writes at most once per AUTH_SESSION_TOUCH_SECONDS unless something changed."""
    now = timezone.now()
    session = UserSession.objects.filter(pk=session_id, user=user, kind=SessionKind.WEB).first()
    if session is None:
        return None, "missing"
    if session.revoked_at is not None:
        return session, session.revoked_reason or "revoked"
    if session.expires_at <= now:
        revoke_session(session=session, reason=Reason.EXPIRED, school=primary_school_of(user))
        return session, Reason.EXPIRED
    if now - session.last_seen_at > timedelta(minutes=settings.AUTH_SESSION_IDLE_MINUTES):
        revoke_session(session=session, reason=Reason.IDLE_TIMEOUT, school=primary_school_of(user))
        return session, Reason.IDLE_TIMEOUT
    fields: list[str] = []
    if now - session.last_seen_at >= timedelta(seconds=settings.AUTH_SESSION_TOUCH_SECONDS):
        session.last_seen_at = now
        fields.append("last_seen_at")
    if session_key and session.session_key != session_key:
        session.session_key = session_key  # Django cycled the key (e.g. after a password change)
        fields.append("session_key")
    fields += observe(session, user_agent=user_agent_var.get() or "", ip=client_ip_var.get())
    if fields:
        session.save(update_fields=sorted(set(fields)))
    return session, "ok"


# --- housekeeping ---------------------------------------------------------------------------


def cleanup_sessions(*, now=None) -> dict:
    """Deletes session rows that ended more than AUTH_SESSION_RETENTION_DAYS ago, expired refresh
    tokens (and their blacklist rows) and expired Django sessions."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUTH_SESSION_RETENTION_DAYS)
    ended = UserSession.objects.filter(revoked_at__lt=cutoff) | UserSession.objects.filter(expires_at__lt=cutoff)
    sessions_deleted, _detail = ended.delete()
    tokens_deleted, _detail = OutstandingToken.objects.filter(expires_at__lt=now).delete()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return {"sessions": sessions_deleted, "tokens": tokens_deleted}
