"""Poisson regression of incident counts with an exposure offset, fitted by penalised IRLS
(Newton-Raphson) in pure Python — no ORM, no numpy (the project does not depend on it).

Model, one row per past session ``i``::

    incidents_i ~ Poisson(mu_i),   log mu_i = log(hours_i) + b0 + sum_k b_k * x_ik

``hours_i`` is the participation-hours of the session (participating students x minutes / 60).
A Gaussian prior ``b_k ~ N(m_k, s_k^2)`` (the documented priors of ``safety/data/risk_priors.json``)
is added to the log-likelihood, so the fit is the posterior mode: with little data it stays near
the priors, with a lot the data dominate. Standard errors are the square roots of the diagonal of
the inverse penalised information matrix at the optimum; the deviance is the ordinary Poisson
deviance of the fitted means.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

INTERCEPT = "intercept"


@dataclass
class PoissonFit:
    coefficients: dict[str, float]
    standard_errors: dict[str, float]
    deviance: float
    null_deviance: float
    iterations: int
    converged: bool
    rows: int
    incidents: int
    exposure_hours: float
    names: list[str] = field(default_factory=list)

    def rate_ratio(self, name: str) -> float:
        return math.exp(self.coefficients[name])

    def interval(self, name: str, z: float = 1.959964) -> tuple[float, float]:
        """95% interval of the rate ratio (Wald, on the log scale)."""
        b, se = self.coefficients[name], self.standard_errors[name]
        return math.exp(b - z * se), math.exp(b + z * se)


# ---- small dense linear algebra ------------------------------------------------------------


def cholesky(matrix: list[list[float]]) -> list[list[float]]:
    """Lower-triangular L with L L^T = matrix (symmetric positive definite)."""
    n = len(matrix)
    lower = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            total = matrix[i][j] - sum(lower[i][k] * lower[j][k] for k in range(j))
            if i == j:
                if total <= 0:
                    raise ValueError("matrix is not positive definite")
                lower[i][i] = math.sqrt(total)
            else:
                lower[i][j] = total / lower[j][j]
    return lower


def cholesky_solve(lower: list[list[float]], rhs: list[float]) -> list[float]:
    n = len(lower)
    y = [0.0] * n
    for i in range(n):
        y[i] = (rhs[i] - sum(lower[i][k] * y[k] for k in range(i))) / lower[i][i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(lower[k][i] * x[k] for k in range(i + 1, n))) / lower[i][i]
    return x


def inverse_diagonal(lower: list[list[float]]) -> list[float]:
    """Diagonal of (L L^T)^-1, column by column."""
    n = len(lower)
    diagonal = []
    for j in range(n):
        unit = [1.0 if i == j else 0.0 for i in range(n)]
        diagonal.append(cholesky_solve(lower, unit)[j])
    return diagonal


# ---- the fit ---------------------------------------------------------------------------------


def _penalised_loglik(beta, design, counts, offsets, prior_means, precisions) -> float:
    total = 0.0
    for row, y, off in zip(design, counts, offsets, strict=True):
        eta = off + sum(b * x for b, x in zip(beta, row, strict=True))
        total += y * eta - math.exp(eta)
    penalty = sum(p * (b - m) ** 2 for b, m, p in zip(beta, prior_means, precisions, strict=True))
    return total - 0.5 * penalty


def poisson_deviance(counts: Sequence[float], means: Sequence[float]) -> float:
    total = 0.0
    for y, mu in zip(counts, means, strict=True):
        total += (y * math.log(y / mu) if y > 0 else 0.0) - (y - mu)
    return 2.0 * total


def fit_poisson(
    features: Sequence[Sequence[float]],
    counts: Sequence[int],
    exposure_hours: Sequence[float],
    names: Sequence[str],
    *,
    prior_means: dict[str, float] | None = None,
    prior_sds: dict[str, float] | None = None,
    max_iterations: int = 50,
    tolerance: float = 1e-8,
) -> PoissonFit:
    """Fit ``log E[count] = log(hours) + intercept + sum(b_k x_k)``.

    ``features`` holds one row per observation with one value per name in ``names`` (the
    intercept column is added here). ``prior_means`` / ``prior_sds`` are keyed by name and by
    ``"intercept"``; a missing sd means no penalty for that coefficient. Rows with zero exposure
    carry no information and are skipped."""
    prior_means = prior_means or {}
    prior_sds = prior_sds or {}
    all_names = [INTERCEPT, *names]
    rows = [
        (list(map(float, row)), int(y), float(h))
        for row, y, h in zip(features, counts, exposure_hours, strict=True)
        if h > 0
    ]
    if not rows:
        raise ValueError("no observations with exposure")
    design = [[1.0, *row] for row, _, _ in rows]
    ys = [y for _, y, _ in rows]
    offsets = [math.log(h) for _, _, h in rows]
    total_y = sum(ys)
    total_h = sum(h for _, _, h in rows)
    p = len(all_names)
    means = [float(prior_means.get(name, 0.0)) for name in all_names]
    precisions = [1.0 / prior_sds[name] ** 2 if prior_sds.get(name) else 0.0 for name in all_names]

    beta = list(means)
    if total_y > 0:
        beta[0] = math.log(total_y / total_h)
    current = _penalised_loglik(beta, design, ys, offsets, means, precisions)
    converged = False
    iterations = 0
    lower = None
    for iterations in range(1, max_iterations + 1):  # noqa: B007 — the count is reported
        gradient = [-precisions[j] * (beta[j] - means[j]) for j in range(p)]
        hessian = [[0.0] * p for _ in range(p)]
        for j in range(p):
            hessian[j][j] = precisions[j]
        for row, y, off in zip(design, ys, offsets, strict=True):
            mu = math.exp(off + sum(b * x for b, x in zip(beta, row, strict=True)))
            residual = y - mu
            for j in range(p):
                xj = row[j]
                if xj == 0.0:
                    continue
                gradient[j] += xj * residual
                weighted = mu * xj
                hrow = hessian[j]
                for k in range(j + 1):
                    hrow[k] += weighted * row[k]
        for j in range(p):
            for k in range(j + 1, p):
                hessian[j][k] = hessian[k][j]
        lower = cholesky(hessian)
        step = cholesky_solve(lower, gradient)
        scale = 1.0
        while True:  # step-halving keeps every iteration an ascent step
            candidate = [b + scale * s for b, s in zip(beta, step, strict=True)]
            value = _penalised_loglik(candidate, design, ys, offsets, means, precisions)
            if value >= current - 1e-12 or scale < 1e-6:
                break
            scale /= 2
        change = max(abs(c - b) for c, b in zip(candidate, beta, strict=True))
        beta, current = candidate, value
        if change < tolerance:
            converged = True
            break

    fitted = [
        math.exp(off + sum(b * x for b, x in zip(beta, row, strict=True)))
        for row, off in zip(design, offsets, strict=True)
    ]
    null_rate = total_y / total_h if total_y else 0.0
    null_means = [max(null_rate * math.exp(off), 1e-300) for off in offsets]
    # the information at the optimum (recomputed so SEs match the final beta exactly)
    information = [[precisions[j] if j == k else 0.0 for k in range(p)] for j in range(p)]
    for row, mu in zip(design, fitted, strict=True):
        for j in range(p):
            for k in range(j + 1):
                information[j][k] += mu * row[j] * row[k]
    for j in range(p):
        for k in range(j + 1, p):
            information[j][k] = information[k][j]
    variances = inverse_diagonal(cholesky(information))
    return PoissonFit(
        coefficients={name: b for name, b in zip(all_names, beta, strict=True)},
        standard_errors={name: math.sqrt(v) for name, v in zip(all_names, variances, strict=True)},
        deviance=poisson_deviance(ys, fitted),
        null_deviance=poisson_deviance(ys, null_means) if total_y else 0.0,
        iterations=iterations,
        converged=converged,
        rows=len(rows),
        incidents=total_y,
        exposure_hours=total_h,
        names=all_names,
    )


def enough_history(incidents: int, exposure_hours: float, thresholds: dict) -> bool:
    """Whether a school's history is large enough to fit (else the priors are used)."""
    return incidents >= thresholds["incidents"] and exposure_hours >= thresholds["exposure_hours"]
