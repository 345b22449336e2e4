"""Goal forecast engine: a straight-line trend fitted by ordinary least squares, projected to the
deadline with a t-based prediction interval and the probability of reaching the target.

Pure Python (no numpy). With ``n`` points ``(x_i, y_i)`` (``x`` = days since the goal's start):

* slope ``b = Sxy / Sxx``, intercept ``a = ȳ − b·x̄`` (``Sxx = Σ(x−x̄)²``, ``Sxy = Σ(x−x̄)(y−ȳ)``);
* residual standard error ``s = √(SSE / (n − 2))``;
* at the deadline ``x₀``: projection ``ŷ₀ = a + b·x₀`` and the standard error of the *prediction*
  of one new value ``se = s·√(1 + 1/n + (x₀ − x̄)² / Sxx)``;
* prediction interval ``ŷ₀ ± t(1 − α/2; n − 2)·se`` for 80 % and 95 %;
* ``(Y₀ − ŷ₀) / se`` follows Student's t with ``n − 2`` degrees of freedom, so the chance of
  reaching the target ``T`` is ``P = 1 − F_t((T − ŷ₀)/se)`` when higher is better and
  ``F_t((T − ŷ₀)/se)`` when lower is better. "On track" means ``P ≥ 0.5``.

(Montgomery, Peck & Vining, *Introduction to Linear Regression Analysis*, 5th ed., §2.5 — the
prediction interval of a new observation.) Student's t distribution is computed exactly through
the regularized incomplete beta function (continued fraction, Numerical Recipes 3rd ed. §6.4),
quantiles by bisection to 1e-10 — no normal approximation. A perfect line (``s = 0``) gives a
zero-width interval and a probability of exactly 0 or 1.

Fewer than 3 points (or all on one day) give no forecast, with the reason.
"""

import math
from dataclasses import dataclass, field

MIN_POINTS = 3
LEVELS = (80, 95)

NO_FORECAST_TOO_FEW = "too_few_points"
NO_FORECAST_ONE_DAY = "single_day"


# --- Student's t distribution -------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom."""
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (bisection on ``t_cdf`` to 1e-10)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be in (0, 1)")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    while high - low > 1e-10 * max(1.0, high):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


# --- the fit --------------------------------------------------------------------------------------


@dataclass
class Forecast:
    ok: bool
    reason: str = ""  # why there is no forecast (NO_FORECAST_*), empty when ok
    points: int = 0
    slope_per_day: float | None = None
    intercept: float | None = None
    residual_se: float | None = None
    deadline_x: float | None = None
    projected: float | None = None
    se_prediction: float | None = None
    degrees_of_freedom: int | None = None
    intervals: dict[int, tuple[float, float]] = field(default_factory=dict)
    probability: float | None = None
    on_track: bool | None = None
    r_squared: float | None = None

    @property
    def slope_per_week(self) -> float | None:
        return None if self.slope_per_day is None else self.slope_per_day * 7


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float, float, float]:
    """(slope, intercept, residual SE, Sxx, x̄) of the least-squares line; needs n ≥ 3, Sxx > 0."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    sse = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, math.sqrt(max(sse, 0.0) / (n - 2)), sxx, mean_x


def forecast(xs: list[float], ys: list[float], *, at: float, target: float, higher_is_better: bool = True) -> Forecast:
    """Fit ``ys`` on ``xs`` and forecast the value at ``x = at`` (see the module docstring)."""
    n = len(xs)
    if n < MIN_POINTS:
        return Forecast(ok=False, reason=NO_FORECAST_TOO_FEW, points=n)
    if len(set(xs)) < 2:
        return Forecast(ok=False, reason=NO_FORECAST_ONE_DAY, points=n)
    slope, intercept, s, sxx, mean_x = fit(xs, ys)
    mean_y = sum(ys) / n
    syy = sum((y - mean_y) ** 2 for y in ys)
    sse = s * s * (n - 2)
    # a perfect line: rounding leaves ~1e-15 residuals; treat relative noise below 1e-12 as none
    scale = max(1.0, max(abs(y) for y in ys))
    if s < 1e-12 * scale:
        s, sse = 0.0, 0.0
    df = n - 2
    projected = intercept + slope * at
    se = s * math.sqrt(1.0 + 1.0 / n + (at - mean_x) ** 2 / sxx)
    intervals = {}
    for level in LEVELS:
        half = t_quantile(1.0 - (1.0 - level / 100.0) / 2.0, df) * se
        intervals[level] = (projected - half, projected + half)
    if se == 0.0:
        reached = projected >= target if higher_is_better else projected <= target
        probability = 1.0 if reached else 0.0
    else:
        below = t_cdf((target - projected) / se, df)
        probability = 1.0 - below if higher_is_better else below
    return Forecast(
        ok=True,
        points=n,
        slope_per_day=slope,
        intercept=intercept,
        residual_se=s,
        deadline_x=at,
        projected=projected,
        se_prediction=se,
        degrees_of_freedom=df,
        intervals=intervals,
        probability=probability,
        on_track=probability >= 0.5,
        r_squared=(1.0 - sse / syy) if syy > 0 else 1.0,
    )
