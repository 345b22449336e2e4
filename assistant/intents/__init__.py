"""Intent recognition for the built-in provider: an explainable scorer, no model, no randomness.

``recognize(ctx, text, preferences=None)`` scores every intent (each tool name of the registry
contract, ORCH's ``propose_*`` tools, and ``remember``, ``set_preference``, ``greeting``, ``help``,
``thanks``) and returns a ``Recognition`` with the chosen intent, its confidence, the extracted
tool arguments, the reasons and the runner-up intents.

Score of an intent (points; see ``scoring``):

* **patterns** — per intent, weighted English and Spanish words/phrases from
  ``assistant/data/intents.json``, matched on normalised text (lower case, no accents); a single
  word of 5+ letters also matches a misspelling, with its weight × the similarity ("pacr" → PACER);
* **entities** — what ``assistant.resolve.find_mentions`` found in the user's own scope (a class,
  a student, a fitness test, an activity) and a temperature in the text, each × the intent's
  entity weight × the match score;
* **learned phrasings** — the person's ``IntentExample`` rows: ``LEARNED_SCALE`` × similarity ×
  weight for each example at least ``LEARNED_MIN_SIMILARITY`` similar to the text (feedback
  adds, strengthens and weakens these: ``assistant.services.learning``).

Confidence = softmax over the intents with a positive score plus an "unknown" baseline of
``UNKNOWN_BASELINE`` points: ``exp(top) / (exp(baseline) + Σ exp(score))``. Below
``MIN_SCORE`` points, or below ``MIN_CONFIDENCE``, the intent is ``unknown`` (the reply lists
what the assistant can do).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assistant.intents.arguments import extract_arguments, find_temperature
from assistant.intents.scoring import INTENTS, learned_scores, pattern_scores

MIN_SCORE = 1.5
MIN_CONFIDENCE = 0.35
UNKNOWN_BASELINE = 1.0
MENTION_MIN_SCORE = 0.8

TOOL_INTENTS = (
    "list_classes",
    "class_overview",
    "student_progress",
    "fitness_results",
    "attendance",
    "upcoming_sessions",
    "recommend_activities",
    "adaptations",
    "safety_status",
    "heat_guidance",
    "search_content",
    "propose_goal",
    "propose_lesson_plan",
    "propose_results",
)
CHAT_INTENTS = ("remember", "set_preference", "greeting", "help", "thanks")
ALL_INTENTS = (*TOOL_INTENTS, *CHAT_INTENTS, "unknown")


@dataclass
class Recognition:
    intent: str
    confidence: float
    arguments: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required arguments still unknown → ask
    scores: dict = field(default_factory=dict)  # intent → points (for tests and the "why" line)


def _entity_evidence(mentions, temperature, attachments) -> dict[str, tuple[float, str]]:
    """kind → (match score 0–1, reason) for what the text mentions."""
    evidence = {}
    for kind, matches, label in (
        ("class", mentions.classes, _("mentions class %(name)s")),
        ("student", mentions.students, _("mentions student %(name)s")),
        ("test", mentions.tests, _("mentions the %(name)s test")),
        ("activity", mentions.activities, _("mentions activity %(name)s")),
    ):
        if matches and matches[0].score >= MENTION_MIN_SCORE:
            evidence[kind] = (float(matches[0].score), label % {"name": matches[0].name})
    if temperature:
        value, unit, _how = temperature
        evidence["temperature"] = (
            1.0,
            _("mentions a temperature (%(value)s °%(unit)s)") % {"value": f"{value:g}", "unit": unit},
        )
    if attachments:
        evidence["attachment"] = (1.0, _("a file is attached"))
    return evidence


def recognize(ctx, text: str, *, preferences: dict | None = None, attachments=()) -> Recognition:
    """The intent of ``text`` for ``ctx.user`` (see the module docstring)."""
    from assistant.resolve import find_mentions

    preferences = preferences or {}
    scores: dict[str, float] = dict.fromkeys(INTENTS, 0.0)
    why: dict[str, list[str]] = {name: [] for name in INTENTS}

    for intent, points, reason in pattern_scores(text):
        scores[intent] += points
        why[intent].append(reason)

    mentions = find_mentions(ctx, text)
    temperature = find_temperature(text, preferences)
    evidence = _entity_evidence(mentions, temperature, attachments)
    for intent, spec in INTENTS.items():
        for kind, weight in spec.get("entities", {}).items():
            if kind in evidence:
                match_score, reason = evidence[kind]
                scores[intent] += weight * match_score
                if reason not in why[intent]:
                    why[intent].append(reason)

    for intent, points, reason in learned_scores(ctx, text):
        if intent in scores:
            scores[intent] += points
            why[intent].append(reason)

    ranked = sorted(((s, -i, name) for i, (name, s) in enumerate(scores.items()) if s > 0), reverse=True)
    denominator = math.exp(UNKNOWN_BASELINE) + sum(math.exp(s) for s, _i, _n in ranked)
    probabilities = [(name, round(math.exp(s) / denominator, 3)) for s, _i, name in ranked]
    rounded = {name: round(s, 2) for name, s in scores.items() if s}

    if not ranked or ranked[0][0] < MIN_SCORE or probabilities[0][1] < MIN_CONFIDENCE:
        best = probabilities[0][1] if probabilities else 0.0
        return Recognition(
            intent="unknown",
            confidence=round(1 - best, 3),
            reasons=[_("nothing I recognise clearly enough")] + (why[ranked[0][2]] if ranked else []),
            alternatives=probabilities[:3],
            scores=rounded,
        )

    intent, confidence = probabilities[0]
    reasons = list(why[intent])
    arguments, missing, argument_reasons = extract_arguments(
        intent, text, mentions=mentions, temperature=temperature, preferences=preferences
    )
    return Recognition(
        intent=intent,
        confidence=confidence,
        arguments=arguments,
        reasons=reasons + argument_reasons,
        alternatives=probabilities[1:4],
        missing=missing,
        scores=rounded,
    )


__all__ = ["ALL_INTENTS", "CHAT_INTENTS", "MIN_CONFIDENCE", "MIN_SCORE", "TOOL_INTENTS", "Recognition", "recognize"]
