"""The adaptation engine on generated data (pure Python: no database)."""

import random

import pytest

from physed.engines import adaptation as engine
from physed.engines.data import adaptation_config
from physed.engines.reasons import render_reason

THRESHOLD = adaptation_config()["display_threshold"]

SOCCER = engine.ActivityInfo(
    id=1,
    name="Small-sided soccer",
    category="invasion",
    intensity="vigorous",
    contact_level="limited",
    risk_level=2,
    space="field",
    difficulty=3,
    skills=("dribbling", "passing", "running"),
    fitness_components=("aerobic", "agility"),
    modifications=(
        {
            "kind": "intensity",
            "easier": "Walking soccer: walk only, rest every 3 minutes.",
            "harder": "Two-touch limit.",
        },
        {"kind": "rules", "easier": "No tackling: defenders shadow only.", "harder": "Add a defender."},
        {"kind": "assistance", "easier": "Be the referee's assistant.", "harder": ""},
    ),
    progressions=("Play 4 v 4 with two goals per side.",),
)
YOGA = engine.ActivityInfo(id=2, name="Yoga flow", category="fitness", intensity="light", space="gym", difficulty=1)


def student(**kw):
    defaults = {"student_id": 1, "name": "Ana", "age": 12.0, "attendance": "present"}
    return engine.StudentSignals(**{**defaults, **kw})


def skill_series(values, code="skill_score"):
    return engine.MetricSeries(code, "Skill score", 1.0, 4.0, True, list(values))


def reasons(proposal):
    return [render_reason(c.reason) for c in proposal.contributions]


def only(proposals, **match):
    found = [p for p in proposals if all(getattr(p, k) == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def test_rpe_of_8_or_more_for_three_sessions_proposes_easier_intensity_with_the_numbers():
    proposals = engine.propose([student(rpe=[8.0, 9.0, 9.0])], SOCCER)
    proposal = only(proposals, student_id=1)
    assert (proposal.kind, proposal.direction) == ("intensity", "easier")
    assert proposal.text == "Walking soccer: walk only, rest every 3 minutes."
    assert proposal.score >= THRESHOLD
    assert "RPE 8.7 average over the last 3 sessions (≥ 8 = very hard)" in reasons(proposal)
    contribution = proposal.contributions[0]
    assert contribution.factor == "rpe_high"
    assert contribution.value == pytest.approx(0.6 + 0.4 * (26 / 3 - 8) / 2)


def test_moderate_rpe_proposes_nothing():
    assert engine.propose([student(rpe=[5, 6, 5])], SOCCER) == []


def test_predicted_hrmax_uses_tanaka_by_default_and_fox_on_request():
    assert engine.predicted_hrmax(12) == pytest.approx(208 - 0.7 * 12)
    assert engine.predicted_hrmax(12, "fox") == pytest.approx(208)


def test_sustained_heart_rate_above_90_percent_of_the_age_predicted_maximum_reduces_intensity():
    hrmax = 208 - 0.7 * 12  # 199.6
    signals = student(hr_avg=[0.93 * hrmax, 0.92 * hrmax, 0.94 * hrmax])
    proposal = only(engine.propose([signals], SOCCER), student_id=1)
    assert (proposal.kind, proposal.direction) == ("intensity", "easier")
    text = reasons(proposal)[0]
    assert "93%" in text and "200 bpm at age 12" in text and "Tanaka" in text


def test_heart_rate_needs_an_age():
    assert engine.propose([student(age=None, hr_avg=[199, 199, 199])], SOCCER) == []


def test_repeated_peaks_are_a_weaker_heart_rate_signal():
    hrmax = 208 - 0.7 * 14
    signals = student(age=14.0, hr_avg=[150, 150, 150], hr_max=[0.97 * hrmax, 0.98 * hrmax, 170])
    proposal = only(engine.propose([signals], SOCCER), student_id=1)
    assert proposal.contributions[0].value == 0.6
    assert "in 2 of the last 3 sessions" in reasons(proposal)[0]


def test_no_contact_restriction_always_gets_a_required_modification_for_a_contact_activity():
    proposals = engine.propose([student(restrictions=["no_contact"])], SOCCER)
    proposal = only(proposals, student_id=1)
    assert proposal.required and proposal.direction == "easier"
    assert proposal.kind == "rules"
    assert proposal.text == "No tackling: defenders shadow only."
    assert "No contact" in reasons(proposal)[0] and "Small-sided soccer" in reasons(proposal)[0]
    # a non-contact activity raises nothing
    assert engine.propose([student(restrictions=["no_contact"])], YOGA) == []


def test_no_contact_restriction_survives_any_learned_weights():
    crushed = engine.Weights({"factor:restriction": 0.0, "kind:rules:easier": 0.0})
    proposals = engine.shown(engine.propose([student(restrictions=["no_contact"])], SOCCER, weights=crushed))
    assert [p.kind for p in proposals] == ["rules"]


def test_restriction_without_a_matching_modification_uses_the_default_text():
    activity = engine.ActivityInfo(id=3, name="Wrestling games", category="cooperative", contact_level="contact")
    proposal = only(engine.propose([student(restrictions=["no_contact"])], activity), student_id=1)
    assert proposal.text.startswith("Play a non-contact version")


def test_sitting_out_gets_only_the_seated_or_assistant_role():
    signals = student(attendance="sitting_out", rpe=[9, 9, 9], restrictions=["no_contact"])
    proposals = engine.propose([signals], SOCCER)
    proposal = only(proposals, student_id=1)
    assert (proposal.kind, proposal.required) == ("assistance", True)
    assert proposal.text == "Be the referee's assistant."


def test_absent_students_get_nothing_and_late_students_a_shorter_warm_up():
    assert engine.propose([student(attendance="absent", rpe=[9, 9, 9])], SOCCER) == []
    proposal = only(engine.propose([student(attendance="late", minutes_late=12)], SOCCER), student_id=1)
    assert proposal.kind == "duration" and not proposal.required
    assert "Arrived 12 minutes late" in reasons(proposal)[0]
    assert proposal.text.startswith("A short individual warm-up")


def test_falling_skill_scores_make_it_easier_and_rising_ones_with_low_rpe_make_it_harder():
    falling = only(engine.propose([student(scores=[skill_series([3.5, 3.0, 2.5, 2.0])])], SOCCER), student_id=1)
    assert falling.direction == "easier" and falling.kind == "rules"
    assert "Skill score falling by 17% of its scale per session over the last 4 sessions" in reasons(falling)
    rising = engine.propose([student(scores=[skill_series([2.5, 3.0, 3.5, 4.0])], rpe=[2, 3, 2])], SOCCER)
    harder = [p for p in rising if p.direction == "harder"]
    assert harder and all(p.direction == "harder" for p in rising)
    texts = {p.kind: p.text for p in harder}
    assert texts.get("intensity") == "Two-touch limit."
    assert any("RPE 2.3 average" in r for p in harder for r in reasons(p))


def test_harder_without_a_modification_text_uses_the_progression():
    activity = engine.ActivityInfo(
        id=5, name="Juggling", category="fitness", difficulty=1, progressions=({"text": "Three balls."},)
    )
    signals = student(scores=[skill_series([3.0, 3.5, 4.0])], rpe=[1, 2, 1])
    proposals = engine.propose([signals], activity)
    assert {p.text for p in proposals} == {"Three balls."}


def test_low_rpe_without_score_evidence_is_not_a_reason_to_progress():
    assert engine.propose([student(rpe=[1, 2, 2])], SOCCER) == []


def test_skill_gap_and_preferred_kind_add_up():
    signals = student(skill_level=1, preferred_kinds=["equipment"], rpe=[8, 8, 8])
    activity = engine.ActivityInfo(
        id=6,
        name="Volleyball",
        category="net_wall",
        difficulty=4,
        modifications=({"kind": "equipment", "easier": "Use a beach ball."},),
    )
    proposals = engine.propose([signals], activity)
    equipment = only(proposals, kind="equipment")
    factors = {c.factor for c in equipment.contributions}
    assert factors == {"skill_gap", "preferred_kind"}
    assert equipment.text == "Use a beach ball."


def test_environment_alert_adds_a_required_whole_class_proposal_outdoors_only():
    alert = engine.EnvironmentAlert(kind="heat", level=2, message="Heat index 95 °F")
    outdoors = engine.propose([student()], SOCCER, alerts=[alert])
    proposal = only(outdoors, student_id=None)
    assert proposal.required and proposal.kind == "intensity"
    assert "heat alert (level 2): Heat index 95 °F" in reasons(proposal)[0]
    assert engine.propose([student()], YOGA, alerts=[alert]) == []
    everywhere = engine.EnvironmentAlert(kind="air_quality", level=3, outdoor_only=False)
    assert only(engine.propose([], YOGA, alerts=[everywhere]), student_id=None).required


def _reject(proposal, weights: engine.Weights) -> engine.Weights:
    factors = [c.as_dict() for c in proposal.contributions]
    kind_key = f"kind:{proposal.kind}:{proposal.direction}"
    learned = dict(weights.learned)

    def current(key):
        if key.startswith("factor:"):
            return weights.factor(key.removeprefix("factor:"))
        return learned.get(key, 1.0)

    learned.update(engine.learn(proposal.score, factors, kind_key, False, current))
    return engine.Weights(learned)


def test_repeatedly_rejected_kinds_fall_below_the_display_threshold():
    signals = [student(student_id=i, rpe=[8, 8, 8]) for i in range(1, 4)]
    weights = engine.Weights()
    assert len(engine.shown(engine.propose(signals, SOCCER, weights=weights))) == 3
    rounds = 0
    while engine.shown(engine.propose(signals, SOCCER, weights=weights)):
        proposal = engine.shown(engine.propose(signals, SOCCER, weights=weights))[0]
        weights = _reject(proposal, weights)
        rounds += 1
        assert rounds < 20
    assert 2 <= rounds <= 10
    # still computed (and explainable), just ranked below the threshold
    hidden = engine.propose(signals, SOCCER, weights=weights)
    assert hidden and all(p.score < THRESHOLD for p in hidden)


def test_accepting_raises_the_weight_and_rejecting_lowers_it():
    proposal = engine.propose([student(rpe=[9, 9, 9])], SOCCER)[0]
    factors = [c.as_dict() for c in proposal.contributions]
    up = engine.learn(proposal.score, factors, "kind:intensity:easier", True, lambda key: 1.0)
    down = engine.learn(proposal.score, factors, "kind:intensity:easier", False, lambda key: 1.0)
    assert up["factor:rpe_high"] > 1.0 > down["factor:rpe_high"]
    assert up["kind:intensity:easier"] > 1.0 > down["kind:intensity:easier"]


def test_required_factors_are_never_learned():
    proposal = engine.propose([student(restrictions=["no_contact"])], SOCCER)[0]
    factors = [c.as_dict() for c in proposal.contributions]
    assert engine.learn(proposal.score, factors, "kind:rules:easier", False, lambda key: 1.0) == {}


def test_weights_stay_within_bounds_under_random_decisions():
    learning = adaptation_config()["learning"]
    rng = random.Random(5)
    weights = engine.Weights()
    for _ in range(400):
        signals = student(
            rpe=[rng.uniform(0, 10) for _ in range(3)],
            hr_avg=[rng.uniform(120, 200) for _ in range(3)],
            scores=[skill_series([rng.uniform(1, 4) for _ in range(4)])],
            skill_level=rng.randint(1, 5),
        )
        proposals = engine.propose([signals], SOCCER, weights=weights)
        if not proposals:
            continue
        proposal = proposals[0]
        learned = dict(weights.learned)
        updates = engine.learn(
            proposal.score,
            [c.as_dict() for c in proposal.contributions],
            f"kind:{proposal.kind}:{proposal.direction}",
            rng.random() < 0.5,
            lambda key, learned=learned, weights=weights: (
                learned.get(key) or (weights.factor(key[7:]) if key.startswith("factor:") else 1.0)
            ),
        )
        learned.update(updates)
        weights = engine.Weights(learned)
    assert weights.learned
    assert all(learning["min_weight"] <= w <= learning["max_weight"] for w in weights.learned.values())


@pytest.mark.parametrize(
    ("kind", "activity", "conflict"),
    [
        ("no_high_impact", engine.ActivityInfo(id=1, name="Jump rope", skills=("jumping",)), True),
        ("no_running", engine.ActivityInfo(id=1, name="Tag", skills=("chasing", "dodging")), True),
        ("no_running", engine.ActivityInfo(id=1, name="Archery", category="target"), False),
        ("limited_duration", engine.ActivityInfo(id=1, name="Long game", duration_minutes=25), True),
        ("no_aquatics", engine.ActivityInfo(id=1, name="Swim", category="aquatics", space="pool"), True),
        ("no_vigorous", engine.ActivityInfo(id=1, name="HIIT", intensity="vigorous"), True),
        ("unknown_kind", engine.ActivityInfo(id=1, name="Any"), False),
    ],
)
def test_restriction_rules_read_the_activity(kind, activity, conflict):
    assert bool(engine.restriction_conflict(kind, activity)) is conflict
