"""Demo data for the activity area; called by accounts.demo.seed.

Four months of activity for the demo staff — a steady routine for most; the department head takes
five weeks off, ``teacher2`` drifts away and stopped six weeks ago, the assistant is drifting
now — so the risk model has real history to learn from and someone to flag; sign-ins only for
students; a few satisfaction answers; then a risk-model fit per school. Deterministic
(``random.Random`` seeded per school) and idempotent: the demo users' generated history is
replaced on each run."""

import contextlib
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import STAFF_ROLES, ActivityEvent, ActivityKind, Membership, Role, SatisfactionResponse

DAYS = 120
LEAVE = {"head": range(64, 100)}  # days ago without any activity
FADE = {"teacher2": 45, "assistant": 0}  # thinning over three weeks, none after this many days ago
STAFF_FEATURES = {
    Role.SCHOOL_ADMIN: ["dashboard", "people", "audit", "roles", "analytics", "api:memberships"],
    Role.DEPARTMENT_HEAD: ["dashboard", "people", "roles", "my-activity", "api:schools"],
    Role.TEACHER: ["dashboard", "people", "profile", "settings", "api:me", "notifications"],
    Role.ASSISTANT: ["dashboard", "people", "notifications"],
}


def _events_for(rng, user_id, school_id, role, local_part, today, tz):
    rows = []
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5 and rng.random() < 0.85:
            continue
        chance = 0.8
        if offset in LEAVE.get(local_part, ()):
            continue
        if local_part in FADE:
            chance = 0.8 * max(0.0, min(1.0, (offset - FADE[local_part]) / 21))
        if role == Role.STUDENT:
            chance = 0.3
        if rng.random() > chance:
            continue
        start = timezone.make_aware(datetime.combine(day, time(hour=rng.choice([7, 8, 9, 12, 15, 16]))), tz)
        start += timedelta(minutes=rng.randrange(60))
        rows.append(_event(user_id, school_id, start, ActivityKind.SIGN_IN, "login", rng))
        if role == Role.STUDENT:
            continue
        at = start
        for _step in range(rng.randint(2, 7)):
            at += timedelta(minutes=rng.randint(1, 9))
            group = rng.choice(STAFF_FEATURES[role])
            rows.append(_event(user_id, school_id, at, ActivityKind.FEATURE, group, rng))
    return rows


def _event(user_id, school_id, at, kind, group, rng):
    return ActivityEvent(
        user_id=user_id,
        school_id=school_id,
        occurred_at=at,
        kind=kind,
        route_group=group,
        method="POST" if kind == ActivityKind.SIGN_IN else "GET",
        status_code=302 if kind == ActivityKind.SIGN_IN else 200,
        duration_ms=int(rng.lognormvariate(3.6, 0.6)),
    )


def seed(context: dict) -> None:
    from accounts.services.analytics.risk import InsufficientData, fit_school_model

    today = timezone.now().date()
    for slug, school in sorted(context.get("schools", {}).items()):
        rng = random.Random(f"activity-{slug}")  # noqa: S311 - deterministic demo data, not security
        members = (
            Membership.objects.filter(school=school, user__email__endswith=f"@{slug}.demo")
            .select_related("user")
            .order_by("user__email", "role")
        )
        users = {}
        for membership in members:
            if membership.role in (*STAFF_ROLES, Role.STUDENT):
                users[membership.user_id] = (membership.role, membership.user.email.split("@")[0])
        ActivityEvent.objects.filter(school=school, user_id__in=list(users)).delete()
        rows = []
        for user_id, (role, local_part) in sorted(users.items()):
            rows += _events_for(rng, user_id, school.pk, role, local_part, today, ZoneInfo(school.timezone or "UTC"))
        ActivityEvent.objects.bulk_create(rows, batch_size=500)

        SatisfactionResponse.objects.filter(school=school, user_id__in=list(users)).delete()
        for index, (user_id, (role, _local)) in enumerate(sorted(users.items())):
            if role == Role.STUDENT:
                continue
            SatisfactionResponse.objects.create(
                user_id=user_id,
                school=school,
                kind="csat" if index % 2 else "nps",
                score=rng.randint(3, 5) if index % 2 else rng.randint(5, 10),
                created_at=timezone.now() - timedelta(days=rng.randint(35, 80)),
            )
        # a handful of demo users may be too little data; the page then explains why there is no score
        with contextlib.suppress(InsufficientData):
            fit_school_model(school=school)
