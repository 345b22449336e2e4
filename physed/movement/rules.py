"""Form faults per repetition from the movement's rule set, and the form score.

Each fault rule names a series, an aggregate over the repetition, an operator and a threshold:

* ``min`` / ``max``: lowest / highest value in the repetition's window (top to top);
* ``at_bottom``: value at the bottom frame; ``around_bottom``: mean within ±``around_s`` of it
  (robust to landmark jitter); ``rise``: ``around_bottom`` minus the same mean around the first top;
* ``symmetry``: symmetry index of the left and right ``<series>`` ranges of motion in the
  repetition, SI = |L − R| / ((L + R) / 2) × 100 (%);
* ``front_at_bottom``: ``<series>_<side>`` of the front leg at the bottom (the leg whose hip is
  more flexed there).

score = 100 − Σ weight × (repetitions with the fault / repetitions), rounded, never below 0.
A rule that cannot be judged from this capture (2D from the wrong side, no 3D, landmarks the
layout lacks) is listed as not assessed and costs nothing.
"""

from physed.movement.data import settings, text
from physed.movement.reps import Rep
from physed.movement.series import SeriesBuilder


def symmetry_index(left: float, right: float) -> float:
    average = (left + right) / 2
    return abs(left - right) / average * 100 if average else 0.0


def _window(values, rep: Rep):
    return values[rep.window_start : rep.window_end + 1]


def _range(values, rep: Rep) -> float:
    window = _window(values, rep)
    return max(window) - min(window)


def front_side(builder: SeriesBuilder, rep: Rep) -> str:
    left, right = builder.get("hip_left"), builder.get("hip_right")
    if left is None or right is None:
        return "left" if right is None else "right"
    return "left" if left[rep.bottom] <= right[rep.bottom] else "right"


def _around(values, index: int, half: int) -> float:
    window = values[max(index - half, 0) : index + half + 1]
    return sum(window) / len(window)


def rep_value(builder: SeriesBuilder, metric: dict, rep: Rep) -> float | None:
    series, aggregate = metric["series"], metric["aggregate"]
    if aggregate == "symmetry":
        left, right = builder.get(f"{series}_left"), builder.get(f"{series}_right")
        if left is None or right is None:
            return None
        return symmetry_index(_range(left, rep), _range(right, rep))
    if aggregate == "front_at_bottom":
        values = builder.get(f"{series}_{front_side(builder, rep)}")
        return None if values is None else values[rep.bottom]
    values = builder.get(series)
    if values is None:
        return None
    if aggregate == "min":
        return min(_window(values, rep))
    if aggregate == "max":
        return max(_window(values, rep))
    if aggregate == "at_bottom":
        return values[rep.bottom]
    half = round(settings()["smoothing"]["around_s"] * builder.sequence.fps)
    if aggregate == "around_bottom":
        return _around(values, rep.bottom, half)
    if aggregate == "rise":
        return _around(values, rep.bottom, half) - _around(values, rep.window_start, half)
    raise ValueError(f"unknown aggregate {aggregate}")


def _series_names(metric: dict) -> list[str]:
    series = metric["series"]
    if metric["aggregate"] in ("symmetry", "front_at_bottom"):
        return [f"{series}_left", f"{series}_right"]
    return [series]


def not_assessed_reason(builder: SeriesBuilder, rule: dict) -> str | None:
    if rule.get("requires_3d") and builder.sequence.dimensions != 3:
        return "needs 3D landmarks"
    needed = rule.get("requires_landmarks", [])
    if needed and not builder.has(*needed):
        return f"the {builder.sequence.layout} layout has no {', '.join(needed)}"
    if not builder.measurable(rule["plane"], rule["metric"]["series"]):
        return f"not measurable in a 2D {builder.view()} view"
    if any(builder.get(name) is None for name in _series_names(rule["metric"])):
        return "the landmarks it needs were not captured"
    return None


def _breaks(value: float, rule: dict) -> bool:
    return value > rule["threshold"] if rule["operator"] == ">" else value < rule["threshold"]


def evaluate(builder: SeriesBuilder, rules: dict, reps: list[Rep], rep_rows: list[dict]):
    """Fills ``rep_rows[i]["metrics"]`` / ``["faults"]``; returns (faults, not_assessed, score)."""
    faults, not_assessed = [], []
    total = len(reps)
    lost = 0.0
    for rule in rules["faults"]:
        reason = not_assessed_reason(builder, rule)
        if reason:
            not_assessed.append({"code": rule["code"], "label": text(rule["label"]), "reason": reason})
            continue
        affected, values = [], []
        for rep, row in zip(reps, rep_rows, strict=True):
            value = rep_value(builder, rule["metric"], rep)
            if value is None:
                continue
            row["metrics"][rule["code"]] = round(value, 3)
            if _breaks(value, rule):
                affected.append(rep.index)
                values.append(value)
                row["faults"].append(rule["code"])
        if not affected:
            continue
        points = rule["weight"] * len(affected) / total
        lost += points
        worst = max(values) if rule["operator"] == ">" else min(values)
        faults.append(
            {
                "code": rule["code"],
                "label": text(rule["label"]),
                "cue": text(rule["cue"]),
                "reps": affected,
                "reps_affected": len(affected),
                "share": round(len(affected) / total, 3),
                "weight": rule["weight"],
                "points_lost": round(points, 1),
                "operator": rule["operator"],
                "threshold": rule["threshold"],
                "unit": rule["unit"],
                "worst_value": round(worst, 3),
                "mean_value": round(sum(values) / len(values), 3),
            }
        )
    faults.sort(key=lambda f: -f["points_lost"])
    score = max(0, round(100 - lost)) if total else None
    return faults, not_assessed, score


def symmetry_report(builder: SeriesBuilder, rules: dict, reps: list[Rep]) -> list[dict]:
    report = []
    for item in rules.get("symmetry", []):
        joint = item["joint"]
        left, right = builder.get(f"{joint}_left"), builder.get(f"{joint}_right")
        if not reps or left is None or right is None or not builder.measurable(item["plane"], joint):
            continue
        left_roms = [_range(left, rep) for rep in reps]
        right_roms = [_range(right, rep) for rep in reps]
        per_rep = [symmetry_index(a, b) for a, b in zip(left_roms, right_roms, strict=True)]
        report.append(
            {
                "joint": joint,
                "left_rom": round(sum(left_roms) / len(reps), 1),
                "right_rom": round(sum(right_roms) / len(reps), 1),
                "index_pct": round(sum(per_rep) / len(per_rep), 1),
            }
        )
    return report
