"""Achievement rules as data, evaluated against a student's facts. Pure: no database.

Rule types (``rule["type"]``; parameters and their checks in ``RULE_TYPES``):

* ``all_hfz`` — ``{"min_tests": n}``: in one testing event (entries sharing a ``group_key``) at
  least ``n`` fitness results carry a zone and every one of them is the Healthy Fitness Zone.
* ``attendance_streak`` — ``{"length": n}``: ``n`` consecutive recorded sessions (oldest first,
  cancelled sessions never count) in which the student took part (present or late).
* ``improvement`` — ``{"metric_key": key, "delta": d}``: between the student's first and latest
  entry of ``key`` the value improved by at least ``d`` in the metric's direction.
* ``goal_achieved`` — ``{"count": n}``: the student has achieved at least ``n`` personal goals.

``evaluate(rule, facts)`` returns a ``Verdict`` whose ``reasons`` (with the numbers) become the
award's evidence.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

HFZ = "HFZ"
PARTICIPATING = frozenset({"present", "late"})


@dataclass(frozen=True)
class EntryFact:
    metric_key: str
    value: float
    date: datetime.date
    zone: str = ""
    group_key: str = ""


@dataclass
class Facts:
    entries: list[EntryFact] = field(default_factory=list)
    attendance: list[tuple[datetime.date, str]] = field(default_factory=list)  # oldest first
    goals_achieved: list[tuple[datetime.date, str]] = field(default_factory=list)
    higher_is_better: dict[str, bool] = field(default_factory=dict)


@dataclass
class Verdict:
    earned: bool
    reasons: list[str] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)
    on: datetime.date | None = None


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000


def _positive_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 100000


RULE_TYPES: dict[str, dict] = {
    "all_hfz": {"min_tests": _positive_int},
    "attendance_streak": {"length": _positive_int},
    "improvement": {
        "metric_key": lambda v: isinstance(v, str) and "." in v and len(v) <= 60,
        "delta": _positive_number,
    },
    "goal_achieved": {"count": _positive_int},
}
REQUIRED = {
    "all_hfz": set(),
    "attendance_streak": {"length"},
    "improvement": {"metric_key", "delta"},
    "goal_achieved": set(),
}


def validate_rule(rule) -> dict[str, str]:
    """Errors by parameter name (empty when the rule is valid)."""
    if not isinstance(rule, dict):
        return {"rule": _("A rule is an object with a type.")}
    kind = rule.get("type")
    if kind not in RULE_TYPES:
        return {"type": _("Unknown rule type; use one of: %(types)s.") % {"types": ", ".join(sorted(RULE_TYPES))}}
    errors = {}
    params = RULE_TYPES[kind]
    for name, value in rule.items():
        if name == "type":
            continue
        if name not in params:
            errors[name] = _("Unknown parameter for this rule type.")
        elif not params[name](value):
            errors[name] = _("Invalid value.")
    for name in REQUIRED[kind] - set(rule):
        errors[name] = _("This parameter is required.")
    return errors


def _all_hfz(rule, facts: Facts) -> Verdict:
    minimum = rule.get("min_tests", 1)
    events: dict[str, list[EntryFact]] = {}
    for entry in facts.entries:
        if entry.group_key and entry.zone:
            events.setdefault(entry.group_key, []).append(entry)
    for key in sorted(events, key=lambda k: max(e.date for e in events[k])):
        rows = events[key]
        if len(rows) >= minimum and all(row.zone == HFZ for row in rows):
            day = max(row.date for row in rows)
            return Verdict(
                True,
                [_("Healthy Fitness Zone on all %(n)s tests of one testing event.") % {"n": len(rows)}],
                {"group_key": key, "tests": len(rows), "metrics": sorted(row.metric_key for row in rows)},
                day,
            )
    return Verdict(False)


def _attendance_streak(rule, facts: Facts) -> Verdict:
    length = rule["length"]
    run = longest = 0
    reached_on = None
    for day, status in facts.attendance:
        run = run + 1 if status in PARTICIPATING else 0
        longest = max(longest, run)
        if run >= length and reached_on is None:
            reached_on = day
    if reached_on is None:
        return Verdict(False, numbers={"longest": longest})
    return Verdict(
        True,
        [_("Took part in %(n)s sessions in a row.") % {"n": length}],
        {"length": length, "longest": longest},
        reached_on,
    )


def _improvement(rule, facts: Facts) -> Verdict:
    key, delta = rule["metric_key"], float(rule["delta"])
    rows = [entry for entry in facts.entries if entry.metric_key == key]
    if len(rows) < 2:
        return Verdict(False)
    first, latest = rows[0], rows[-1]
    sign = 1 if facts.higher_is_better.get(key, True) else -1
    gain = round((latest.value - first.value) * sign, 2)
    if gain < delta:
        return Verdict(False, numbers={"gain": gain})
    return Verdict(
        True,
        [
            _("Improved %(key)s by %(gain)s (from %(first)s to %(latest)s).")
            % {"key": key, "gain": f"{gain:g}", "first": f"{first.value:g}", "latest": f"{latest.value:g}"}
        ],
        {"metric_key": key, "first": first.value, "latest": latest.value, "gain": gain, "delta": delta},
        latest.date,
    )


def _goal_achieved(rule, facts: Facts) -> Verdict:
    count = rule.get("count", 1)
    done = sorted(facts.goals_achieved)
    if len(done) < count:
        return Verdict(False, numbers={"achieved": len(done)})
    day, title = done[count - 1]
    return Verdict(
        True,
        [_("Achieved %(n)s goal(s), latest: %(title)s.") % {"n": len(done), "title": title}],
        {"achieved": len(done), "count": count},
        day,
    )


EVALUATORS = {
    "all_hfz": _all_hfz,
    "attendance_streak": _attendance_streak,
    "improvement": _improvement,
    "goal_achieved": _goal_achieved,
}


def evaluate(rule: dict, facts: Facts) -> Verdict:
    """The verdict of a valid rule (an invalid one is never earned)."""
    if validate_rule(rule):
        return Verdict(False)
    return EVALUATORS[rule["type"]](rule, facts)
