"""Activity tracking: cheap recording, opt-out, retention.

How a request is recorded (at most ONE database write per request, usually none):

1. ``ActivityMiddleware`` builds a small dict after the response (route group, method, status,
   duration, school, kind) — never the body, the query string or the content — and appends it to
   a buffer in the cache (``buffer_event``: an atomic ``incr`` for a sequence number and one
   ``set``; Redis in production, local memory in the embedded mode).
2. When the buffer holds ``ACTIVITY_BUFFER_MAX_EVENTS`` events, that request flushes one batch: a
   single multi-row INSERT sized to fit one statement (``flush_buffer(max_batches=1)``, after three
   reads that decide who is tracked and one that checks the schools named still exist — see below).
3. The ``accounts.flush_activity`` beat task flushes everything that is left every minute, and
   the "My activity" and "Analytics" pages flush before they read (so the embedded mode, which has
   no beat process, shows fresh data too).

The request itself never queries for this: whether a user is tracked (off = opted out / minimal =
sign-ins only, students by default unless their school's policy says otherwise / full) is decided
when a batch is flushed, for all its users at once (three reads), and a missing school is filled
in then with the user's first school. An opt-out therefore also drops events still in the buffer,
as does erasing the account; a school removed since is treated as missing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import (
    STAFF_ROLES,
    ActivityEvent,
    ActivityKind,
    ActivitySettings,
    Membership,
    School,
    SchoolActivityPolicy,
    User,
)
from accounts.services.audit import record_event

SEQ_KEY = "activity:seq"
FLUSHED_KEY = "activity:flushed"
LOCK_KEY = "activity:flush-lock"
EVENT_KEY = "activity:event:{}"

OFF, MINIMAL, FULL = "off", "minimal", "full"
EVENT_FIELDS = ("user_id", "school_id", "occurred_at", "kind", "route_group", "action", "method", "status_code")


# --- what a request is ------------------------------------------------------------------------
GENERIC_HEADS = {"my", "me", "security", "api", "accounts"}


def route_group_for(resolver_match) -> str:
    """The feature a URL belongs to.

    * API routes: ``api:`` + the first path segment after ``/api/v1/`` (``api:memberships``,
      ``api:audit-events``); under ``me/`` the next one too (``api:me/activity``).
    * The admin: ``admin``.
    * Pages: the URL name's first word (``people``; ``audit-log`` → ``audit``), or its first two
      words when the first is generic (``my-activity`` → ``my-activity``,
      ``security-devices`` → ``security-devices``).
    Unnamed routes give ``""`` (not recorded as a feature)."""
    if resolver_match is None:
        return ""
    route = getattr(resolver_match, "route", "") or ""
    if resolver_match.namespaces and resolver_match.namespaces[0] == "admin":
        return "admin"
    if route.startswith("api/"):
        parts = [p for p in route.split("/")[2:] if p and not p.startswith(("<", "^", "("))]
        if not parts:
            return "api"
        head = parts[0]
        if head == "me" and len(parts) > 1:
            head = f"me/{parts[1]}"
        return f"api:{head}"[:80]
    name = (resolver_match.url_name or "").replace("_", "-")
    if not name:
        return ""
    words = name.split("-")
    head = "-".join(words[:2]) if words[0] in GENERIC_HEADS and len(words) > 1 else words[0]
    namespace = ":".join(resolver_match.namespaces)
    return (f"{namespace}:{head}" if namespace else head)[:80]


# --- who is tracked ---------------------------------------------------------------------------
def _levels(user_ids) -> tuple[dict[int, str], dict[int, int]]:
    """({user_id: level}, {user_id: first school id}) for a batch of users, in three queries; a user
    id of no account is left out (its level is off)."""
    # one read for both: which accounts still exist (the buffer outlives an erased account, whose
    # events are then dropped) and which of them opted out
    existing = dict(User.objects.filter(pk__in=set(user_ids)).values_list("pk", "activity_settings__tracking_enabled"))
    user_ids = set(existing)
    opted_out = {user_id for user_id, enabled in existing.items() if enabled is False}
    roles: dict[int, set[str]] = {}
    schools: dict[int, list[int]] = {}
    for user_id, school_id, role in (
        Membership.objects.active().filter(user_id__in=user_ids).values_list("user_id", "school_id", "role")
    ):
        roles.setdefault(user_id, set()).add(role)
        schools.setdefault(user_id, []).append(school_id)
    generous = set(
        SchoolActivityPolicy.objects.filter(
            school_id__in={s for ids in schools.values() for s in ids}, track_student_features=True
        ).values_list("school_id", flat=True)
    )
    levels = {}
    for user_id in user_ids:
        if user_id in opted_out:
            levels[user_id] = OFF
        elif not roles.get(user_id) or roles[user_id] & set(STAFF_ROLES):
            levels[user_id] = FULL  # staff, or platform users without a school role
        else:
            levels[user_id] = FULL if generous & set(schools[user_id]) else MINIMAL
    return levels, {user_id: min(ids) for user_id, ids in schools.items()}


def tracking_level(user) -> str:
    """``off`` (opted out), ``minimal`` (sign-ins only: students by default) or ``full``."""
    if user is None or not user.is_authenticated:
        return OFF
    return _levels([user.pk])[0][user.pk]


@transaction.atomic
def set_tracking(*, user, enabled: bool) -> ActivitySettings:
    """The user's own opt-out (audited). Opting out also stops sign-in events."""
    row, _created = ActivitySettings.objects.update_or_create(user=user, defaults={"tracking_enabled": enabled})
    record_event("activity.tracking_changed", actor=user, target=user, changes={"tracking_enabled": enabled})
    return row


def tracking_enabled_for(user) -> bool:
    return ActivitySettings.objects.filter(user=user, tracking_enabled=False).exists() is False


# --- the buffer -------------------------------------------------------------------------------
def _incr(key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 0, timeout=None)
        return cache.incr(key)


def buffer_event(event: dict) -> int:
    """Appends one event (a dict of ``EVENT_FIELDS`` + ``duration_ms``/``ip_address``) to the
    cache buffer; returns its sequence number. No database access."""
    number = _incr(SEQ_KEY)
    cache.set(EVENT_KEY.format(number), event, timeout=settings.ACTIVITY_BUFFER_TTL_SECONDS)
    return number


def pending_count() -> int:
    return max(0, (cache.get(SEQ_KEY) or 0) - (cache.get(FLUSHED_KEY) or 0))


def flush_due(sequence_number: int) -> bool:
    """Every ``ACTIVITY_BUFFER_MAX_EVENTS``-th buffered event makes its request flush one batch
    (never on age: the beat task and the activity pages take care of the rest), so ordinary
    requests never write and pay no extra cache round trip to find out."""
    return sequence_number % settings.ACTIVITY_BUFFER_MAX_EVENTS == 0


def _batch_size() -> int:
    fields = [ActivityEvent._meta.get_field(name.removesuffix("_id")) for name in EVENT_FIELDS]
    fields += [ActivityEvent._meta.get_field("duration_ms"), ActivityEvent._meta.get_field("ip_address")]
    probe = [ActivityEvent()] * 10000
    return max(1, connection.ops.bulk_batch_size(fields, probe))


def flush_buffer(*, max_batches: int | None = None) -> int:
    """Moves buffered events into the table, one INSERT per batch; ``max_batches=1`` is what a
    request may do. Returns the number of rows written. Concurrent flushes are serialised by a
    cache lock (a second caller simply returns 0)."""
    if not cache.add(LOCK_KEY, 1, timeout=60):
        return 0
    written = 0
    try:
        batch = _batch_size()
        batches = 0
        while max_batches is None or batches < max_batches:
            start = cache.get(FLUSHED_KEY) or 0
            if (cache.get(SEQ_KEY) or 0) < start:
                # the sequence key was evicted (a small local-memory cache) and restarted: follow it
                start = 0
                cache.set(FLUSHED_KEY, 0, timeout=None)
            end = min(cache.get(SEQ_KEY) or 0, start + batch)
            if end <= start:
                break
            keys = [EVENT_KEY.format(n) for n in range(start + 1, end + 1)]
            found = cache.get_many(keys)
            rows = _admitted([found[key] for key in keys if key in found])
            if rows:
                ActivityEvent.objects.bulk_create(rows, batch_size=batch)
                written += len(rows)
            cache.set(FLUSHED_KEY, end, timeout=None)
            cache.delete_many(keys)
            batches += 1
    finally:
        cache.delete(LOCK_KEY)
    return written


def _admitted(events: list[dict]) -> list[ActivityEvent]:
    """The rows to write: opted-out users' events dropped, students' reduced to sign-ins (unless
    their school records more), a missing school filled with the user's first school."""
    if not events:
        return []
    levels, first_school = _levels(event["user_id"] for event in events)
    # the buffer outlives rows: a school removed since its events were buffered has them filed
    # under the user's first school (an erased account's are dropped by _levels) — one row pointing
    # at a missing key would fail the whole batch's INSERT
    schools = set(
        School.objects.filter(pk__in={e.get("school_id") for e in events if e.get("school_id")}).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for event in events:
        level = levels.get(event["user_id"], OFF)
        if level == OFF or (level == MINIMAL and event.get("kind") != ActivityKind.SIGN_IN):
            continue
        if event.get("school_id") not in schools:
            event = {**event, "school_id": first_school.get(event["user_id"])}
        rows.append(_row(event))
    return rows


def _row(event: dict) -> ActivityEvent:
    return ActivityEvent(
        user_id=event["user_id"],
        school_id=event.get("school_id"),
        occurred_at=event["occurred_at"],
        kind=event.get("kind", ActivityKind.FEATURE),
        route_group=(event.get("route_group") or "")[:80],
        action=(event.get("action") or "")[:80],
        method=(event.get("method") or "")[:8],
        status_code=int(event.get("status_code") or 0),
        duration_ms=max(0, int(event.get("duration_ms") or 0)),
        ip_address=event.get("ip_address"),
    )


# --- retention --------------------------------------------------------------------------------
def purge_expired_activity(*, now=None) -> dict:
    """Deletes activity older than each school's retention (default ``ACTIVITY_RETENTION_DAYS``);
    events without a school use the default. Returns {"deleted": n, "schools": k}."""
    now = now or timezone.now()
    default_days = settings.ACTIVITY_RETENTION_DAYS
    custom = dict(SchoolActivityPolicy.objects.values_list("school_id", "retention_days"))
    deleted = 0
    for school_id, days in custom.items():
        count, _ = ActivityEvent.objects.filter(
            school_id=school_id, occurred_at__lt=now - timedelta(days=days)
        ).delete()
        deleted += count
    count, _ = (
        ActivityEvent.objects.exclude(school_id__in=list(custom))
        .filter(occurred_at__lt=now - timedelta(days=default_days))
        .delete()
    )
    deleted += count
    return {"deleted": deleted, "schools": len(custom)}


@transaction.atomic
def set_school_policy(*, actor, school: School, **values) -> SchoolActivityPolicy:
    """Changes a school's activity policy (audited)."""
    policy, _created = SchoolActivityPolicy.objects.get_or_create(school=school)
    before = {key: getattr(policy, key) for key in values}
    for key, value in values.items():
        setattr(policy, key, value)
    policy.full_clean()
    policy.save()
    record_event(
        "activity.policy_changed",
        actor=actor,
        school=school,
        target=policy,
        changes={key: [before[key], value] for key, value in values.items() if before[key] != value},
    )
    return policy


def retention_days_for(school_id: int | None) -> int:
    if school_id is None:
        return settings.ACTIVITY_RETENTION_DAYS
    days = SchoolActivityPolicy.objects.filter(school_id=school_id).values_list("retention_days", flat=True).first()
    return days or settings.ACTIVITY_RETENTION_DAYS
