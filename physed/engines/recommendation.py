"""The recommendation engine: rank activities for a class (or one student) with a score breakdown.

    score = Σ_c  W_c · v_c      over the named components c:

* ``need`` (0…1): the largest gap among the fitness components the activity develops (gaps come
  from the pluggable gap providers: share of students below the school median, assessments later);
* ``variety`` (−1…0): −(1 − (k − 1)/N) if the activity was done k sessions ago within the last N,
  and ``category_factor`` times that for its category;
* ``feasibility`` (−1…0): space mismatch, too few players, longer than the time available
  (missing equipment and a pool the class does not have EXCLUDE the activity instead);
* ``grade_fit`` (−1…1): written for the class's grade span (1), a neighbouring one (0), other (−1);
* ``environment`` (−1…0): outdoors or vigorous under an environment alert;
* ``risk`` (−1…0): risk level, plus the share of the class whose restrictions it conflicts with;
* ``preference`` (−1…1): the school's learned preference for the activity plus half that for its
  category (picks raise, dismissals lower, with decay);
* ``skill_fit`` (per student only, −1…0): how far difficulty is from the student's skill level.

``W_c`` come from ``physed/data/adaptation/recommendation.json``. No ORM here.
"""

from dataclasses import dataclass, field

from physed.engines import data
from physed.engines.adaptation import ActivityInfo, EnvironmentAlert, restriction_conflict, restriction_kinds
from physed.engines.reasons import Reason
from physed.engines.stats import clip, fmt, pct

GRADE_BAND_ORDER = ["prek_2", "3_5", "6_8", "9_12"]


@dataclass(frozen=True)
class Gap:
    """A measured weakness in one fitness component: ``value`` 0…1 (0 = no gap)."""

    component: str
    value: float
    share_below: float = 0.0
    students: int = 0
    source: str = "performance"


@dataclass
class Context:
    class_size: int = 0
    grade_bands: frozenset = frozenset()
    space: str | None = None
    duration: int | None = None
    equipment: frozenset | None = None  # None = not given: no equipment check
    gaps: dict = field(default_factory=dict)  # component → Gap
    recent_activities: dict = field(default_factory=dict)  # activity id → sessions ago (1 = last)
    recent_categories: dict = field(default_factory=dict)  # category → sessions ago
    alerts: list = field(default_factory=list)  # EnvironmentAlert
    restriction_counts: dict = field(default_factory=dict)  # restriction kind → students
    preferences: dict = field(default_factory=dict)  # "activity:<id>" / "category:<c>" → value (decayed)
    student_restrictions: list = field(default_factory=list)  # per-student ranking: hard restrictions
    skill_level: int | None = None


@dataclass
class Component:
    name: str
    value: float
    weight: float
    reasons: list[Reason] = field(default_factory=list)

    @property
    def points(self) -> float:
        return self.value * self.weight

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
            "points": round(self.points, 4),
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass
class Recommendation:
    activity: ActivityInfo
    score: float
    components: list[Component]
    modifications_needed: list[dict] = field(default_factory=list)

    @property
    def reasons(self) -> list[Reason]:
        return [reason for component in self.components for reason in component.reasons]


@dataclass
class Excluded:
    activity: ActivityInfo
    reasons: list[Reason]


def adjacent_bands(bands) -> frozenset:
    found = set()
    for band in bands:
        if band in GRADE_BAND_ORDER:
            index = GRADE_BAND_ORDER.index(band)
            found.update(GRADE_BAND_ORDER[max(0, index - 1) : index + 2])
    return frozenset(found - set(bands))


def _need(activity: ActivityInfo, ctx: Context) -> tuple[float, list[Reason]]:
    matched = [ctx.gaps[c] for c in activity.fitness_components if c in ctx.gaps and ctx.gaps[c].value > 0]
    if not matched:
        return 0.0, ([Reason("need_none")] if ctx.gaps else [])
    matched.sort(key=lambda g: -g.value)
    reasons = [Reason("need", {"component": g.component, "share": pct(g.share_below)}) for g in matched]
    return matched[0].value, reasons


def _variety(activity: ActivityInfo, ctx: Context, cfg: dict) -> tuple[float, list[Reason]]:
    window = cfg["variety"]["window_sessions"]
    value, reasons = 0.0, []
    ago = ctx.recent_activities.get(activity.id)
    if ago is not None and ago <= window:
        value -= 1 - (ago - 1) / window
        reasons.append(Reason("variety_activity", {"ago": ago}))
    cat_ago = ctx.recent_categories.get(activity.category)
    if cat_ago is not None and cat_ago <= window:
        value -= cfg["variety"]["category_factor"] * (1 - (cat_ago - 1) / window)
        reasons.append(Reason("variety_category", {"category": activity.category, "ago": cat_ago}))
    return clip(value, -1.0, 0.0), reasons


def _exclusion(activity: ActivityInfo, ctx: Context) -> list[Reason]:
    reasons = []
    if ctx.equipment is not None:
        missing = sorted(activity.equipment - ctx.equipment)
        if missing:
            reasons.append(Reason("equipment_missing", {"missing": ", ".join(missing)}))
    if activity.space == "pool" and ctx.space and ctx.space != "pool":
        reasons.append(Reason("pool_needed", {"space": ctx.space}))
    env = data.recommendation_config()["environment"]
    if activity.space in env["outdoor_spaces"]:
        for alert in ctx.alerts:
            if alert.level >= env["exclude_outdoor_at_level"]:
                reasons.append(Reason("environment_excluded", {"alert": alert.kind, "level": alert.level}))
    rules = data.restriction_rules()
    for kind in ctx.student_restrictions:
        if restriction_conflict(kind, activity, rules) and not any(
            activity.has_modification(k) for k in restriction_kinds(kind, rules)
        ):
            reasons.append(Reason("restriction_excluded", {"restriction": kind}))
    return reasons


def _feasibility(activity: ActivityInfo, ctx: Context, cfg: dict) -> tuple[float, list[Reason]]:
    spec = cfg["feasibility"]
    value, reasons = 0.0, []
    if ctx.space and activity.space != ctx.space and activity.space != "pool":
        value -= spec["space_mismatch"]
        reasons.append(Reason("space_mismatch", {"activity_space": activity.space, "space": ctx.space}))
    if ctx.class_size and ctx.class_size < activity.min_group_size:
        value -= spec["group_too_small"]
        reasons.append(Reason("group_too_small", {"min": activity.min_group_size, "size": ctx.class_size}))
    if ctx.duration and activity.duration_minutes > ctx.duration:
        over = (activity.duration_minutes - ctx.duration) / ctx.duration
        value -= spec["duration_over_full"] * clip(over, 0.0, 1.0)
        reasons.append(Reason("duration_over", {"duration": activity.duration_minutes, "available": ctx.duration}))
    return clip(value, -1.0, 0.0), reasons


def _grade_fit(activity: ActivityInfo, ctx: Context, cfg: dict) -> tuple[float, list[Reason]]:
    if not ctx.grade_bands or not activity.grade_bands:
        return 0.0, []
    spec = cfg["grade_fit"]
    bands = set(activity.grade_bands)
    if bands & ctx.grade_bands:
        return spec["match"], [Reason("grade_match")]
    if bands & adjacent_bands(ctx.grade_bands):
        return spec["adjacent"], [Reason("grade_adjacent")]
    return spec["other"], [Reason("grade_other")]


def _environment(activity: ActivityInfo, ctx: Context, cfg: dict) -> tuple[float, list[Reason]]:
    value, reasons = 0.0, []
    outdoor = activity.space in cfg["environment"]["outdoor_spaces"]
    for alert in ctx.alerts:
        severity = clip(alert.level / 3, 0.0, 1.0)
        if outdoor:
            value -= severity
            reasons.append(Reason("environment_outdoor", {"alert": alert.kind}))
        if activity.intensity == "vigorous":
            value -= cfg["environment"]["vigorous_extra"] * severity
            reasons.append(Reason("environment_vigorous", {"alert": alert.kind}))
    return clip(value, -1.0, 0.0), reasons


def _risk(activity: ActivityInfo, ctx: Context, cfg: dict) -> tuple[float, list[Reason], list[dict]]:
    spec = cfg["risk"]
    value = -spec["base_per_level"] * (activity.risk_level - 1)
    reasons = [Reason("risk_level", {"level": activity.risk_level})] if activity.risk_level > 1 else []
    modifications = []
    rules = data.restriction_rules()
    size = max(ctx.class_size, 1)
    for kind, count in sorted(ctx.restriction_counts.items()):
        if count and restriction_conflict(kind, activity, rules):
            value -= spec["restriction_share_factor"] * count / size
            reasons.append(Reason("risk_restrictions", {"count": count, "restriction": kind}))
    for kind in ctx.student_restrictions:
        if restriction_conflict(kind, activity, rules):
            mod_kind = next(k for k in restriction_kinds(kind, rules) if activity.has_modification(k))
            reasons.append(Reason("restriction_modified", {"restriction": kind, "kind": mod_kind}))
            modifications.append(
                {"restriction": kind, "kind": mod_kind, "text": activity.modification(mod_kind)["easier"]}
            )
            value -= 0.25
    return clip(value, -1.0, 0.0), reasons, modifications


def _preference(activity: ActivityInfo, ctx: Context, cfg: dict) -> tuple[float, list[Reason]]:
    own = ctx.preferences.get(f"activity:{activity.id}", 0.0)
    category = ctx.preferences.get(f"category:{activity.category}", 0.0)
    value = clip(own + cfg["preference"]["category_share"] * category, -1.0, 1.0)
    if abs(value) < 0.01:
        return 0.0, []
    return value, [Reason("preference_up" if value > 0 else "preference_down", {"value": fmt(value, 2)})]


def _skill_fit(activity: ActivityInfo, ctx: Context) -> tuple[float, list[Reason]]:
    if ctx.skill_level is None:
        return 0.0, []
    distance = abs(activity.difficulty - ctx.skill_level)
    if distance <= 1:
        return 0.0, []
    return -clip((distance - 1) / 3, 0, 1), [
        Reason("skill_fit", {"difficulty": activity.difficulty, "skill": ctx.skill_level})
    ]


def score_activity(activity: ActivityInfo, ctx: Context, weights: dict | None = None, cfg: dict | None = None):
    """A ``Recommendation`` for one activity, or an ``Excluded`` naming why it cannot be done."""
    cfg = cfg or data.recommendation_config()
    weights = {**cfg["weights"], **(weights or {})}
    excluded = _exclusion(activity, ctx)
    if excluded:
        return Excluded(activity, excluded)
    risk_value, risk_reasons, modifications = _risk(activity, ctx, cfg)
    parts = {
        "need": _need(activity, ctx),
        "variety": _variety(activity, ctx, cfg),
        "feasibility": _feasibility(activity, ctx, cfg),
        "grade_fit": _grade_fit(activity, ctx, cfg),
        "environment": _environment(activity, ctx, cfg),
        "risk": (risk_value, risk_reasons),
        "preference": _preference(activity, ctx, cfg),
    }
    if ctx.skill_level is not None:
        parts["skill_fit"] = _skill_fit(activity, ctx)
    components = [Component(name, value, weights[name], reasons) for name, (value, reasons) in parts.items()]
    score = sum(c.points for c in components)
    return Recommendation(activity, score, components, modifications)


def rank(
    activities: list[ActivityInfo],
    ctx: Context,
    *,
    limit: int | None = None,
    weights: dict | None = None,
    cfg: dict | None = None,
) -> tuple[list[Recommendation], list[Excluded]]:
    """Recommendations best first (ties by name) and the activities excluded, with reasons."""
    cfg = cfg or data.recommendation_config()
    ranked, excluded = [], []
    for activity in activities:
        result = score_activity(activity, ctx, weights, cfg)
        (excluded if isinstance(result, Excluded) else ranked).append(result)
    ranked.sort(key=lambda r: (-r.score, r.activity.name, r.activity.id or 0))
    return (ranked[:limit] if limit else ranked), excluded


__all__ = [
    "ActivityInfo",
    "Component",
    "Context",
    "EnvironmentAlert",
    "Excluded",
    "Gap",
    "Recommendation",
    "adjacent_bands",
    "performance_gaps",
    "rank",
    "score_activity",
]


def performance_gaps(
    latest: dict,
    grades: dict,
    medians: dict,
    metrics: dict,
    *,
    min_students: int,
    baseline: float,
) -> dict[str, Gap]:
    """Gaps per fitness component from each student's latest value per metric against the school
    median for their grade: a student is weak in a component when most of their values for its
    metrics are below the median (lower for "higher is better" metrics, higher otherwise);
    ``gap = clip((share weak − baseline) / (1 − baseline), 0, 1)`` over the students with data.

    ``latest`` {student: {metric: value}}, ``grades`` {student: grade}, ``medians``
    {(grade, metric): median}, ``metrics`` {metric: (component, higher_is_better)}.
    """
    counts: dict[str, list[int]] = {}
    for student, values in latest.items():
        verdicts: dict[str, list[bool]] = {}
        for code, value in values.items():
            component, higher_is_better = metrics.get(code, ("", True))
            median_value = medians.get((grades.get(student), code))
            if not component or median_value is None:
                continue
            verdicts.setdefault(component, []).append(
                value < median_value if higher_is_better else value > median_value
            )
        for component, flags in verdicts.items():
            tally = counts.setdefault(component, [0, 0])
            tally[0] += 1 if sum(flags) * 2 > len(flags) else 0
            tally[1] += 1
    gaps = {}
    for component, (weak, total) in counts.items():
        if total < min_students:
            continue
        share = weak / total
        value = clip((share - baseline) / (1 - baseline), 0.0, 1.0) if baseline < 1 else 0.0
        gaps[component] = Gap(component, value, share, total)
    return gaps
