"""The explainable risk score of a planned session (safety §7) — pure, no ORM.

* ``features(inputs)`` turns what is known about a session (``SessionInputs``) into the model's
  covariates x_k (documented per factor in ``safety/data/risk_priors.json``).
* The rate model: expected incidents per participation-hour ``lambda = exp(b0 + sum b_k x_k)``; the
  session's expected incidents = ``lambda x participants x minutes / 60``.
* The score depends on the session's rate relative to the school's reference session
  (every x_k = 0): ``RR = exp(L)`` with ``L = sum b_k x_k`` and ``score = 100 * RR / (RR + k)``
  (``k`` = ``score.reference_relative_rate``). The reference session scores ``100 / (1 + k)``.
* The explanation adds up: factor k gets ``(score - baseline) * (b_k x_k) / L`` points — the
  score's change split in proportion to each factor's share of the log rate ratio — then rounded
  to tenths with the largest-remainder method, so ``baseline + sum(points) == score`` exactly at
  the displayed precision (one decimal).
"""

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from safety.engines.risk_model import INTERCEPT

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "risk_priors.json"


@functools.cache
def config() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def factor_keys(cfg: dict | None = None) -> list[str]:
    return [factor["key"] for factor in (cfg or config())["factors"]]


def prior_coefficients(cfg: dict | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """(means, sds) of the coefficients on the log scale, intercept in log incidents per hour."""
    cfg = cfg or config()
    means = {INTERCEPT: math.log(cfg["baseline"]["rate_per_1000_hours"] / 1000.0)}
    sds = {INTERCEPT: cfg["baseline"]["prior_sd"]}
    for factor in cfg["factors"]:
        means[factor["key"]] = math.log(factor["prior_rate_ratio"])
        sds[factor["key"]] = factor["prior_sd"]
    return means, sds


@dataclass(frozen=True)
class SessionInputs:
    """What is known about a session, as the scoring and the fit both see it."""

    activity_level: float  # minutes-weighted mean risk level of the blocks, 1 (low) to 4 (high)
    environment: str  # go / modify / indoors / stop
    participants: int
    restricted: int  # participants with an active restriction
    recent_injuries: int  # participants injured in the last 30 days
    adults: int  # supervising adults (the class's teachers)
    ratio: int | None  # students per adult allowed, None = no ratio known
    flagged_items: int  # flagged / failed / overdue / out-of-service items the plan needs
    minutes: int  # planned minutes

    @property
    def participation_hours(self) -> float:
        return self.participants * self.minutes / 60.0


def features(inputs: SessionInputs, cfg: dict | None = None) -> dict[str, float]:
    cfg = cfg or config()
    people = max(inputs.participants, 0)
    by_key = {factor["key"]: factor for factor in cfg["factors"]}
    if inputs.ratio and inputs.adults > 0 and people:
        excess = max(0.0, people / (inputs.adults * inputs.ratio) - 1.0)
    elif inputs.ratio and people:  # nobody to supervise: count as double the allowed load
        excess = max(1.0, people / inputs.ratio)
    else:
        excess = 0.0
    return {
        "activity": max(0.0, min(3.0, inputs.activity_level - 1.0)),
        "environment": float(cfg["environment_steps"].get(inputs.environment, 0)),
        "restricted": min(inputs.restricted, people) / people if people else 0.0,
        "recent_injury": min(inputs.recent_injuries, people) / people if people else 0.0,
        "supervision": excess,
        "equipment": float(min(inputs.flagged_items, by_key["equipment"].get("cap", 5))),
    }


@dataclass(frozen=True)
class Contribution:
    key: str
    feature: float  # x_k
    coefficient: float  # b_k
    log_rate_ratio: float  # b_k * x_k
    points: float  # score points (tenths), the explanation

    @property
    def rate_ratio(self) -> float:
        return math.exp(self.log_rate_ratio)


@dataclass(frozen=True)
class ScoreResult:
    score: float
    baseline: float
    band: dict
    relative_rate: float
    rate_per_1000_hours: float
    expected_incidents: float
    participation_hours: float
    contributions: list[Contribution] = field(default_factory=list)


def score_from_log_rate(log_rr: float, cfg: dict | None = None) -> float:
    k = (cfg or config())["score"]["reference_relative_rate"]
    rr = math.exp(log_rr)
    return 100.0 * rr / (rr + k)


def band_for(score: float, cfg: dict | None = None) -> dict:
    bands = sorted((cfg or config())["bands"], key=lambda band: band["min"])
    chosen = bands[0]
    for band in bands:
        if score >= band["min"]:
            chosen = band
    return chosen


def _tenths(value: float) -> int:
    return math.floor(value * 10 + 0.5)


def split_points(total_tenths: int, raw: list[float]) -> list[int]:
    """Round ``raw`` (score points) to tenths so they add up to ``total_tenths`` exactly
    (largest remainder; ties go to the larger contribution)."""
    scaled = [value * 10 for value in raw]
    floors = [math.floor(value) for value in scaled]
    remainder = total_tenths - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (scaled[i] - floors[i], abs(scaled[i])), reverse=True)
    result = list(floors)
    if not order:
        return result
    step = 1 if remainder >= 0 else -1
    i = 0
    while remainder != 0:
        index = order[i % len(order)] if step > 0 else order[-1 - (i % len(order))]
        result[index] += step
        remainder -= step
        i += 1
    return result


def score(inputs: SessionInputs, coefficients: dict[str, float], cfg: dict | None = None) -> ScoreResult:
    """Score ``inputs`` with ``coefficients`` (``{"intercept": log rate per hour, factor: log RR}``)."""
    cfg = cfg or config()
    xs = features(inputs, cfg)
    keys = factor_keys(cfg)
    terms = [(key, xs[key], coefficients.get(key, 0.0)) for key in keys]
    log_parts = [x * b for _, x, b in terms]
    log_rr = sum(log_parts)
    baseline_exact = score_from_log_rate(0.0, cfg)
    score_exact = score_from_log_rate(log_rr, cfg)
    if abs(log_rr) > 1e-12:
        per_log = (score_exact - baseline_exact) / log_rr
    else:  # the derivative of the score at the baseline: 100 k / (1 + k)^2
        k = cfg["score"]["reference_relative_rate"]
        per_log = 100.0 * k / (1.0 + k) ** 2
    raw_points = [part * per_log for part in log_parts]
    score_tenths, baseline_tenths = _tenths(score_exact), _tenths(baseline_exact)
    points = split_points(score_tenths - baseline_tenths, raw_points)
    rate = math.exp(coefficients.get(INTERCEPT, 0.0) + log_rr)
    contributions = [
        Contribution(key=key, feature=x, coefficient=b, log_rate_ratio=part, points=tenths / 10)
        for (key, x, b), part, tenths in zip(terms, log_parts, points, strict=True)
    ]
    final = score_tenths / 10
    return ScoreResult(
        score=final,
        baseline=baseline_tenths / 10,
        band=band_for(final, cfg),
        relative_rate=math.exp(log_rr),
        rate_per_1000_hours=rate * 1000.0,
        expected_incidents=rate * inputs.participation_hours,
        participation_hours=inputs.participation_hours,
        contributions=contributions,
    )
