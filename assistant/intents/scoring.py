"""Pattern and learned-phrasing points for ``assistant.intents.recognize`` (formula there)."""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from assistant.resolve import normalise

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "intents.json"
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_RATIO = 0.8
LEARNED_SCALE = 4.0
LEARNED_MIN_SIMILARITY = 0.6


@lru_cache(maxsize=1)
def load_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _compiled() -> dict[str, list[tuple[tuple[str, ...], float, str]]]:
    """intent → [(normalised pattern words, weight, pattern as written)]."""
    return _compiled_cached()


@lru_cache(maxsize=1)
def _compiled_cached():
    out = {}
    for intent, spec in load_data()["intents"].items():
        out[intent] = [
            (tuple(normalise(pattern).split()), float(weight), pattern) for pattern, weight in spec["patterns"].items()
        ]
    return out


INTENTS: dict = load_data()["intents"]


def intent_label(intent: str) -> str:
    """A short human name for an intent (used in reasons)."""
    labels = {
        "list_classes": _("your classes"),
        "class_overview": _("class overview"),
        "student_progress": _("student progress"),
        "fitness_results": _("fitness results"),
        "attendance": _("attendance"),
        "upcoming_sessions": _("upcoming sessions"),
        "recommend_activities": _("activity ideas"),
        "adaptations": _("adaptations"),
        "safety_status": _("safety status"),
        "heat_guidance": _("heat guidance"),
        "search_content": _("content search"),
        "propose_goal": _("a new goal"),
        "propose_lesson_plan": _("a lesson plan draft"),
        "propose_results": _("recording results"),
        "remember": _("remembering something"),
        "set_preference": _("a preference"),
        "greeting": _("a greeting"),
        "help": _("help"),
        "thanks": _("thanks"),
        "unknown": _("something I do not know yet"),
    }
    return labels.get(intent, intent)


def _contains(words: list[str], pattern: tuple[str, ...]) -> bool:
    size = len(pattern)
    return any(tuple(words[i : i + size]) == pattern for i in range(len(words) - size + 1))


def _fuzzy(words: list[str], word: str) -> tuple[float, str]:
    """Best similarity of a single-word pattern with a text word of similar length."""
    best, seen = 0.0, ""
    for candidate in words:
        if abs(len(candidate) - len(word)) > 2 or len(candidate) < FUZZY_MIN_LENGTH - 1:
            continue
        ratio = SequenceMatcher(None, candidate, word, autojunk=False).ratio()
        if ratio > best:
            best, seen = ratio, candidate
    return best, seen


def pattern_scores(text: str):
    """Yields (intent, points, reason) for every pattern found in ``text``. Per intent, a text word
    matched exactly is not also counted as a misspelling, and a word counts as one misspelling at most."""
    words = normalise(text).split()
    for intent, patterns in _compiled().items():
        exact_words: set[str] = set()
        fuzzy: dict[str, tuple[float, float, str]] = {}  # text word → (points, ratio, pattern)
        for pattern, weight, written in patterns:
            if not pattern:
                continue
            if _contains(words, pattern):
                exact_words.update(pattern)
                reason = _("word '%(word)s' → %(intent)s") % {"word": written, "intent": intent_label(intent)}
                yield intent, weight, reason
            elif len(pattern) == 1 and len(pattern[0]) >= FUZZY_MIN_LENGTH:
                ratio, seen = _fuzzy(words, pattern[0])
                if ratio >= FUZZY_MIN_RATIO and weight * ratio > fuzzy.get(seen, (0.0,))[0]:
                    fuzzy[seen] = (round(weight * ratio, 3), ratio, written)
        for seen, (points, _ratio, written) in fuzzy.items():
            if seen in exact_words:
                continue
            reason = _("'%(seen)s' looks like '%(word)s' → %(intent)s") % {
                "seen": seen,
                "word": written,
                "intent": intent_label(intent),
            }
            yield intent, points, reason


def similarity(a: str, b: str) -> float:
    """Half token overlap (Jaccard), half character similarity, of two normalised phrases."""
    wa, wb = set(a.split()), set(b.split())
    if not wa or not wb:
        return 0.0
    jaccard = len(wa & wb) / len(wa | wb)
    return 0.5 * jaccard + 0.5 * SequenceMatcher(None, a, b, autojunk=False).ratio()


def learned_scores(ctx, text: str):
    """Yields (intent, points, reason) from the person's learned phrasings (one query)."""
    from assistant.models import IntentExample

    normalised = normalise(text)
    examples = (
        IntentExample.objects.visible_to(ctx.user).filter(school=ctx.school).values_list("phrase", "intent", "weight")
    )
    for phrase, intent, weight in examples:
        sim = similarity(normalised, normalise(phrase))
        if sim < LEARNED_MIN_SIMILARITY or not weight:
            continue
        points = round(LEARNED_SCALE * sim * weight, 3)
        if weight > 0:
            reason = _("you taught me '%(phrase)s' means %(intent)s") % {
                "phrase": phrase,
                "intent": intent_label(intent),
            }
        else:
            reason = _("you told me '%(phrase)s' is not about %(intent)s") % {
                "phrase": phrase,
                "intent": intent_label(intent),
            }
        yield intent, points, reason
