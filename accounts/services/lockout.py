"""Brute-force lockout on top of django-axes: what is locked, for how long, unlocking, and the
audit trail of failures and lockouts.

Two tiers (``accounts.axes_handler.TieredAxesHandler``): ``username+IP`` locks after
``AXES_FAILURE_LIMIT`` failures, the IP alone after ``AUTH_LOCKOUT_IP_FAILURE_LIMIT`` failures for
any usernames, both counted over the cool-off window ``AXES_COOLOFF_TIME``. Axes stores the full
client IP in its attempt rows (it needs it to lock); the rows are deleted when the cool-off ends,
and everything we show or audit carries the truncated IP only.
"""

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from accounts.models import User
from accounts.services.audit import record_event
from config.request_context import client_ip_var, truncate_ip

TIER_USER = "username_ip"
TIER_IP = "ip"


def user_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def ip_limit() -> int:
    return settings.AUTH_LOCKOUT_IP_FAILURE_LIMIT


def cooloff() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def normalise_username(raw) -> str | None:
    """How usernames are stored and compared: stripped, lower-case, at most 255 characters."""
    if raw is None:
        return None
    return str(raw).strip().lower()[:255] or None


def recent_failures(username: str, *, window: timedelta | None = None) -> int:
    """Failed sign-ins for this account (from any network) within the monitoring window."""
    since = timezone.now() - (window or timedelta(minutes=settings.AUTH_MONITOR_FAILURE_WINDOW_MINUTES))
    total = AccessAttempt.objects.filter(username=normalise_username(username), attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def retry_after_seconds(*, username: str | None, ip_address: str | None) -> int:
    """Seconds until the lock on this username+IP (or on the IP) lifts at the latest: the newest
    failure counted by the locking tier plus the cool-off. At least 1."""
    username = normalise_username(username)
    agg = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=timezone.now() - cooloff()).aggregate(
        ip_total=Sum("failures_since_start"),
        ip_latest=Max("attempt_time"),
        user_total=Sum("failures_since_start", filter=Q(username=username)),
        user_latest=Max("attempt_time", filter=Q(username=username)),
    )
    candidates = []
    if (agg["user_total"] or 0) >= user_limit():
        candidates.append(agg["user_latest"])
    if (agg["ip_total"] or 0) >= ip_limit():
        candidates.append(agg["ip_latest"])
    latest = max(candidates) if candidates else agg["ip_latest"]
    if latest is None:
        return 1
    return max(1, math.ceil((latest + cooloff() - timezone.now()).total_seconds()))


def reset_after_success(*, username: str | None, ip_address: str | None) -> int:
    """After a successful sign-in only the username+IP tier is cleared: a valid account must not
    let an attacker clear the IP tier between guesses at other accounts."""
    deleted, _detail = AccessAttempt.objects.filter(
        username=normalise_username(username), ip_address=ip_address
    ).delete()
    return deleted


# --- audit of failures (called by the axes handler) ---------------------------------------

BLOCKED_AUDIT_INTERVAL = 60  # seconds


def should_audit_blocked_attempt(username: str | None) -> bool:
    """Attempts refused by a lock are audited at most once a minute per email and network, so a
    flood of blocked attempts cannot flood the audit log (the lockout itself is always audited)."""
    subject = hashlib.sha256(f"{normalise_username(username)}|{client_ip_var.get()}".encode()).hexdigest()
    key = f"auth:blocked-audited:{subject}"
    return cache.add(key, 1, timeout=BLOCKED_AUDIT_INTERVAL)


def record_failed_sign_in(
    *, username: str | None, door: str, blocked: bool, locked_now: bool, counts: tuple[int, int] | None
) -> None:
    """``auth.login_failed`` for every failure (``blocked`` = refused by the lock before any
    password check), plus ``auth.lockout`` when this failure starts a lock."""
    from accounts.services.sessions import primary_school_of

    username = normalise_username(username)
    user = User.objects.filter(email__iexact=username).first() if username else None
    school = primary_school_of(user) if user is not None else None
    user_failures, ip_failures = counts or (0, 0)
    with transaction.atomic():
        record_event(
            "auth.login_failed",
            school=school,
            target=user,
            target_type="" if user else "accounts.user",
            target_label="" if user else (username or "")[:200],
            changes={
                "email": username,
                "door": door,
                "reason": "locked_out" if blocked else "bad_credentials",
                "failures": user_failures,
                "ip_failures": ip_failures,
            },
        )
        if locked_now:
            tier = TIER_USER if user_failures >= user_limit() else TIER_IP
            record_event(
                "auth.lockout",
                school=school,
                target=user,
                target_type="" if user else "accounts.user",
                target_label="" if user else (username or "")[:200],
                changes={
                    "email": username,
                    "door": door,
                    "tier": tier,
                    "failures": user_failures if tier == TIER_USER else ip_failures,
                    "cooloff_seconds": int(cooloff().total_seconds()),
                },
            )


# --- current lockouts -----------------------------------------------------------------------


@dataclass
class Lockout:
    """One username+IP pair with an active lock on it (its own tier, its IP's tier, or both)."""

    id: int  # the newest attempt row of the pair: what DELETE /lockouts/{id}/ takes
    username: str | None
    ip_address: str | None  # truncated
    failures: int
    ip_failures: int
    tiers: list[str] = field(default_factory=list)
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None
    raw_ip: str | None = None


def active_lockouts(attempts=None) -> list[Lockout]:
    """Current lockouts among ``attempts`` (an AccessAttempt queryset; all by default), newest
    first. Three queries whatever the number of rows."""
    now = timezone.now()
    threshold = now - cooloff()
    recent = AccessAttempt.objects.filter(attempt_time__gte=threshold).order_by()
    pairs = {
        (row["username"], row["ip_address"]): row
        for row in recent.values("username", "ip_address").annotate(
            total=Sum("failures_since_start"), last=Max("attempt_time"), newest=Max("id")
        )
    }
    ips = dict(
        recent.values("ip_address").annotate(total=Sum("failures_since_start")).values_list("ip_address", "total")
    )
    scope = (attempts if attempts is not None else AccessAttempt.objects.all()).filter(attempt_time__gte=threshold)
    wanted = set(scope.order_by().values_list("username", "ip_address").distinct())
    result = []
    for (username, ip), row in pairs.items():
        if (username, ip) not in wanted:
            continue
        tiers = []
        if row["total"] >= user_limit():
            tiers.append(TIER_USER)
        if ips.get(ip, 0) >= ip_limit():
            tiers.append(TIER_IP)
        if not tiers:
            continue
        result.append(
            Lockout(
                id=row["newest"],
                username=username,
                ip_address=truncate_ip(ip),
                failures=row["total"],
                ip_failures=ips.get(ip, 0),
                tiers=tiers,
                last_failure_at=row["last"],
                locked_until=row["last"] + cooloff(),
                raw_ip=ip,
            )
        )
    result.sort(key=lambda lockout: (lockout.last_failure_at, lockout.id), reverse=True)
    return result


@transaction.atomic
def unlock(*, lockout: Lockout, actor, school=None, clear_ip: bool = False) -> int:
    """Deletes the failures that hold the lock: every attempt of the username (from any
    network) and, for platform staff (``clear_ip``), every attempt from the IP as well."""
    rows = AccessAttempt.objects.filter(pk=lockout.id)
    if lockout.username:
        rows = rows | AccessAttempt.objects.filter(username=lockout.username)
    if clear_ip and lockout.raw_ip:
        rows = rows | AccessAttempt.objects.filter(ip_address=lockout.raw_ip)
    cleared, _detail = rows.delete()
    user = User.objects.filter(email__iexact=lockout.username).first() if lockout.username else None
    record_event(
        "auth.unlocked",
        actor=actor,
        school=school,
        target=user,
        target_type="" if user else "accounts.user",
        target_label="" if user else (lockout.username or "")[:200],
        changes={
            "email": lockout.username,
            "ip": lockout.ip_address,
            "tiers": lockout.tiers,
            "cleared_attempts": cleared,
            "ip_cleared": clear_ip,
        },
    )
    return cleared
