"""The risk engines on generated data: the Poisson fit recovers known effects, the priors hold
with little data, and the score's explanation adds up to the score."""

import math
import random

import pytest

from safety.engines import risk_model, risk_score
from safety.engines.risk_model import INTERCEPT, enough_history, fit_poisson
from safety.engines.risk_score import SessionInputs, features, prior_coefficients, score, split_points

TRUE = {
    INTERCEPT: math.log(1.5 / 1000),
    "activity": math.log(2.0),  # each risk level above low doubles the rate
    "environment": math.log(1.3),
    "restricted": math.log(1.0),
    "recent_injury": math.log(3.0),
    "supervision": math.log(1.6),
    "equipment": math.log(1.25),
}


def poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def simulate(n: int, seed: int = 20260601, truth: dict | None = None):
    truth = truth or TRUE
    rng = random.Random(seed)
    keys = risk_score.factor_keys()
    rows, counts, hours = [], [], []
    for _ in range(n):
        participants = rng.randint(12, 34)
        inputs = SessionInputs(
            activity_level=rng.choice([1, 1, 1.5, 2, 2.5, 3, 4]),
            environment=rng.choice(["go", "go", "go", "modify", "indoors", "stop"]),
            participants=participants,
            restricted=rng.choice([0, 0, 1, 2, 5, 10]),
            recent_injuries=rng.choice([0, 0, 1, 3, 6, 12]),
            adults=1,
            ratio=rng.choice([None, 12, 20, 30]),
            flagged_items=rng.choice([0, 0, 0, 1, 2]),
            minutes=rng.choice([40, 50, 60]),
        )
        xs = features(inputs)
        row = [xs[key] for key in keys]
        eta = truth[INTERCEPT] + sum(truth[key] * x for key, x in zip(keys, row, strict=True))
        rows.append(row)
        hours.append(inputs.participation_hours)
        counts.append(poisson(rng, math.exp(eta) * inputs.participation_hours))
    return rows, counts, hours, keys


@pytest.fixture(scope="module")
def big_fit():
    rows, counts, hours, keys = simulate(6000)
    means, sds = prior_coefficients()
    return fit_poisson(rows, counts, hours, keys, prior_means=means, prior_sds=sds)


def test_fit_recovers_known_effects_within_their_standard_errors(big_fit):
    assert big_fit.converged
    assert big_fit.incidents > 500
    for name, true_value in TRUE.items():
        estimate, se = big_fit.coefficients[name], big_fit.standard_errors[name]
        assert se < 0.25, name
        assert abs(estimate - true_value) < 3 * se, (name, estimate, true_value, se)
    # the headline effect: a rate ratio of 2.0 per risk level, recovered to within 3 SE
    low, high = big_fit.interval("activity")
    assert low < 2.0 < high
    assert 1.8 < big_fit.rate_ratio("activity") < 2.2


def test_fit_reports_deviance_below_the_null_deviance(big_fit):
    assert 0 < big_fit.deviance < big_fit.null_deviance
    # a well-specified Poisson model: deviance about one per degree of freedom or less
    assert big_fit.deviance / (big_fit.rows - len(big_fit.names)) < 1.2


def test_unpenalised_fit_matches_the_closed_form_rate_of_a_single_group():
    # one indicator: the MLE of a Poisson rate ratio is (y1/h1) / (y0/h0)
    rows = [[0.0]] * 10 + [[1.0]] * 10
    counts = [1] * 10 + [3] * 10
    hours = [100.0] * 20
    fit = fit_poisson(rows, counts, hours, ["x"])
    assert fit.coefficients[INTERCEPT] == pytest.approx(math.log(10 / 1000), abs=1e-9)
    assert fit.rate_ratio("x") == pytest.approx(3.0, abs=1e-9)
    # Wald SE of a log rate ratio = sqrt(1/y0 + 1/y1)
    assert fit.standard_errors["x"] == pytest.approx(math.sqrt(1 / 10 + 1 / 30), rel=1e-6)


def test_little_data_stays_at_the_priors():
    rows, counts, hours, keys = simulate(40, seed=7)
    means, sds = prior_coefficients()
    assert not enough_history(sum(counts), sum(hours), risk_score.config()["min_history"])
    fit = fit_poisson(rows, counts, hours, keys, prior_means=means, prior_sds=sds)
    for key in keys:
        # the penalty keeps every effect within about two prior SDs of its prior
        assert abs(fit.coefficients[key] - means[key]) < 2 * sds[key]


def test_enough_history_uses_the_thresholds_from_data():
    thresholds = risk_score.config()["min_history"]
    assert thresholds == {**thresholds, "incidents": 20, "exposure_hours": 2000}
    assert enough_history(20, 2000, thresholds)
    assert not enough_history(19, 5000, thresholds)
    assert not enough_history(50, 1999.9, thresholds)


def test_cholesky_helpers_invert_a_known_matrix():
    lower = risk_model.cholesky([[4.0, 2.0], [2.0, 3.0]])
    assert risk_model.cholesky_solve(lower, [2.0, 1.0]) == pytest.approx([0.5, 0.0])
    # inverse of [[4,2],[2,3]] = 1/8 [[3,-2],[-2,4]]
    assert risk_model.inverse_diagonal(lower) == pytest.approx([3 / 8, 4 / 8])


def hot_session(**overrides) -> SessionInputs:
    values = {
        "activity_level": 3.2,
        "environment": "modify",
        "participants": 36,
        "restricted": 2,
        "recent_injuries": 3,
        "adults": 1,
        "ratio": 30,
        "flagged_items": 2,
        "minutes": 50,
    }
    return SessionInputs(**{**values, **overrides})


def test_reference_session_scores_the_baseline_and_the_explanation_is_empty():
    means, _ = prior_coefficients()
    result = score(
        hot_session(
            activity_level=1, environment="go", restricted=0, recent_injuries=0, participants=20, flagged_items=0
        ),
        means,
    )
    assert result.score == result.baseline == 25.0
    assert all(c.points == 0 for c in result.contributions)
    assert result.rate_per_1000_hours == pytest.approx(1.0)
    assert result.band["key"] == "low"


def test_explanation_sums_to_the_score_exactly_at_the_displayed_precision():
    means, _ = prior_coefficients()
    rng = random.Random(3)
    for _ in range(500):
        inputs = hot_session(
            activity_level=rng.uniform(1, 4),
            environment=rng.choice(["go", "modify", "indoors", "stop"]),
            participants=rng.randint(1, 60),
            restricted=rng.randint(0, 5),
            recent_injuries=rng.randint(0, 5),
            adults=rng.randint(0, 3),
            flagged_items=rng.randint(0, 8),
        )
        coefficients = {key: value + rng.uniform(-1.5, 0.5) for key, value in means.items()}
        result = score(inputs, coefficients)
        assert round(result.baseline + sum(c.points for c in result.contributions), 1) == result.score
        assert 0 <= result.score <= 100


def test_hot_session_values_from_the_priors():
    means, _ = prior_coefficients()
    result = score(hot_session(), means)
    by_key = {c.key: c for c in result.contributions}
    assert by_key["activity"].feature == pytest.approx(2.2)
    assert by_key["environment"].feature == 1
    assert by_key["supervision"].feature == pytest.approx(36 / 30 - 1)
    assert by_key["recent_injury"].feature == pytest.approx(3 / 36)
    assert by_key["equipment"].feature == 2
    log_rr = sum(c.log_rate_ratio for c in result.contributions)
    expected = 100 * math.exp(log_rr) / (math.exp(log_rr) + 3)
    assert result.score == round(expected, 1)
    assert result.relative_rate == pytest.approx(math.exp(log_rr))
    assert result.expected_incidents == pytest.approx(1.0 / 1000 * math.exp(log_rr) * 36 * 50 / 60)
    assert result.band["key"] == "high"
    # the activity contributes the most, in proportion to its share of the log rate ratio
    assert max(result.contributions, key=lambda c: c.points).key == "activity"


def test_split_points_rounds_to_the_target_total():
    assert sum(split_points(10, [0.33, 0.33, 0.34])) == 10
    assert split_points(-3, [-0.15, -0.15]) in ([-2, -1], [-1, -2])
    assert split_points(0, []) == []
