"""The forecast engine on generated histories: known slope + seeded Gaussian noise, perfect lines,
falling series; Student's t against printed table values; interval coverage over simulations."""

import random

import pytest

from progress.engines import forecast as engine


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 1, 12.7062),
        (0.975, 2, 4.3027),
        (0.975, 10, 2.2281),
        (0.9, 5, 1.4759),
        (0.9, 30, 1.3104),
        (0.95, 4, 2.1318),
    ],
)
def test_t_quantiles_match_printed_tables(p, df, expected):
    assert engine.t_quantile(p, df) == pytest.approx(expected, abs=1e-4)
    assert engine.t_quantile(1 - p, df) == pytest.approx(-expected, abs=1e-4)
    assert engine.t_cdf(engine.t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


def test_t_cdf_values():
    assert engine.t_cdf(0.0, 7) == 0.5
    assert engine.t_cdf(2.0, 3) == pytest.approx(0.930337, abs=1e-6)
    assert engine.t_cdf(-1.0, 1) == pytest.approx(0.25, abs=1e-9)  # Cauchy


def test_perfect_line_gives_exact_value_and_zero_width_interval():
    xs = [0, 7, 14, 21, 28]
    ys = [20 + 0.5 * x for x in xs]
    result = engine.forecast(xs, ys, at=70, target=50, higher_is_better=True)
    assert result.ok
    assert result.slope_per_week == pytest.approx(3.5)
    assert result.projected == pytest.approx(55.0)
    assert result.intervals[80] == pytest.approx((55.0, 55.0))
    assert result.intervals[95] == pytest.approx((55.0, 55.0))
    assert result.probability == 1.0 and result.on_track is True
    missed = engine.forecast(xs, ys, at=70, target=56, higher_is_better=True)
    assert missed.probability == 0.0 and missed.on_track is False


def test_known_numbers_on_a_small_series():
    # y = 10, 12, 13, 15 at x = 0, 1, 2, 3: slope 1.6, intercept 10.1, SSE 0.2, s = sqrt(0.1)
    result = engine.forecast([0, 1, 2, 3], [10, 12, 13, 15], at=5, target=18)
    assert result.slope_per_day == pytest.approx(1.6)
    assert result.intercept == pytest.approx(10.1)
    assert result.residual_se == pytest.approx(0.1**0.5)
    assert result.projected == pytest.approx(18.1)
    # se = s * sqrt(1 + 1/4 + (5 - 1.5)^2 / 5)
    se = 0.1**0.5 * (1 + 0.25 + 12.25 / 5) ** 0.5
    assert result.se_prediction == pytest.approx(se)
    half95 = 4.302653 * se
    assert result.intervals[95][0] == pytest.approx(18.1 - half95, abs=1e-5)
    assert result.intervals[95][1] == pytest.approx(18.1 + half95, abs=1e-5)
    # target 18 is 0.1 below the projection: P(Y >= 18) = 1 - F_t(-0.1/se; 2) > 0.5
    assert result.probability == pytest.approx(1 - engine.t_cdf(-0.1 / se, 2))
    assert result.on_track is True


def test_noisy_linear_series_projection_lands_near_the_true_line():
    rng = random.Random(7)
    xs = [float(7 * week) for week in range(10)]
    ys = [20 + 0.3 * x + rng.gauss(0, 1.5) for x in xs]
    result = engine.forecast(xs, ys, at=120, target=50)
    true_value = 20 + 0.3 * 120
    assert result.intervals[95][0] < true_value < result.intervals[95][1]
    assert result.projected == pytest.approx(true_value, abs=3)
    assert result.slope_per_day == pytest.approx(0.3, abs=0.05)


def test_interval_coverage_matches_the_nominal_share_over_500_simulations():
    rng = random.Random(2026)
    xs = [float(7 * week) for week in range(8)]
    covered = {80: 0, 95: 0}
    runs = 500
    for _ in range(runs):
        ys = [30 + 0.2 * x + rng.gauss(0, 2) for x in xs]
        actual = 30 + 0.2 * 90 + rng.gauss(0, 2)  # the value that will be measured at the deadline
        result = engine.forecast(xs, ys, at=90, target=45)
        for level in covered:
            low, high = result.intervals[level]
            covered[level] += low <= actual <= high
    # binomial SE: 80 % → 1.8 points, 95 % → 1.0 point; allow ~3 SE
    assert 0.74 <= covered[80] / runs <= 0.86
    assert 0.92 <= covered[95] / runs <= 0.98


def test_falling_series_for_a_higher_is_better_target_has_a_low_chance():
    rng = random.Random(3)
    xs = [0.0, 14, 28, 42, 56]
    ys = [40 - 0.1 * x + rng.gauss(0, 1) for x in xs]
    result = engine.forecast(xs, ys, at=120, target=45, higher_is_better=True)
    assert result.slope_per_day < 0
    assert result.probability < 0.05
    assert result.on_track is False
    # the same numbers for a lower-is-better metric (e.g. mile time) are on track
    lower = engine.forecast(xs, ys, at=120, target=45, higher_is_better=False)
    assert lower.probability == pytest.approx(1 - result.probability)
    assert lower.on_track is True


def test_too_few_points_or_one_day_gives_no_forecast():
    assert engine.forecast([0, 7], [1, 2], at=14, target=3).reason == engine.NO_FORECAST_TOO_FEW
    none = engine.forecast([5, 5, 5], [1, 2, 3], at=14, target=3)
    assert none.ok is False and none.reason == engine.NO_FORECAST_ONE_DAY and none.projected is None
