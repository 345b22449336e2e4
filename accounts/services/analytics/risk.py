"""Disengagement risk for staff users: a logistic regression fitted from the school's own history.

Features of a user at a reference day ``t`` (from their activity before ``t``):

* ``days_since_last``   days since their last activity (capped at 60)
* ``active_days``       active days in the 28 days before ``t``
* ``active_days_trend`` active days in the last 14 days minus in the 14 before
* ``feature_share``     features (route groups) they used in the 28 days / features the school used
* ``session_change``    sessions in the last 14 days minus in the 14 before

Label (training only): 1 if the user had **no** activity in the ``horizon`` (28) days after ``t``.
Training examples: every staff user who was active in the 28 days before ``t``, for reference days
every 7 days across the history that has a full horizon after it. Features are standardised;
the fit is L2-regularised Newton–Raphson (IRLS) in plain Python (5 features: a 6×6 solve per
step). A score is ``sigmoid(intercept + Σ coefficient × z)`` and is explained as the named
contributions ``coefficient × z`` (positive = raises the risk). With fewer than
``RISK_MIN_SAMPLES`` examples, or fewer than ``RISK_MIN_PER_CLASS`` of either label, no model is
fitted and no score is shown (``InsufficientData``).
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, ActivityEvent, Membership, RiskModelFit

FEATURES = ["days_since_last", "active_days", "active_days_trend", "feature_share", "session_change"]
FEATURE_LABELS = {
    "days_since_last": _("Days since last activity"),
    "active_days": _("Active days in the last 4 weeks"),
    "active_days_trend": _("Change in active days (last 2 weeks vs the 2 before)"),
    "feature_share": _("Share of the school's features used"),
    "session_change": _("Change in sessions (last 2 weeks vs the 2 before)"),
}
WINDOW = 28
HALF = 14
STEP_DAYS = 7
HISTORY_DAYS = 182
SESSION_GAP = timedelta(minutes=30)


class InsufficientData(Exception):
    """Too little history to fit (or use) a model; ``str()`` says why."""


@dataclass
class History:
    """One user's activity by day: {date: set(route groups)} and session starts by day."""

    days: dict
    sessions: dict

    @classmethod
    def empty(cls) -> "History":
        return cls(days=defaultdict(set), sessions=defaultdict(int))

    def add(self, when, group: str, new_session: bool) -> None:
        day = when.date() if hasattr(when, "date") else when
        self.days[day].add(group or "")
        if new_session:
            self.sessions[day] += 1


def histories_from_rows(rows) -> dict[int, History]:
    """(user_id, occurred_at, route_group) rows ordered by user and time → {user_id: History}."""
    result: dict[int, History] = {}
    last_user, last_time = None, None
    for user_id, at, group in rows:
        history = result.setdefault(user_id, History.empty())
        new_session = user_id != last_user or at - last_time > SESSION_GAP
        history.add(at, group, new_session)
        last_user, last_time = user_id, at
    return result


def _count_days(history: History, start: date, end: date) -> int:
    return sum(1 for day in history.days if start <= day < end)


def _count_sessions(history: History, start: date, end: date) -> int:
    return sum(count for day, count in history.sessions.items() if start <= day < end)


def features_at(history: History, t: date, school_features: int) -> list[float] | None:
    """The feature vector at day ``t`` (activity strictly before ``t``), or None when the user had
    no activity in the 28 days before ``t`` (already inactive: nothing to predict)."""
    start, middle = t - timedelta(days=WINDOW), t - timedelta(days=HALF)
    recent = [day for day in history.days if start <= day < t]
    if not recent:
        return None
    last = max(recent)
    groups = set().union(*(history.days[day] for day in recent)) - {""}
    return [
        float(min(60, (t - last).days)),
        float(len(recent)),
        float(_count_days(history, middle, t) - _count_days(history, start, middle)),
        len(groups) / school_features if school_features else 0.0,
        float(_count_sessions(history, middle, t) - _count_sessions(history, start, middle)),
    ]


def inactive_after(history: History, t: date, horizon: int) -> int:
    return int(not any(t <= day < t + timedelta(days=horizon) for day in history.days))


def school_feature_count(histories: dict[int, History], t: date) -> int:
    start = t - timedelta(days=WINDOW)
    groups = set()
    for history in histories.values():
        for day, day_groups in history.days.items():
            if start <= day < t:
                groups |= day_groups
    return len(groups - {""})


def training_set(histories: dict[int, History], *, today: date, horizon: int = 28):
    """(X, y) over reference days every 7 days with a full horizon before ``today``."""
    all_days = [day for h in histories.values() for day in h.days]
    if not all_days:
        return [], []
    X, y = [], []
    t = min(all_days) + timedelta(days=WINDOW)
    while t + timedelta(days=horizon) <= today:
        school_features = school_feature_count(histories, t)
        for history in histories.values():
            vector = features_at(history, t, school_features)
            if vector is not None:
                X.append(vector)
                y.append(inactive_after(history, t, horizon))
        t += timedelta(days=STEP_DAYS)
    return X, y


# --- the regression ---------------------------------------------------------------------------
def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (small, dense systems)."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col:
                factor = a[r][col] / a[col][col]
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    return [a[i][n] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(n)]


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def standardise(X: list[list[float]]) -> tuple[list[float], list[float]]:
    n, k = len(X), len(X[0])
    means = [sum(row[j] for row in X) / n for j in range(k)]
    stds = []
    for j in range(k):
        var = sum((row[j] - means[j]) ** 2 for row in X) / n
        stds.append(math.sqrt(var) if var > 1e-12 else 1.0)
    return means, stds


def fit_logistic(
    Z: list[list[float]], y: list[int], *, l2: float = 1.0, iterations: int = 50
) -> tuple[float, list[float]]:
    """L2-regularised logistic regression by Newton–Raphson on standardised features ``Z``;
    returns (intercept, coefficients). The intercept is not penalised."""
    k = len(Z[0]) + 1
    w = [0.0] * k
    rows = [[1.0, *z] for z in Z]
    for _step in range(iterations):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, label in zip(rows, y, strict=True):
            p = sigmoid(sum(wi * xi for wi, xi in zip(w, x, strict=True)))
            weight = max(p * (1 - p), 1e-9)
            for i in range(k):
                grad[i] += (p - label) * x[i]
                for j in range(i, k):
                    hess[i][j] += weight * x[i] * x[j]
        for i in range(k):
            for j in range(i):
                hess[i][j] = hess[j][i]
        for i in range(1, k):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w[0], w[1:]


def auc(scores: list[float], labels: list[int]) -> float | None:
    """Area under the ROC curve (Mann–Whitney, ties count half); None without both classes."""
    positives = [s for s, label in zip(scores, labels, strict=True) if label]
    negatives = [s for s, label in zip(scores, labels, strict=True) if not label]
    if not positives or not negatives:
        return None
    wins = 0.0
    for p in positives:
        for q in negatives:
            wins += 1.0 if p > q else 0.5 if p == q else 0.0
    return wins / (len(positives) * len(negatives))


@dataclass
class Model:
    features: list[str]
    means: list[float]
    stds: list[float]
    coefficients: list[float]
    intercept: float

    @classmethod
    def from_fit(cls, fit: RiskModelFit) -> "Model":
        return cls(fit.features, fit.means, fit.stds, fit.coefficients, fit.intercept)

    def explain(self, vector: list[float]) -> dict:
        """{"risk": 0–1, "factors": [{"feature", "label", "value", "contribution"}] (largest first)}"""
        factors = []
        for name, value, mean, std, coef in zip(
            self.features, vector, self.means, self.stds, self.coefficients, strict=True
        ):
            factors.append(
                {
                    "feature": name,
                    "label": str(FEATURE_LABELS.get(name, name)),
                    "value": round(value, 3),
                    "contribution": round(coef * (value - mean) / std, 4),
                }
            )
        logit = self.intercept + sum(f["contribution"] for f in factors)
        factors.sort(key=lambda f: -abs(f["contribution"]))
        return {"risk": round(sigmoid(logit), 4), "factors": factors}

    def score(self, vector: list[float]) -> float:
        return self.explain(vector)["risk"]


def fit_model(X: list[list[float]], y: list[int]) -> tuple[Model, float | None]:
    """Fits on (X, y); raises InsufficientData when there is too little of it."""
    positives = sum(y)
    if len(y) < settings.RISK_MIN_SAMPLES:
        raise InsufficientData(
            _("Only %(n)s training examples (at least %(min)s needed).")
            % {"n": len(y), "min": settings.RISK_MIN_SAMPLES}
        )
    if min(positives, len(y) - positives) < settings.RISK_MIN_PER_CLASS:
        raise InsufficientData(
            _("The history has too few users who became inactive (%(pos)s) or stayed active (%(neg)s).")
            % {"pos": positives, "neg": len(y) - positives}
        )
    means, stds = standardise(X)
    Z = [[(v - m) / s for v, m, s in zip(row, means, stds, strict=True)] for row in X]
    intercept, coefficients = fit_logistic(Z, y)
    model = Model(list(FEATURES), means, stds, coefficients, intercept)
    return model, auc([model.score(row) for row in X], y)


# --- the school's data ------------------------------------------------------------------------
def staff_user_ids(school) -> set[int]:
    return set(
        Membership.objects.active().filter(school=school, role__in=STAFF_ROLES).values_list("user_id", flat=True)
    )


def school_histories(school, *, today: date) -> dict[int, History]:
    staff = staff_user_ids(school)
    since = today - timedelta(days=HISTORY_DAYS)
    rows = (
        ActivityEvent.objects.filter(school=school, user_id__in=staff, occurred_at__date__gte=since)
        .order_by("user_id", "occurred_at", "id")
        .values_list("user_id", "occurred_at", "route_group")
        .iterator(chunk_size=5000)
    )
    histories = histories_from_rows(rows)
    for user_id in staff:
        histories.setdefault(user_id, History.empty())
    return histories


@transaction.atomic
def fit_school_model(*, school, now=None, horizon: int = 28) -> RiskModelFit:
    """Fits the school's model from its history and stores it (one row per fit)."""
    now = now or timezone.now()
    today = now.date()
    X, y = training_set(school_histories(school, today=today), today=today, horizon=horizon)
    model, training_auc = fit_model(X, y)
    return RiskModelFit.objects.create(
        school=school,
        fitted_at=now,
        sample_size=len(y),
        positives=sum(y),
        horizon_days=horizon,
        features=model.features,
        means=model.means,
        stds=model.stds,
        coefficients=model.coefficients,
        intercept=model.intercept,
        training_auc=training_auc,
    )


def school_risk(school, *, now=None) -> dict:
    """Scores of the school's staff with the latest fit: {"fit": RiskModelFit|None, "notice": str,
    "users": [{"user_id", "risk", "factors", "inactive"}] highest risk first}."""
    now = now or timezone.now()
    fit = RiskModelFit.objects.filter(school=school).order_by("-fitted_at", "-id").first()
    if fit is None:
        return {"fit": None, "notice": str(_("No risk model has been fitted for this school yet.")), "users": []}
    model = Model.from_fit(fit)
    today = now.date()
    histories = school_histories(school, today=today)
    school_features = school_feature_count(histories, today)
    users = []
    for user_id, history in histories.items():
        vector = features_at(history, today, school_features)
        if vector is None:
            users.append({"user_id": user_id, "risk": None, "factors": [], "inactive": True})
        else:
            users.append({"user_id": user_id, **model.explain(vector), "inactive": False})
    users.sort(key=lambda u: (u["risk"] is None, -(u["risk"] or 0), u["user_id"]))
    return {"fit": fit, "notice": "", "users": users}
