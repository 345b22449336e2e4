"""Evaluates an environment rule set against measured values (pure, no ORM).

Rule set format (``EnvironmentRuleSet.rules``)::

    {measure: {"bands": [{"min": x|null, "max": y|null, "decision": "go|modify|indoors|stop",
                          "label": "...", "actions": ["...", ...]}, ...],
               "precision": 0, "source": "..."}}

(a bare list of bands is accepted too). Per measure:

1. the value is rounded to ``precision`` decimals (half up) — the precision the source prints its
   bands in, so "under 82.0" followed by "82.0–86.9" leaves no hole between 81.9 and 82.0;
2. the bands whose inclusive [min, max] contain it apply; if several do (a source's bands overlap
   at an edge, e.g. Lancaster's 80–90 and 90–100) the most restrictive wins, ties to the later band;
3. a value **between** two bands (a gap the source leaves, e.g. Lewisville's heat index 89 between
   "under 89" and "90–98") takes the **more restrictive** of the two neighbouring bands;
4. a value below every band or above every band matches nothing: "go", no actions (the sources
   print only the bands where something must change).

Overall decision = the most restrictive measure decision; actions = union in order (measure order
of the rule set, then band order); every reason names the measure, value, band and source.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DECISIONS = ("go", "modify", "indoors", "stop")  # least → most restrictive
MEASURES = {
    "wbgt_f": ("WBGT", "°F"),
    "heat_index_f": ("Heat index", "°F"),
    "temperature_f": ("Air temperature", "°F"),
    "wind_chill_f": ("Wind chill", "°F"),
    "aqi": ("Air quality index", ""),
    "lightning": ("Lightning", ""),
    "precipitation": ("Rain / snow", ""),
}
FLAG_MEASURES = {"lightning", "precipitation"}


def rank(decision: str) -> int:
    return DECISIONS.index(decision)


def most_restrictive(decisions) -> str:
    return max(decisions, key=rank, default="go")


@dataclass
class MeasureResult:
    measure: str
    value: float | None
    unit: str
    band_label: str
    decision: str
    actions: list[str] = field(default_factory=list)
    source: str = ""
    note: str = ""

    @property
    def name(self) -> str:
        return MEASURES.get(self.measure, (self.measure, ""))[0]


@dataclass
class Evaluation:
    decision: str
    measures: list[MeasureResult]
    actions: list[str]
    reasons: list[str]


def measure_spec(spec) -> dict:
    """Normalises a measure entry to ``{"bands": [...], "precision": int, "source": str}``."""
    if isinstance(spec, list):
        return {"bands": spec, "precision": 0, "source": ""}
    return {"bands": spec.get("bands", []), "precision": spec.get("precision", 0), "source": spec.get("source", "")}


def _round(value: float, precision: int) -> float:
    quantum = Decimal(1).scaleb(-int(precision))
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _contains(band: dict, value: float) -> bool:
    low, high = band.get("min"), band.get("max")
    return (low is None or value >= low) and (high is None or value <= high)


def _pick(bands: list[tuple[int, dict]]) -> dict:
    return max(bands, key=lambda item: (rank(item[1]["decision"]), item[0]))[1]


def find_band(bands: list[dict], value: float) -> tuple[dict | None, str]:
    """The band that applies to ``value`` and how it was found ("in", "gap" or "none")."""
    indexed = list(enumerate(bands))
    inside = [(i, b) for i, b in indexed if _contains(b, value)]
    if inside:
        return _pick(inside), "in"
    below = [(i, b) for i, b in indexed if b.get("max") is not None and b["max"] < value]
    above = [(i, b) for i, b in indexed if b.get("min") is not None and b["min"] > value]
    if below and above:
        nearest_below = max(below, key=lambda item: item[1]["max"])
        nearest_above = min(above, key=lambda item: item[1]["min"])
        return _pick([nearest_below, nearest_above]), "gap"
    return None, "none"


def _fmt(value: float, unit: str, measure: str) -> str:
    if measure in FLAG_MEASURES:
        return "reported" if value else "not reported"
    text = f"{value:g}"
    return f"{text} {unit}".strip()


def evaluate_measure(measure: str, spec, value: float | None, *, default_source: str = "") -> MeasureResult:
    unit = MEASURES.get(measure, (measure, ""))[1]
    spec = measure_spec(spec)
    source = spec["source"] or default_source
    if value is None:
        return MeasureResult(measure, None, unit, "", "go", [], source, note="not measured")
    value = _round(value, spec["precision"])
    band, how = find_band(spec["bands"], value)
    if band is None:
        return MeasureResult(measure, value, unit, "", "go", [], source, note="no band applies")
    note = "between two bands: the more restrictive applies" if how == "gap" else ""
    return MeasureResult(
        measure, value, unit, band.get("label", ""), band["decision"], list(band.get("actions", [])), source, note
    )


def reason_for(result: MeasureResult, rule_set_name: str = "") -> str:
    name = MEASURES.get(result.measure, (result.measure, ""))[0]
    if result.value is None:
        return f"{name}: not measured, not evaluated."
    value = _fmt(result.value, result.unit, result.measure)
    source = result.source or rule_set_name
    if not result.band_label:
        return f"{name} {value}: no band of {source} applies (go)."
    extra = f" ({result.note})" if result.note else ""
    return f'{name} {value} is in band "{result.band_label}"{extra} → {result.decision} ({source}).'


def evaluate(rules: dict, values: dict[str, float | None], *, rule_set_name: str = "") -> Evaluation:
    """Evaluates every measure of ``rules`` that has a value (others are reported as not measured)."""
    # a fixed measure order (PostgreSQL's jsonb does not keep the keys in the order they were written)
    order = {measure: index for index, measure in enumerate(MEASURES)}
    results = [
        evaluate_measure(measure, rules[measure], values.get(measure), default_source=rule_set_name)
        for measure in sorted(rules, key=lambda key: (order.get(key, len(order)), key))
        if not measure.startswith("_")
    ]
    actions: list[str] = []
    for result in results:
        for action in result.actions:
            if action not in actions:
                actions.append(action)
    return Evaluation(
        decision=most_restrictive(r.decision for r in results if r.value is not None),
        measures=results,
        actions=actions,
        reasons=[reason_for(r, rule_set_name) for r in results],
    )


def validate_rules(rules) -> list[str]:
    """Problems with a rule set (empty when well formed): known measures, bands with a valid
    decision, numeric bounds with min ≤ max and at least one bound, actions a list of text."""
    if not isinstance(rules, dict) or not rules:
        return ["Rules must be an object with at least one measure."]
    errors = []
    for measure, raw in rules.items():
        if measure not in MEASURES:
            errors.append(f"Unknown measure {measure!r} (known: {', '.join(MEASURES)}).")
            continue
        if not isinstance(raw, list | dict):
            errors.append(f"{measure}: must be a list of bands or an object with bands.")
            continue
        if isinstance(raw, dict):
            unknown = set(raw) - {"bands", "precision", "source"}
            if unknown:
                errors.append(f"{measure}: unknown keys {', '.join(sorted(unknown))}.")
            precision = raw.get("precision", 0)
            if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 2:
                errors.append(f"{measure}: precision must be 0, 1 or 2.")
            if not isinstance(raw.get("source", ""), str):
                errors.append(f"{measure}: source must be text.")
        bands = measure_spec(raw)["bands"]
        if not isinstance(bands, list) or not bands:
            errors.append(f"{measure}: at least one band is needed.")
            continue
        for number, band in enumerate(bands, start=1):
            errors += [f"{measure} band {number}: {problem}" for problem in _band_problems(band)]
    return errors


def _band_problems(band) -> list[str]:
    if not isinstance(band, dict):
        return ["must be an object."]
    problems = []
    unknown = set(band) - {"min", "max", "decision", "label", "actions"}
    if unknown:
        problems.append(f"unknown keys {', '.join(sorted(unknown))}.")
    low, high = band.get("min"), band.get("max")
    for key, bound in (("min", low), ("max", high)):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
            problems.append(f"{key} must be a number or null.")
    if low is None and high is None:
        problems.append("give a min, a max or both.")
    elif isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        problems.append("min must not be greater than max.")
    if band.get("decision") not in DECISIONS:
        problems.append(f"decision must be one of {', '.join(DECISIONS)}.")
    if not isinstance(band.get("label", ""), str) or not str(band.get("label", "")).strip():
        problems.append("a label is needed.")
    actions = band.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, str) and a.strip() for a in actions):
        problems.append("actions must be a list of non-empty texts.")
    return problems
