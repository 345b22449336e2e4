"""The adaptation engine: per student, which change to make to the NEXT activity block, and why.

Each signal that fires is a *trigger*: a factor name, a direction (easier/harder), the
modification kinds that answer it and a raw value in [0, 1] with its reason. Triggers landing on
the same (kind, direction) form one proposal whose score is

    score = m(kind, direction) · Σ value_f · w_f

with ``w_f`` the school's learned factor weight and ``m`` its learned multiplier for the kind
(both default 1 · the data file's weight). Proposals at or above the display threshold are shown;
safety-driven ones (restriction, non-participation, environment) are ``required`` and always shown,
with fixed weights. No ORM here: the selectors hand in plain dataclasses.
"""

from physed.engines import data
from physed.engines.learning import learn
from physed.engines.reasons import Reason, default_text
from physed.engines.stats import clip, fmt, mean, pct, slope
from physed.engines.types import (
    EASIER,
    HARDER,
    ActivityInfo,
    Contribution,
    EnvironmentAlert,
    MetricSeries,
    Proposal,
    StudentSignals,
    Trigger,
    Weights,
)

__all__ = [
    "ActivityInfo",
    "Contribution",
    "EnvironmentAlert",
    "MetricSeries",
    "Proposal",
    "StudentSignals",
    "Weights",
    "learn",
    "modification_text",
    "predicted_hrmax",
    "propose",
    "restriction_conflict",
    "restriction_kinds",
    "shown",
]
NOT_HERE = {"absent", "excused"}
NON_PARTICIPATING = {"sitting_out", "medical", "not_dressed"}


# ---- restrictions ---------------------------------------------------------------------------


def restriction_conflict(kind: str, activity: ActivityInfo, rules: dict | None = None) -> str | None:
    """Why ``activity`` conflicts with restriction ``kind`` (a short detail), or None."""
    rule = (rules or data.restriction_rules()).get(kind)
    if rule is None:
        return None
    if activity.contact_level in rule.get("contact_levels", ()):
        return f"contact: {activity.contact_level}"
    if activity.intensity in rule.get("intensities", ()):
        return f"intensity: {activity.intensity}"
    if activity.category in rule.get("categories", ()):
        return f"category: {activity.category}"
    if activity.space in rule.get("spaces", ()):
        return f"space: {activity.space}"
    components = set(activity.fitness_components) & set(rule.get("fitness_components", ()))
    if components:
        return f"develops {', '.join(sorted(components))}"
    skills = " ".join(str(s).lower() for s in activity.skills)
    keyword = next((k for k in rule.get("skill_keywords", ()) if k in skills), None)
    if keyword:
        return f"skills: {', '.join(activity.skills)}"
    limit = rule.get("max_minutes")
    if limit and activity.duration_minutes > limit:
        return f"{activity.duration_minutes} min > {limit} min"
    return None


def restriction_kinds(kind: str, rules: dict | None = None) -> list[str]:
    return list((rules or data.restriction_rules()).get(kind, {}).get("modification_kinds", ["assistance"]))


# ---- heart rate ---------------------------------------------------------------------------


def predicted_hrmax(age: float, formula: str | None = None) -> float:
    """Age-predicted maximal heart rate (bpm): Tanaka 2001 (208 − 0.7 · age) by default."""
    config = data.physiology()["heart_rate"]
    spec = config["formulas"][formula or config["formula"]]
    return spec["intercept"] - spec["slope"] * age


# ---- triggers -----------------------------------------------------------------------------


def _attendance_triggers(s: StudentSignals, config: dict) -> list[Trigger]:
    if s.attendance in NON_PARTICIPATING:
        return [
            Trigger(
                "attendance",
                EASIER,
                ["assistance"],
                1.0,
                Reason(f"attendance_{s.attendance}"),
                required=True,
                text_key=f"attendance:{s.attendance}",
            )
        ]
    if s.attendance == "late":
        minutes = s.minutes_late or config["late_minutes_default"]
        return [
            Trigger(
                "attendance",
                EASIER,
                ["duration"],
                0.7,
                Reason("attendance_late", {"minutes": minutes}),
                text_key="attendance:late",
            )
        ]
    return []


def _restriction_triggers(s: StudentSignals, activity: ActivityInfo) -> list[Trigger]:
    rules = data.restriction_rules()
    triggers = []
    for kind in dict.fromkeys(s.restrictions):
        detail = restriction_conflict(kind, activity, rules)
        if detail:
            reason = Reason("restriction", {"restriction": kind, "activity": activity.name, "detail": detail})
            triggers.append(
                Trigger(
                    "restriction",
                    EASIER,
                    restriction_kinds(kind, rules),
                    1.0,
                    reason,
                    required=True,
                    text_key=f"restriction:{kind}",
                )
            )
    return triggers


def _good_score(s: StudentSignals, share_needed: float) -> tuple[str, float] | None:
    for series in s.scores:
        if series.values and series.high > series.low:
            latest = series.values[-1]
            share = (latest - series.low) / (series.high - series.low)
            if not series.higher_is_better:
                share = 1 - share
            if share >= share_needed:
                return series.name, share
    return None


def _rpe_triggers(s: StudentSignals, config: dict) -> list[Trigger]:
    rpe = data.physiology()["rpe"]
    window = s.rpe[-rpe["window_sessions"] :]
    if len(window) < rpe["min_sessions"]:
        return []
    average = mean(window)
    params = {"mean": fmt(average), "n": len(window)}
    if average >= rpe["high"]:
        value = clip(0.6 + 0.4 * (average - rpe["high"]) / (10 - rpe["high"]), 0.6, 1.0)
        return [
            Trigger(
                "rpe_high",
                EASIER,
                config["factors"]["rpe_high"]["easier_kinds"],
                value,
                Reason("rpe_high", {**params, "threshold": fmt(rpe["high"])}),
            )
        ]
    if average <= rpe["low"]:
        good = _good_score(s, config["score_trend"]["good_share"])
        if good is not None:
            reason = Reason(
                "rpe_low", {**params, "threshold": fmt(rpe["low"]), "metric": good[0], "share": pct(good[1])}
            )
            return [Trigger("rpe_low", HARDER, config["factors"]["rpe_low"]["harder_kinds"], 0.6, reason)]
    return []


def _heart_rate_triggers(s: StudentSignals, config: dict) -> list[Trigger]:
    hr = data.physiology()["heart_rate"]
    if s.age is None or s.age <= 0:
        return []
    hrmax = predicted_hrmax(s.age)
    n = hr["window_sessions"]
    params = {"hrmax": fmt(hrmax, 0), "age": fmt(s.age, 0), "formula": hr["formula"].title()}
    kinds = config["factors"]["heart_rate"]["easier_kinds"]
    averages = s.hr_avg[-n:]
    if averages:
        share = mean(averages) / hrmax
        if share > hr["sustained_avg_share"]:
            reason = Reason(
                "hr_sustained",
                {**params, "share": pct(share), "n": len(averages), "threshold": pct(hr["sustained_avg_share"])},
            )
            return [Trigger("heart_rate", EASIER, kinds, 1.0, reason)]
    peaks = s.hr_max[-n:]
    high = [value for value in peaks if value / hrmax >= hr["peak_share"]]
    if len(high) >= hr["peak_min_sessions"]:
        reason = Reason("hr_peak", {**params, "count": len(high), "n": len(peaks), "threshold": pct(hr["peak_share"])})
        return [Trigger("heart_rate", EASIER, kinds, 0.6, reason)]
    return []


def _score_triggers(s: StudentSignals, config: dict) -> list[Trigger]:
    spec = config["score_trend"]
    window = config["score_window_sessions"]
    best: Trigger | None = None
    for series in s.scores:
        values = series.values[-window:]
        if len(values) < spec["min_sessions"] or series.high <= series.low:
            continue
        per_session = slope(values) / (series.high - series.low)
        if not series.higher_is_better:
            per_session = -per_session
        value = clip(abs(per_session) / spec["full_slope"], 0.0, 1.0)
        params = {"metric": series.name, "slope": pct(abs(per_session)), "n": len(values)}
        if per_session <= spec["falling_slope"]:
            trigger = Trigger(
                "score_trend",
                EASIER,
                config["factors"]["score_trend"]["easier_kinds"],
                value,
                Reason("score_falling", params),
            )
        elif per_session >= spec["rising_slope"]:
            trigger = Trigger(
                "score_trend",
                HARDER,
                config["factors"]["score_trend"]["harder_kinds"],
                value,
                Reason("score_rising", params),
            )
        else:
            continue
        if best is None or trigger.value > best.value:
            best = trigger
    return [best] if best else []


def _skill_triggers(s: StudentSignals, activity: ActivityInfo, config: dict) -> list[Trigger]:
    skill = s.category_skill.get(activity.category, s.skill_level)
    if skill is None:
        return []
    gap = activity.difficulty - skill
    params = {"difficulty": activity.difficulty, "skill": skill}
    spec = config["factors"]["skill_gap"]
    if gap >= config["skill_gap"]["min_gap"]:
        return [
            Trigger(
                "skill_gap", EASIER, spec["easier_kinds"], clip((gap - 1) / 3, 0, 1), Reason("skill_gap_easier", params)
            )
        ]
    if gap <= -config["skill_gap"]["min_gap"]:
        return [
            Trigger(
                "skill_gap",
                HARDER,
                spec["harder_kinds"],
                clip((-gap - 1) / 3, 0, 1),
                Reason("skill_gap_harder", params),
            )
        ]
    return []


# ---- proposals ---------------------------------------------------------------------------


def _pick_kind(trigger: Trigger, activity: ActivityInfo, preferred: list[str]) -> str:
    candidates = trigger.kinds or ["assistance"]
    for kind in candidates:
        if kind in preferred and activity.has_modification(kind, trigger.direction):
            return kind
    for kind in candidates:
        if activity.has_modification(kind, trigger.direction):
            return kind
    for kind in candidates:
        if kind in preferred:
            return kind
    return candidates[0]


def _progression_text(activity: ActivityInfo) -> str:
    for item in activity.progressions:
        if isinstance(item, str) and item:
            return item
        if isinstance(item, dict):
            text = item.get("text") or item.get("description") or item.get("harder") or item.get("name")
            if text:
                return str(text)
    return ""


def modification_text(activity: ActivityInfo, kind: str, direction: str, fallback_key: str = "") -> str:
    """The activity's own text for the change (its modifications; its progressions for harder),
    else the default text for the fallback key or the kind."""
    entry = activity.modification(kind)
    if entry and entry.get(direction):
        return str(entry[direction])
    if direction == HARDER:
        progression = _progression_text(activity)
        if progression:
            return progression
    return default_text(fallback_key) or default_text(f"{kind}:{direction}")


def _student_triggers(s: StudentSignals, activity: ActivityInfo, config: dict) -> list[Trigger]:
    if s.attendance in NOT_HERE:
        return []
    attendance = _attendance_triggers(s, config)
    if attendance and attendance[0].required:
        return attendance  # not taking part: only the alternative role
    triggers = attendance + _restriction_triggers(s, activity)
    triggers += _rpe_triggers(s, config) + _heart_rate_triggers(s, config)
    triggers += _score_triggers(s, config) + _skill_triggers(s, activity, config)
    easier = sum(t.value for t in triggers if t.direction == EASIER)
    harder = sum(t.value for t in triggers if t.direction == HARDER)
    if any(t.required for t in triggers) or easier >= harder:
        return [t for t in triggers if t.direction == EASIER]
    return [t for t in triggers if t.direction == HARDER]


def _group(
    student_id: int | None,
    triggers: list[Trigger],
    activity: ActivityInfo,
    weights: Weights,
    preferred: list[str],
) -> list[Proposal]:
    groups: dict[tuple[str, str], list[Trigger]] = {}
    for trigger in triggers:
        groups.setdefault((_pick_kind(trigger, activity, preferred), trigger.direction), []).append(trigger)
    proposals = []
    for (kind, direction), items in groups.items():
        contributions = [Contribution(t.factor, t.value, weights.factor(t.factor), t.reason) for t in items]
        required = any(t.required for t in items)
        if kind in preferred:
            contributions.append(
                Contribution("preferred_kind", 1.0, weights.factor("preferred_kind"), Reason("preferred_kind"))
            )
        kind_weight = 1.0 if required else weights.kind(kind, direction)
        score = kind_weight * sum(c.points for c in contributions)
        fallback = next((t.text_key for t in items if t.text_key), "")
        text = modification_text(activity, kind, direction, fallback)
        proposals.append(Proposal(student_id, kind, direction, text, score, required, contributions, kind_weight))
    return proposals


def propose(
    students: list[StudentSignals],
    activity: ActivityInfo,
    *,
    alerts: list[EnvironmentAlert] = (),
    weights: Weights | None = None,
    config: dict | None = None,
) -> list[Proposal]:
    """Every proposal for the next block (shown or not), best first."""
    config = config or data.adaptation_config()
    weights = weights or Weights(config=config)
    proposals: list[Proposal] = []
    for signals in students:
        triggers = _student_triggers(signals, activity, config)
        proposals += _group(signals.student_id, triggers, activity, weights, signals.preferred_kinds)
    env = [a for a in alerts if not a.outdoor_only or activity.space in _outdoor_spaces()]
    if env:
        triggers = [
            Trigger(
                "environment",
                EASIER,
                ["intensity", "duration"],
                clip(alert.level / 3, 0.0, 1.0),
                Reason("environment", {"alert": alert.kind, "level": alert.level, "message": alert.message}),
                required=True,
                text_key="environment",
            )
            for alert in env
        ]
        proposals += _group(None, triggers, activity, weights, [])
    return sorted(proposals, key=_order)


def _order(proposal: Proposal):
    return (not proposal.required, -proposal.score, proposal.student_id or 0, proposal.kind)


def _outdoor_spaces() -> set[str]:
    return set(data.recommendation_config()["environment"]["outdoor_spaces"])


def shown(proposals: list[Proposal], threshold: float | None = None) -> list[Proposal]:
    limit = data.adaptation_config()["display_threshold"] if threshold is None else threshold
    return [p for p in proposals if p.shown(limit)]
