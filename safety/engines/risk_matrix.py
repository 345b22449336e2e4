"""The 5 × 5 risk matrix, with no ORM: a hazard's score is likelihood × severity (each 1–5, so
1–25); the band a score falls in (and what that band requires) comes from the band rows given —
``RiskBand`` model rows or any objects with ``code``, ``name``, ``min_score``, ``max_score``,
``activity_allowed`` and ``required_action``.

An assessment's summary: each hazard's band before and after its controls, the highest initial
and residual scores, and whether the activity may go ahead (every hazard's residual band allows
it), plus the 5 × 5 heat-map counts of initial and residual positions.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SCALE = range(1, 6)
MIN_SCORE, MAX_SCORE = 1, 25


def _check_level(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise ValueError(f"{name} must be a whole number 1–5, got {value!r}")
    return value


def score(likelihood: int, severity: int) -> int:
    """likelihood × severity; ValueError outside 1–5."""
    return _check_level("likelihood", likelihood) * _check_level("severity", severity)


def band_for(bands: Iterable, value: int):
    """The band whose range holds ``value``, or None."""
    for band in bands:
        if band.min_score <= value <= band.max_score:
            return band
    return None


def coverage_problems(bands: Sequence) -> list[str]:
    """What is wrong with a set of bands: each range inside 1–25 with min ≤ max, codes unique, and
    together every score 1..25 covered exactly once. Empty list = a valid set."""
    problems: list[str] = []
    if not bands:
        return ["no bands given"]
    codes = [band.code for band in bands]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        problems.append(f"duplicate keys: {', '.join(duplicates)}")
    covered: dict[int, list[str]] = {value: [] for value in range(MIN_SCORE, MAX_SCORE + 1)}
    for band in bands:
        low, high = band.min_score, band.max_score
        if not (MIN_SCORE <= low <= MAX_SCORE and MIN_SCORE <= high <= MAX_SCORE):
            problems.append(f"{band.code}: scores must be within {MIN_SCORE}–{MAX_SCORE}")
            continue
        if low > high:
            problems.append(f"{band.code}: 'from' {low} is above 'to' {high}")
            continue
        for value in range(low, high + 1):
            covered[value].append(band.code)
    gaps = [value for value, owners in covered.items() if not owners]
    overlaps = [value for value, owners in covered.items() if len(owners) > 1]
    if gaps:
        problems.append(f"scores not in any band: {_ranges(gaps)}")
    if overlaps:
        problems.append(f"scores in more than one band: {_ranges(overlaps)}")
    return problems


def _ranges(values: list[int]) -> str:
    parts, start, prev = [], values[0], values[0]
    for value in [*values[1:], None]:
        if value is not None and value == prev + 1:
            prev = value
            continue
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
        if value is not None:
            start = prev = value
    return ", ".join(parts)


def tones(bands: Sequence) -> dict[str, int]:
    """A colour tone 1 (lowest band) … 4 (highest band) per band code, for CSS classes: a school's
    own bands get the same four tones whatever their keys."""
    ordered = sorted(bands, key=lambda band: band.min_score)
    if len(ordered) == 1:
        return {ordered[0].code: 1}
    last = len(ordered) - 1
    return {band.code: 1 + round(index * 3 / last) for index, band in enumerate(ordered)}


@dataclass(frozen=True)
class HazardInput:
    likelihood: int
    severity: int
    residual_likelihood: int
    residual_severity: int
    label: str = ""


@dataclass
class HazardResult:
    label: str
    score: int
    residual_score: int
    band: object | None
    residual_band: object | None

    @property
    def allows_activity(self) -> bool:
        return self.residual_band is not None and bool(self.residual_band.activity_allowed)


@dataclass
class Summary:
    hazards: list[HazardResult]
    highest_initial: int | None
    highest_residual: int | None
    initial_band: object | None
    residual_band: object | None
    may_proceed: bool
    blocking: list[HazardResult] = field(default_factory=list)
    initial_heat_map: list[list[int]] = field(default_factory=list)
    residual_heat_map: list[list[int]] = field(default_factory=list)


def heat_map(positions: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Counts per cell: ``grid[likelihood - 1][severity - 1]``."""
    grid = [[0] * 5 for _ in SCALE]
    for likelihood, severity in positions:
        score(likelihood, severity)
        grid[likelihood - 1][severity - 1] += 1
    return grid


def summarise(hazards: Sequence, bands: Sequence) -> Summary:
    """``hazards``: objects with likelihood, severity, residual_likelihood, residual_severity (and
    optionally description). With no hazards nothing is known: ``may_proceed`` is False."""
    results = []
    for hazard in hazards:
        initial = score(hazard.likelihood, hazard.severity)
        residual = score(hazard.residual_likelihood, hazard.residual_severity)
        results.append(
            HazardResult(
                label=getattr(hazard, "description", "") or getattr(hazard, "label", ""),
                score=initial,
                residual_score=residual,
                band=band_for(bands, initial),
                residual_band=band_for(bands, residual),
            )
        )
    highest_initial = max((r.score for r in results), default=None)
    highest_residual = max((r.residual_score for r in results), default=None)
    blocking = [r for r in results if not r.allows_activity]
    return Summary(
        hazards=results,
        highest_initial=highest_initial,
        highest_residual=highest_residual,
        initial_band=band_for(bands, highest_initial) if highest_initial else None,
        residual_band=band_for(bands, highest_residual) if highest_residual else None,
        may_proceed=bool(results) and not blocking,
        blocking=blocking,
        initial_heat_map=heat_map((h.likelihood, h.severity) for h in hazards),
        residual_heat_map=heat_map((h.residual_likelihood, h.residual_severity) for h in hazards),
    )


@dataclass
class MatrixCell:
    likelihood: int
    severity: int
    score: int
    band: object | None
    tone: int
    initial: int
    residual: int


def matrix_rows(bands: Sequence, summary: Summary | None = None) -> list[list[MatrixCell]]:
    """The matrix for display: rows likelihood 5 (top) … 1, columns severity 1 … 5; each cell with
    its band, colour tone and how many hazards sit there before / after controls."""
    tone_of = tones(bands) if bands else {}
    rows = []
    for likelihood in reversed(SCALE):
        row = []
        for severity in SCALE:
            value = likelihood * severity
            band = band_for(bands, value)
            row.append(
                MatrixCell(
                    likelihood=likelihood,
                    severity=severity,
                    score=value,
                    band=band,
                    tone=tone_of.get(band.code, 0) if band is not None else 0,
                    initial=summary.initial_heat_map[likelihood - 1][severity - 1] if summary else 0,
                    residual=summary.residual_heat_map[likelihood - 1][severity - 1] if summary else 0,
                )
            )
        rows.append(row)
    return rows
