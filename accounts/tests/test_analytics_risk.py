"""The disengagement-risk model, validated on generated histories where the answer is known:
steady users keep a weekday routine; fading users' activity thins out and stops at a known day."""

import math
import random
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import ActivityEvent, RiskModelFit, Role
from accounts.services.analytics import risk

GROUPS = ["dashboard", "people", "audit", "roles", "analytics", "api:schools", "profile", "settings"]
TODAY = date(2026, 6, 1)
DAYS = 160


def steady(rng) -> risk.History:
    history = risk.History.empty()
    groups = rng.sample(GROUPS, rng.randint(3, 6))
    for offset in range(DAYS, 0, -1):
        day = TODAY - timedelta(days=offset)
        if day.weekday() < 5 and rng.random() < 0.75:
            for _ in range(rng.randint(1, 2)):
                history.add(day, rng.choice(groups), True)
    return history


def fading(rng, stop_offset: int) -> risk.History:
    """Active like a steady user until 21 days before ``stop_offset`` days ago, then thinning to
    nothing at ``stop_offset``."""
    history = risk.History.empty()
    groups = rng.sample(GROUPS, rng.randint(3, 6))
    for offset in range(DAYS, 0, -1):
        if offset < stop_offset:
            break
        day = TODAY - timedelta(days=offset)
        fade = min(1.0, (offset - stop_offset) / 21)
        if day.weekday() < 5 and rng.random() < 0.75 * fade:
            history.add(day, rng.choice(groups[: max(1, round(len(groups) * fade))]), True)
    return history


def population(seed: int, steady_n: int = 14, fading_n: int = 14) -> dict[int, risk.History]:
    rng = random.Random(seed)  # test data
    histories = {i: steady(rng) for i in range(steady_n)}
    for i in range(fading_n):
        histories[steady_n + i] = fading(rng, stop_offset=rng.randint(5, 110))
    return histories


def test_fitted_model_separates_fading_from_steady_users_on_held_out_data():
    X, y = risk.training_set(population(1), today=TODAY)
    assert len(y) > 100 and 10 < sum(y) < len(y) - 10
    model, training_auc = risk.fit_model(X, y)
    assert training_auc > 0.9

    X_test, y_test = risk.training_set(population(2), today=TODAY)
    held_out = risk.auc([model.score(row) for row in X_test], y_test)
    assert held_out > 0.85

    coefficients = dict(zip(model.features, model.coefficients, strict=True))
    assert coefficients["days_since_last"] > 0  # a longer gap raises the risk
    assert coefficients["active_days"] < 0  # more active days lower it


def test_fading_users_score_clearly_higher_than_steady_users_today():
    X, y = risk.training_set(population(3), today=TODAY)
    model, _auc = risk.fit_model(X, y)
    rng = random.Random(4)  # test data
    histories = {"steady": [steady(rng) for _ in range(10)], "fading": [fading(rng, stop_offset=3) for _ in range(10)]}
    features = risk.school_feature_count({i: h for i, h in enumerate(histories["steady"])}, TODAY)
    scores = {
        kind: [model.score(risk.features_at(h, TODAY, features)) for h in group if risk.features_at(h, TODAY, features)]
        for kind, group in histories.items()
    }
    mean = {kind: sum(values) / len(values) for kind, values in scores.items()}
    assert mean["fading"] - mean["steady"] > 0.4
    assert min(scores["fading"]) > max(scores["steady"])


def test_score_is_explained_by_named_contributions():
    X, y = risk.training_set(population(5), today=TODAY)
    model, _auc = risk.fit_model(X, y)
    explained = model.explain(X[0])
    assert {f["feature"] for f in explained["factors"]} == set(risk.FEATURES)
    logit = model.intercept + sum(f["contribution"] for f in explained["factors"])
    assert explained["risk"] == pytest.approx(1 / (1 + math.exp(-logit)), abs=1e-3)
    magnitudes = [abs(f["contribution"]) for f in explained["factors"]]
    assert magnitudes == sorted(magnitudes, reverse=True)
    for factor in explained["factors"]:
        index = model.features.index(factor["feature"])
        z = (X[0][index] - model.means[index]) / model.stds[index]
        assert factor["contribution"] == pytest.approx(model.coefficients[index] * z, abs=1e-3)


def test_features_at_a_known_history():
    history = risk.History.empty()
    t = date(2026, 6, 1)
    for back, group in ((1, "people"), (3, "audit"), (20, "people"), (40, "roles")):
        history.add(t - timedelta(days=back), group, True)
    assert risk.features_at(history, t, school_features=4) == [1.0, 3.0, 1.0, 0.5, 1.0]
    assert risk.inactive_after(history, t, 28) == 1
    assert risk.features_at(risk.History.empty(), t, 4) is None


def test_too_little_data_says_so_instead_of_scoring():
    with pytest.raises(risk.InsufficientData, match="training examples"):
        risk.fit_model([[1.0] * 5] * 5, [0, 1, 0, 1, 0])
    with pytest.raises(risk.InsufficientData, match="too few users"):
        risk.fit_model([[float(i)] * 5 for i in range(40)], [0] * 39 + [1])


def test_auc_of_known_rankings():
    assert risk.auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) == 1.0
    assert risk.auc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0]) == 0.0
    assert risk.auc([0.5, 0.5], [1, 0]) == 0.5
    assert risk.auc([0.5], [1]) is None


# --- stored per school, through the API -------------------------------------------------------
def _store(school, member, histories):
    rows, users = [], {}
    for key, history in histories.items():
        user = member(school, Role.TEACHER)
        users[key] = user
        for day, groups in history.days.items():
            for index, group in enumerate(sorted(groups)):
                at = timezone.make_aware(datetime.combine(day, time(9, index)))
                rows.append(ActivityEvent(user=user, school=school, occurred_at=at, route_group=group))
    ActivityEvent.objects.bulk_create(rows)
    return users


@pytest.mark.django_db
def test_fit_is_stored_per_school_and_scores_staff_via_the_api(client_for, school, school_admin, member):
    histories = population(6, steady_n=8, fading_n=8)
    # generated relative to TODAY: shift them so that TODAY is "now"
    shift = timezone.now().date() - TODAY
    for history in histories.values():
        history.days = {day + shift: groups for day, groups in history.days.items()}
    users = _store(school, member, histories)
    client = client_for(school_admin)
    assert client.get("/api/v1/analytics/risk/").json()["fit"] is None

    response = client.post("/api/v1/analytics/risk/fit/")
    assert response.status_code == 201
    fit = RiskModelFit.objects.get(school=school)
    _X, y = risk.training_set(risk.school_histories(school, today=timezone.now().date()), today=timezone.now().date())
    assert (fit.sample_size, fit.positives) == (len(y), sum(y))
    assert response.json()["sample_size"] == len(y)
    assert set(response.json()["coefficients"]) == set(risk.FEATURES)

    body = client.get("/api/v1/analytics/risk/").json()
    by_user = {row["user_id"]: row for row in body["users"]}
    steady_scores = [by_user[users[i].pk]["risk"] for i in range(8)]
    assert all(score is not None for score in steady_scores)
    assert max(steady_scores) < 0.5
    assert by_user[school_admin.pk]["inactive"] is True  # no activity: nothing to predict
    assert by_user[users[0].pk]["name"] == users[0].get_full_name()
    assert len(by_user[users[0].pk]["factors"]) == 5
    risks = [row["risk"] for row in body["users"] if row["risk"] is not None]
    assert risks == sorted(risks, reverse=True)


@pytest.mark.django_db
def test_fit_with_too_little_history_is_a_clear_400(client_for, school, school_admin):
    response = client_for(school_admin).post("/api/v1/analytics/risk/fit/")
    assert response.status_code == 400
    assert "training examples" in str(response.json())
    assert not RiskModelFit.objects.exists()


@pytest.mark.django_db
def test_weekly_task_fits_schools_with_enough_data(school, other_school, member):
    histories = population(7, steady_n=8, fading_n=8)
    shift = timezone.now().date() - TODAY
    for history in histories.values():
        history.days = {day + shift: groups for day, groups in history.days.items()}
    _store(school, member, histories)
    from accounts.tasks.activity import fit_risk_models

    result = fit_risk_models.delay().get()
    assert result == {"fitted": [school.pk], "skipped": [other_school.pk]}
