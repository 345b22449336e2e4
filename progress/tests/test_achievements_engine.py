"""The badge engine (pure): each rule type with exact numbers, and rule validation."""

import datetime

import pytest

from progress.engines.achievements import EntryFact, Facts, evaluate, validate_rule

D = datetime.date(2026, 10, 1)


def _day(n):
    return D + datetime.timedelta(days=n)


def test_all_hfz_needs_every_zoned_test_of_one_event_in_the_zone():
    facts = Facts(
        entries=[
            EntryFact("fitness.pacer_20m", 40, _day(0), "HFZ", "event:1"),
            EntryFact("fitness.curl_up", 20, _day(0), "NI", "event:1"),
            EntryFact("fitness.push_up_90", 15, _day(0), "HFZ", "event:1"),
            EntryFact("fitness.pacer_20m", 45, _day(30), "HFZ", "event:2"),
            EntryFact("fitness.curl_up", 25, _day(30), "HFZ", "event:2"),
            EntryFact("fitness.push_up_90", 18, _day(31), "HFZ", "event:2"),
        ]
    )
    verdict = evaluate({"type": "all_hfz", "min_tests": 3}, facts)
    assert verdict.earned and verdict.on == _day(31)
    assert verdict.numbers == {
        "group_key": "event:2",
        "tests": 3,
        "metrics": ["fitness.curl_up", "fitness.pacer_20m", "fitness.push_up_90"],
    }
    assert not evaluate({"type": "all_hfz", "min_tests": 4}, facts).earned
    facts.entries[-1] = EntryFact("fitness.push_up_90", 8, _day(31), "NI", "event:2")
    assert not evaluate({"type": "all_hfz", "min_tests": 3}, facts).earned


def test_attendance_streak_counts_present_and_late_in_a_row():
    statuses = ["present"] * 4 + ["absent"] + ["present", "late"] * 4 + ["excused"]
    facts = Facts(attendance=[(_day(i), status) for i, status in enumerate(statuses)])
    assert not evaluate({"type": "attendance_streak", "length": 9}, facts).earned
    assert evaluate({"type": "attendance_streak", "length": 9}, facts).numbers == {"longest": 8}
    verdict = evaluate({"type": "attendance_streak", "length": 8}, facts)
    assert verdict.earned and verdict.on == _day(12) and verdict.numbers == {"length": 8, "longest": 8}


def test_improvement_between_first_and_latest_in_the_metric_direction():
    entries = [
        EntryFact("fitness.pacer_20m", 22, _day(0)),
        EntryFact("fitness.pacer_20m", 35, _day(10)),
        EntryFact("fitness.pacer_20m", 31, _day(20)),
    ]
    facts = Facts(entries=entries, higher_is_better={"fitness.pacer_20m": True})
    assert not evaluate({"type": "improvement", "metric_key": "fitness.pacer_20m", "delta": 10}, facts).earned
    verdict = evaluate({"type": "improvement", "metric_key": "fitness.pacer_20m", "delta": 9}, facts)
    assert verdict.earned and verdict.numbers["gain"] == 9 and verdict.on == _day(20)
    assert "from 22 to 31" in verdict.reasons[0]
    mile = Facts(
        entries=[EntryFact("fitness.mile_run", 600, _day(0)), EntryFact("fitness.mile_run", 570, _day(5))],
        higher_is_better={"fitness.mile_run": False},
    )
    assert evaluate({"type": "improvement", "metric_key": "fitness.mile_run", "delta": 30}, mile).earned
    assert not evaluate({"type": "improvement", "metric_key": "fitness.mile_run", "delta": 31}, mile).earned


def test_goal_achieved_counts_goals():
    facts = Facts(goals_achieved=[(_day(3), "Laps"), (_day(1), "Curl-ups")])
    verdict = evaluate({"type": "goal_achieved", "count": 2}, facts)
    assert verdict.earned and verdict.on == _day(3)
    assert evaluate({"type": "goal_achieved"}, facts).on == _day(1)
    assert not evaluate({"type": "goal_achieved", "count": 3}, facts).earned


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        ({"type": "nope"}, "type"),
        ("text", "rule"),
        ({"type": "attendance_streak"}, "length"),
        ({"type": "attendance_streak", "length": 0}, "length"),
        ({"type": "attendance_streak", "length": True}, "length"),
        ({"type": "improvement", "metric_key": "fitness.pacer_20m", "delta": -1}, "delta"),
        ({"type": "improvement", "delta": 3}, "metric_key"),
        ({"type": "all_hfz", "colour": "red"}, "colour"),
    ],
)
def test_invalid_rules(rule, bad):
    assert bad in validate_rule(rule)
    assert not evaluate(rule, Facts()).earned if isinstance(rule, dict) else True


def test_valid_rules():
    assert validate_rule({"type": "all_hfz", "min_tests": 3}) == {}
    assert validate_rule({"type": "improvement", "metric_key": "fitness.pacer_20m", "delta": 2.5}) == {}
