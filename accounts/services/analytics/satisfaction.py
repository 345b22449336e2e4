"""In-app satisfaction tracking: CSAT (1–5) and NPS (0–10) prompts, rate-limited per user.

A user is offered a prompt only if they answered or dismissed none in the school's
``prompt_interval_days`` (default ``SATISFACTION_PROMPT_INTERVAL_DAYS``); prompts alternate
between CSAT and NPS. Results: CSAT average and distribution; NPS = % promoters (9–10) −
% detractors (0–6); monthly trend.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import SatisfactionKind, SatisfactionResponse, SchoolActivityPolicy
from accounts.services.errors import ServiceError

RANGES = {SatisfactionKind.CSAT: (1, 5), SatisfactionKind.NPS: (0, 10)}
QUESTIONS = {
    SatisfactionKind.CSAT: gettext_noop("How satisfied are you with the PE Platform?"),
    SatisfactionKind.NPS: gettext_noop("How likely are you to recommend the PE Platform to a colleague?"),
}


def interval_days(school) -> int:
    days = SchoolActivityPolicy.objects.filter(school=school).values_list("prompt_interval_days", flat=True).first()
    return days or settings.SATISFACTION_PROMPT_INTERVAL_DAYS


def pending_prompt(*, user, school, now=None) -> dict | None:
    """The prompt to show now ({"kind", "question", "min", "max"}) or None when rate-limited."""
    now = now or timezone.now()
    last = SatisfactionResponse.objects.filter(user=user, school=school).order_by("-created_at").first()
    if last is not None and last.created_at > now - timedelta(days=interval_days(school)):
        return None
    kind = SatisfactionKind.NPS if last is not None and last.kind == SatisfactionKind.CSAT else SatisfactionKind.CSAT
    low, high = RANGES[kind]
    return {"kind": kind.value, "question": _(QUESTIONS[kind]), "min": low, "max": high}


@transaction.atomic
def answer_prompt(*, user, school, kind: str, score: int | None = None, dismissed: bool = False, now=None):
    """Stores an answer (or a dismissal). Refused while the user is rate-limited or when the
    score is out of range for the kind."""
    now = now or timezone.now()
    if kind not in RANGES:
        raise ServiceError(_("Unknown prompt kind."), field="kind")
    pending = pending_prompt(user=user, school=school, now=now)
    if pending is None:
        raise ServiceError(_("You have answered a survey recently; thank you."), field="kind", code="too_soon")
    if dismissed:
        score = None
    else:
        low, high = RANGES[kind]
        if score is None or not (low <= score <= high):
            raise ServiceError(_("Give a score from %(low)s to %(high)s.") % {"low": low, "high": high}, field="score")
    return SatisfactionResponse.objects.create(
        user=user, school=school, kind=kind, score=score, dismissed=dismissed, created_at=now
    )


def nps_of(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)


def results(school, *, since=None, now=None, months: int = 6) -> dict:
    now = now or timezone.now()
    since = since or now - timedelta(days=365)
    rows = list(
        SatisfactionResponse.objects.filter(school=school, created_at__gte=since, created_at__lt=now)
        .order_by("created_at")
        .values_list("kind", "score", "dismissed", "created_at")
    )
    csat = [score for kind, score, dismissed, _at in rows if kind == SatisfactionKind.CSAT and not dismissed]
    nps = [score for kind, score, dismissed, _at in rows if kind == SatisfactionKind.NPS and not dismissed]
    by_month: dict[str, dict[str, list]] = defaultdict(lambda: {"csat": [], "nps": []})
    for kind, score, dismissed, at in rows:
        if not dismissed:
            by_month[at.strftime("%Y-%m")][kind].append(score)
    trend = []
    cursor = now.replace(day=1)
    keys = []
    for _i in range(months):
        keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    for key in reversed(keys):
        month = by_month.get(key, {"csat": [], "nps": []})
        trend.append(
            {
                "month": key,
                "csat_average": round(sum(month["csat"]) / len(month["csat"]), 2) if month["csat"] else None,
                "csat_responses": len(month["csat"]),
                "nps": nps_of(month["nps"]),
                "nps_responses": len(month["nps"]),
            }
        )
    return {
        "csat": {
            "responses": len(csat),
            "average": round(sum(csat) / len(csat), 2) if csat else None,
            "distribution": [{"score": s, "count": csat.count(s)} for s in range(1, 6)],
        },
        "nps": {
            "responses": len(nps),
            "score": nps_of(nps),
            "promoters": sum(1 for s in nps if s >= 9),
            "passives": sum(1 for s in nps if 7 <= s <= 8),
            "detractors": sum(1 for s in nps if s <= 6),
        },
        "dismissed": sum(1 for _k, _s, dismissed, _at in rows if dismissed),
        "trend": trend,
    }
