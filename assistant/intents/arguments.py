"""Tool arguments read from the text: names from ``find_mentions``, numbers, units, dates, topics.

Only arguments the tool declares are returned (its JSON schema in the registry, else the contract
list below). A required class left unsaid falls back to the remembered ``default_class``
preference; anything else still missing is reported so the provider can ask.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from assistant.intents.scoring import INTENTS, load_data
from assistant.resolve import normalise

# the contract's arguments per tool (used when a tool is not registered, e.g. in isolation)
TOOL_ARGUMENTS = {
    "list_classes": (),
    "class_overview": ("class_name",),
    "student_progress": ("student_name",),
    "fitness_results": ("class_name", "test_name"),
    "attendance": ("class_name", "student_name", "days"),
    "upcoming_sessions": ("class_name", "days"),
    "recommend_activities": ("class_name", "focus"),
    "adaptations": ("student_name", "class_name", "activity_name"),
    "safety_status": ("class_name",),
    "heat_guidance": ("temperature", "unit", "humidity", "class_name"),
    "search_content": ("query", "kind"),
    "propose_goal": ("student_name", "class_name", "metric", "target", "due_date", "title"),
    "propose_lesson_plan": ("topic", "class_name", "activity_name", "duration_minutes"),
    "propose_results": ("class_name", "test_name", "attachment_id", "results"),
}
# a temperature above this with no unit is read as Fahrenheit (45 °C is already extreme heat)
FAHRENHEIT_GUESS_ABOVE = 50
_NOT_A_UNIT_BEFORE = {"grade", "grado", "class", "clase", "year", "ano", "group", "grupo", "room", "aula"}

_TEMPERATURE = re.compile(
    r"(?<![\w.])(-?\d{1,3}(?:[.,]\d+)?)\s*"
    r"(?:(?P<sign>°|º|˚)\s*(?P<u1>f|c)?\b|(?P<word>degrees?|grados?|deg)\b(?:\s*(?P<u2>fahrenheit|celsius|centigrados|centígrados|f|c)\b)?"
    r"|(?P<u3>fahrenheit|celsius|f|c)\b)",
    re.IGNORECASE,
)
_HUMIDITY = re.compile(r"(\d{1,3})\s*%\s*(?:humidity|humedad|de humedad|rh)?", re.IGNORECASE)
_DAYS = re.compile(r"\b(?:last|past|next|coming|ultimos|proximos)\s+(\d{1,3})\s+(?:days|dias)\b")
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_TARGET = re.compile(r"\b(?:to|of|reach|at least|a|de|hasta|llegar a)\s+(\d+(?:[.,]\d+)?)\b")
_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutes|minutos)\b")
_TOPIC = re.compile(r"\b(?:about|on|sobre|acerca de)\s+(.+)$")


def _unit_of(letter: str) -> str:
    return "F" if letter.lower().startswith("f") else "C"


def find_temperature(text: str, preferences: dict | None = None):
    """(value, "F"|"C", how the unit was decided) for the first temperature in ``text``, else None."""
    preferences = preferences or {}
    for match in _TEMPERATURE.finditer(text or ""):
        before = normalise(text[: match.start()]).split()[-1:] or [""]
        letter = match.group("u1") or match.group("u2") or match.group("u3")
        if match.group("u3") and len(match.group("u3")) == 1 and before[0] in _NOT_A_UNIT_BEFORE:
            continue
        value = float(match.group(1).replace(",", "."))
        if letter:
            return value, _unit_of(letter), "said"
        units = (preferences.get("units") or "").lower()
        if units in ("metric", "imperial"):
            return value, "C" if units == "metric" else "F", "preference"
        return value, "F" if value > FAHRENHEIT_GUESS_ABOVE else "C", "guess"
    return None


def _days(normalised: str) -> int | None:
    if match := _DAYS.search(normalised):
        return int(match.group(1))
    for words, days in (
        (("today", "hoy"), 1),
        (("this week", "next week", "last week", "esta semana", "proxima semana", "semana pasada"), 7),
        (("this month", "last month", "este mes", "mes pasado"), 30),
    ):
        if any(re.search(rf"\b{w}\b", normalised) for w in words):
            return days
    return None


def _query(normalised: str, intent: str) -> str:
    """The text without stop words and the intent's own pattern words (what to search for)."""
    data = load_data()
    drop = set(data["stopwords"])
    for pattern in INTENTS.get(intent, {}).get("patterns", {}):
        drop.update(normalise(pattern).split())
    return " ".join(w for w in normalised.split() if w not in drop)


def _tool_parameters(intent: str) -> tuple[set[str], list[str]]:
    from assistant.tools.base import REGISTRY

    tool = REGISTRY.get(intent)
    if tool is not None:
        params = tool.parameters
        return set(params.get("properties", {})), list(params.get("required", []))
    return set(TOOL_ARGUMENTS.get(intent, ())), list(INTENTS.get(intent, {}).get("requires", []))


def extract_arguments(intent, text, *, mentions, temperature, preferences):
    """(arguments, missing required names, reasons) for ``intent``."""
    if intent not in TOOL_ARGUMENTS:
        return {}, [], []
    allowed, required = _tool_parameters(intent)
    normalised = normalise(text)
    found: dict = {}
    reasons: list[str] = []

    def top(matches):
        return matches[0].name if matches and matches[0].score >= 0.8 else None

    if name := top(mentions.classes):
        found["class_name"] = name
    if name := top(mentions.students):
        found["student_name"] = name
    tests = [m for m in mentions.tests if m.score >= 0.8]
    if tests and (len(tests) == 1 or tests[1].score < tests[0].score):
        found["test_name"] = found["metric"] = tests[0].name
    elif tests:  # several tests fit equally ("PACER": 15 m and 20 m): the tool picks the one the class took
        found["test_name"] = found["metric"] = tests[0].name.split("(")[0].strip()
        reasons.append(_("several tests match: %(names)s") % {"names": ", ".join(m.name for m in tests[:3])})
    if name := top(mentions.activities):
        found["activity_name"] = name
    if temperature:
        value, unit, how = temperature
        found["temperature"], found["unit"] = value, unit
        if how == "preference":
            reasons.append(
                _("no unit given: you prefer %(units)s units, so °%(unit)s")
                % {"units": preferences.get("units"), "unit": unit}
            )
        elif how == "guess":
            reasons.append(_("no unit given: %(value)s reads as °%(unit)s") % {"value": f"{value:g}", "unit": unit})
        if "%" in text and (m := _HUMIDITY.search(text)):
            found["humidity"] = float(m.group(1))
    if (days := _days(normalised)) is not None:
        found["days"] = days
    if m := _ISO_DATE.search(text):
        found["due_date"] = m.group(1)
    if intent == "propose_goal":
        cleaned = _ISO_DATE.sub(" ", normalised.replace(",", "."))
        if m := _TARGET.search(cleaned):
            found["target"] = float(m.group(1))
    if m := _MINUTES.search(normalised):
        found["duration_minutes"] = int(m.group(1))
    focus_words = load_data()["focus_words"]
    for word, focus in focus_words.items():
        if re.search(rf"\b{word}\b", normalised):
            found["focus"] = focus
            break
    if intent == "search_content":
        found["query"] = _query(normalised, intent) or normalised
    if intent == "propose_lesson_plan":
        m = _TOPIC.search(normalised)
        topic = _MINUTES.sub(" ", m.group(1) if m else _query(normalised, intent))
        if class_name := found.get("class_name"):  # "… for Grade 5 Blue": the class is not the topic
            topic = re.sub(rf"\s*\b(?:for|para|with|con)?\s*{re.escape(normalise(class_name))}\b", " ", topic)
        found["topic"] = " ".join(topic.split()) or normalised

    arguments = {k: v for k, v in found.items() if k in allowed}
    # "my class" / "mi clase" in a heat question: the remembered default class adds what it needs
    says_my_class = intent == "heat_guidance" and re.search(r"\b(my|mi) (class|clase)\b", normalised)
    wants_class = (
        "class_name" in required
        or intent in ("attendance", "upcoming_sessions", "safety_status")
        or bool(says_my_class)
    )
    by_student = "student_name" in arguments and intent in ("attendance", "adaptations")
    default_class = preferences.get("default_class")
    if "class_name" in allowed and "class_name" not in arguments and default_class and wants_class and not by_student:
        arguments["class_name"] = default_class
        reasons.append(_("your default class (remembered): %(name)s") % {"name": default_class})
    missing = [name for name in required if name not in arguments]
    return arguments, missing, reasons
