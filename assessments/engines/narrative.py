"""The evaluation narrative of a progress report, written from the snapshot numbers
(``assessments.selectors.report_data``) in English and Spanish at once (pure: no database, no
gettext — both languages are produced whatever the reader's language).

Phrase templates are data: ``assessments/data/narrative_phrases.json`` (one table per language).
Paragraphs, in order: attendance; fitness results (one sentence per test: latest value, change
against the previous period or the first value in the period, direction-aware trend word, zone;
body-composition results are never written into the narrative — they stay in their own labelled
section); skills (latest score per rubric with per-criterion levels); strengths (tests in the
Healthy Fitness Zone, best skill); goals (met, in progress); achievements; next steps (tests below
the Healthy Fitness Zone with the threshold to reach, goals not met). Nothing recorded → says so.
The student's preferred or first name is used; agreement is kept simple (the English possessive
follows the student's recorded sex for fitness standards, else "their"; Spanish uses "su").
"""

import datetime
import json
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "generate", "generate_all"]

LANGUAGES = ("en", "es")
PHRASES_FILE = Path(__file__).resolve().parent.parent / "data" / "narrative_phrases.json"


@cache
def phrases() -> dict:
    with PHRASES_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


class _Writer:
    def __init__(self, data: dict, lang: str):
        self.data = data
        self.lang = lang
        self.p = phrases()[lang]
        self.name = data["student"]["first_name"]

    # formatting -------------------------------------------------------------------------------
    def num(self, value) -> str:
        if value is None:
            return self.p["goal_no_value"]
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:.2f}".rstrip("0").rstrip(".")
        else:
            text = str(int(value))
        return text.replace(".", self.p["decimal"])

    def measure(self, value, unit: str) -> str:
        forms = self.p["units"].get(unit)
        if forms is None:
            return f"{self.num(value)} {unit}".strip()
        word = forms[0] if value in (1, 1.0) else forms[1]
        return f"{self.num(value)} {word}"

    def date(self, iso: str) -> str:
        day = datetime.date.fromisoformat(iso)
        return self.p["date"].format(day=day.day, month=self.p["months"][day.month - 1], year=day.year)

    def percent(self, rate: float) -> str:
        return self.p["percent"].format(value=round(rate * 100))

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self.p["list_and"] + items[-1]

    def test_name(self, test: dict) -> str:
        return self.p["tests"].get(test["code"], test["name"])

    def quote(self, text: str) -> str:
        return self.p["quote"].format(text=text)

    def when(self, iso: str, latest_iso: str) -> tuple[str, str]:
        """(\"September\", \"in September\"), or the day when both values are in the same month."""
        day, latest = datetime.date.fromisoformat(iso), datetime.date.fromisoformat(latest_iso)
        month = self.p["months"][day.month - 1]
        if (day.year, day.month) == (latest.year, latest.month):
            return (
                self.p["when_day"].format(day=day.day, month=month),
                self.p["when_day_as"].format(day=day.day, month=month),
            )
        return (self.p["when_month"].format(month=month), self.p["when_month_as"].format(month=month))

    # paragraphs -------------------------------------------------------------------------------
    def period(self) -> tuple[str, str]:
        return self.date(self.data["period"]["start"]), self.date(self.data["period"]["end"])

    def attendance(self) -> str:
        att = self.data["attendance"]
        start, end = self.period()
        if not att["total"]:
            return self.p["attendance_none"].format(name=self.name, start=start, end=end)
        return self.p["attendance"].format(
            name=self.name,
            attended=att["attended"],
            total=att["total"],
            rate=self.percent(att["attendance_rate"]),
            start=start,
            end=end,
            absent=att["absent"],
            late=att["late"],
        )

    def narrated_tests(self) -> list[dict]:
        return [test for test in self.data["fitness"]["tests"] if not test["body_composition"]]

    def fitness_sentence(self, test: dict) -> str:
        latest = test["latest"]
        zone = ""
        if latest["zone"] in ("HFZ", "NI", "NI-HR"):
            possessive = self.p["possessive"].get(self.data["student"].get("sex", ""), self.p["possessive"][""])
            zone = self.p[f"zone_{latest['zone']}"].format(possessive=possessive)
        if test["unit"] == "pass":
            passed = self.p["passed"] if latest["value"] else self.p["not_passed"]
            return self.p["fitness_pass"].format(test=self.test_name(test), name=self.name, passed=passed, zone=zone)
        change = ""
        compared = test.get("compared_with")
        if compared is not None and test["change"] is not None:
            when, when_as = self.when(compared["date"], latest["date"])
            amount = self.measure(abs(test["change"]), test["unit"]) if test["change"] else ""
            if test["change"] > 0:
                change = self.p["change_up"].format(amount=amount, when=when)
            elif test["change"] < 0:
                change = self.p["change_down"].format(amount=amount, when=when)
            else:
                change = self.p["change_same"].format(when_as=when_as)
            if test["trend"] in ("improved", "declined"):
                change += self.p[f"trend_{test['trend']}"]
        vo2 = self.p["vo2"].format(value=self.num(latest["vo2max"])) if latest.get("vo2max") is not None else ""
        return self.p["fitness_result"].format(
            test=self.test_name(test),
            name=self.name,
            value=self.measure(latest["value"], test["unit"]),
            vo2=vo2,
            change=change,
            zone=zone,
        )

    def fitness(self) -> str:
        tests = self.narrated_tests()
        if not tests:
            return self.p["fitness_none"].format(name=self.name)
        return " ".join(self.fitness_sentence(test) for test in tests)

    def skills(self) -> str:
        skills = self.data["skills"]
        if not skills:
            return self.p["skills_none"].format(name=self.name)
        sentences = []
        for skill in skills:
            criteria = ""
            if skill["criteria"]:
                items = [self.p["skill_criterion"].format(**item) for item in skill["criteria"]]
                criteria = self.p["skill_criteria"].format(items="; ".join(items))
            sentences.append(
                self.p["skill"].format(
                    rubric=skill["title"], name=self.name, score=self.num(skill["score"]), criteria=criteria
                )
            )
        return " ".join(sentences)

    def strengths(self) -> str:
        items = []
        hfz = [self.test_name(test) for test in self.narrated_tests() if test["latest"]["zone"] == "HFZ"]
        if hfz:
            items.append(self.p["strength_hfz"].format(tests=self.join(hfz)))
        if self.data["skills"]:
            best = max(self.data["skills"], key=lambda skill: skill["score"])
            items.append(self.p["strength_skill"].format(rubric=best["title"], score=self.num(best["score"])))
        return self.p["strengths"].format(items="; ".join(items)) if items else ""

    def goal_text(self, goal: dict, key: str) -> str:
        milestones = ""
        if goal["milestones_total"]:
            milestones = self.p["goal_milestones"].format(
                reached=goal["milestones_reached"], total=goal["milestones_total"]
            )
        return self.p[key].format(
            title=self.quote(goal["title"]),
            target=self.measure(goal["target"], goal["unit"]),
            latest=self.measure(goal["latest"], goal["unit"]) if goal["latest"] is not None else self.num(None),
            milestones=milestones,
        )

    def goals(self) -> str:
        goals = self.data["goals"]
        if not goals:
            return self.p["goals_none"].format(name=self.name)
        parts = []
        met = [self.goal_text(goal, "goal_met") for goal in goals if goal["met"]]
        open_ = [self.goal_text(goal, "goal_open") for goal in goals if not goal["met"]]
        if met:
            parts.append(self.p["goals_met"].format(items="; ".join(met)))
        if open_:
            parts.append(self.p["goals_open"].format(items="; ".join(open_)))
        return " ".join(parts)

    def achievements(self) -> str:
        awards = self.data["achievements"]
        if not awards:
            return self.p["achievements_none"].format(name=self.name)
        return self.p["achievements"].format(items=self.join([award["name"] for award in awards]))

    def next_steps(self) -> str:
        items = []
        for test in self.narrated_tests():
            latest = test["latest"]
            if latest["zone"] not in ("NI", "NI-HR") or test["unit"] == "pass":
                continue
            now = self.measure(latest["value"], test["unit"])
            threshold = test.get("hfz_threshold")
            if threshold:
                key = "step_at_least" if threshold["bound"] == "at_least" else "step_at_most"
                items.append(
                    self.p[key].format(
                        value=self.measure(threshold["value"], test["unit"]), test=self.test_name(test), latest=now
                    )
                )
            else:
                items.append(self.p["step_zone"].format(test=self.test_name(test), latest=now))
        for goal in self.data["goals"]:
            if not goal["met"]:
                items.append(
                    self.p["step_goal"].format(
                        title=self.quote(goal["title"]),
                        target=self.measure(goal["target"], goal["unit"]),
                        latest=self.measure(goal["latest"], goal["unit"])
                        if goal["latest"] is not None
                        else self.num(None),
                    )
                )
        return self.p["next_steps"].format(items="; ".join(items)) if items else ""

    def has_data(self) -> bool:
        data = self.data
        return bool(
            data["attendance"]["total"]
            or data["fitness"]["tests"]
            or data["skills"]
            or data["goals"]
            or data["achievements"]
        )

    def write(self) -> str:
        if not self.has_data():
            start, end = self.period()
            return self.p["no_data"].format(name=self.name, start=start, end=end)
        paragraphs = [
            self.attendance(),
            self.fitness(),
            self.skills(),
            self.strengths(),
            self.goals(),
            self.achievements(),
            self.next_steps(),
        ]
        return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def generate(data: dict, lang: str) -> str:
    """The narrative of snapshot ``data`` in ``lang`` (``en`` or ``es``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return _Writer(data, lang).write()


def generate_all(data: dict) -> dict[str, str]:
    return {lang: generate(data, lang) for lang in LANGUAGES}
