"""Engagement, usage patterns, behaviour patterns and performance from ``ActivityEvent`` rows.

* Sessions: a user's events further apart than ``ACTIVITY_SESSION_GAP_MINUTES`` start a new
  session (the usual web-analytics sessionisation; sign-ins also start one).
* DAU/WAU/MAU: distinct users active on the last day / 7 days / 30 days of the window.
* Feature adoption: share of the window's active users who used each feature (route group);
  sign-ins count for activity, sessions and latency but are not a feature.
* Hour-of-week heatmap in the school's time zone (7 × 24 counts, Monday first).
* Sequences: consecutive distinct features within a session; most frequent 2- and 3-step runs.
* Latency: nearest-rank p50/p95/p99 of recorded request durations per route group.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from accounts.models import ActivityEvent, ActivityKind


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @classmethod
    def last_days(cls, days: int = 30, now: datetime | None = None) -> "Window":
        end = now or timezone.now()
        return cls(start=end - timedelta(days=days), end=end)

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 86400))


def _events(school, window: Window):
    return (
        ActivityEvent.objects.filter(school=school, occurred_at__gte=window.start, occurred_at__lt=window.end)
        .order_by("user_id", "occurred_at", "id")
        .values_list("user_id", "occurred_at", "kind", "route_group", "duration_ms")
    )


def sessions_of(rows, gap_minutes: int | None = None) -> list[list[tuple]]:
    """Splits (user_id, occurred_at, kind, route_group, …) rows ordered by user and time into
    sessions."""
    gap = timedelta(minutes=gap_minutes or settings.ACTIVITY_SESSION_GAP_MINUTES)
    sessions: list[list[tuple]] = []
    last_user, last_time = None, None
    for row in rows:
        user_id, at, kind = row[0], row[1], row[2]
        if user_id != last_user or at - last_time > gap or kind == ActivityKind.SIGN_IN:
            sessions.append([])
        sessions[-1].append(row)
        last_user, last_time = user_id, at
    return sessions


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list (p in 0–100)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def feature_sequences(sessions, top: int = 10) -> dict:
    pairs, triples = Counter(), Counter()
    for session in sessions:
        path = []
        for row in session:
            group = row[3] if row[2] != ActivityKind.SIGN_IN else ""
            if group and (not path or path[-1] != group):
                path.append(group)
        pairs.update(tuple(path[i : i + 2]) for i in range(len(path) - 1))
        triples.update(tuple(path[i : i + 3]) for i in range(len(path) - 2))
    return {
        "pairs": [
            {"steps": list(k), "count": v} for k, v in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "triples": [
            {"steps": list(k), "count": v} for k, v in sorted(triples.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
    }


def school_report(school, window: Window | None = None) -> dict:
    """Everything the analytics page and API show for one school and window."""
    window = window or Window.last_days(30)
    rows = list(_events(school, window))
    tz = ZoneInfo(school.timezone or "UTC")
    end_local_day = (window.end - timedelta(microseconds=1)).astimezone(tz).date()

    days_by_user: dict[int, set] = defaultdict(set)
    daily_users: dict = defaultdict(set)
    heatmap = [[0] * 24 for _ in range(7)]
    feature_counts, feature_users = Counter(), defaultdict(set)
    durations: dict[str, list[int]] = defaultdict(list)
    for user_id, at, kind, group, duration in rows:
        local = at.astimezone(tz)
        day = local.date()
        days_by_user[user_id].add(day)
        daily_users[day].add(user_id)
        heatmap[local.weekday()][local.hour] += 1
        if group:
            durations[group].append(duration)
            if kind != ActivityKind.SIGN_IN:  # signing in is not a feature
                feature_counts[group] += 1
                feature_users[group].add(user_id)

    def active_within(days: int) -> int:
        first = end_local_day - timedelta(days=days - 1)
        return sum(1 for days_active in days_by_user.values() if any(d >= first for d in days_active))

    sessions = sessions_of(rows)
    active_users = len(days_by_user)
    dau, wau, mau = active_within(1), active_within(7), active_within(30)
    daily = []
    for offset in range(window.days - 1, -1, -1):
        day = end_local_day - timedelta(days=offset)
        daily.append({"date": day.isoformat(), "active_users": len(daily_users.get(day, ()))})
    adoption = [
        {
            "feature": group,
            "users": len(users),
            "share": round(len(users) / active_users, 4) if active_users else 0.0,
        }
        for group, users in sorted(feature_users.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    latency = []
    for group, values in durations.items():
        values.sort()
        latency.append(
            {
                "route_group": group,
                "requests": len(values),
                "p50_ms": percentile(values, 50),
                "p95_ms": percentile(values, 95),
                "p99_ms": percentile(values, 99),
            }
        )
    latency.sort(key=lambda row: (-row["p95_ms"], row["route_group"]))
    return {
        "window": {"start": window.start, "end": window.end, "days": window.days},
        "engagement": {
            "dau": dau,
            "wau": wau,
            "mau": mau,
            "stickiness": round(dau / mau, 4) if mau else 0.0,
            "active_users": active_users,
            "events": len(rows),
            "sessions": len(sessions),
            "sessions_per_user": round(len(sessions) / active_users, 2) if active_users else 0.0,
            "daily": daily,
            "feature_adoption": adoption,
        },
        "usage": {
            "heatmap": heatmap,
            "top_features": [
                {"feature": g, "events": c}
                for g, c in sorted(feature_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
            ],
        },
        "behaviour": feature_sequences(sessions),
        "performance": latency,
    }
