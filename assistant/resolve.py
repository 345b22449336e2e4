"""Fuzzy resolution of the names a person types (classes, students, activities, fitness tests).

Only what the asking person may see in the conversation's school is ever a candidate: classes
through ``physed.selectors.roster.class_list``, students through ``students_for`` (both
``visible_to`` first), activities through the library's ``visible_to`` (shipped + the school's)
and tests through ``assessments.selectors.fitness.tests_for_school``. A name that exists only in
another school is simply not found — the caller says "I could not find …" and nothing more.

Scoring (stdlib ``difflib``): names and text are normalised (lower case, accents removed,
punctuation → space). A candidate's aliases (a student's "first last", "preferred last", and the
first/preferred name alone when unique in scope; a class's name and external id; a test's name,
its name without the bracketed part and its code) are compared with every window of the text
with as many words as the alias (±1); the score is ``SequenceMatcher.ratio`` of the two strings,
×0.95 for a single-word alias (a first name alone is weaker evidence). Digits must agree: "grade 5
blue" never matches "Grade 6 Blue". A candidate counts from ``MATCH_THRESHOLD`` (one-word windows:
``SINGLE_WORD_THRESHOLD``). One query per entity kind.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

MATCH_THRESHOLD = 0.8
SINGLE_WORD_THRESHOLD = 0.86
CONTAINED_BASE = 0.8  # a typed name whose words all appear in a longer name ("tag" → "Freeze Tag")
SINGLE_WORD_FACTOR = 0.95
MIN_SINGLE_WORD_LENGTH = 3
# words that are never a name on their own (English and Spanish question words and fillers)
_STOPWORD_TEXT = (
    "a an and are as at be by can class clase de del did do does el en for from had has have how i "
    "if in is it its la las los me my mi mis of on or our que the their them they this to was we "
    "what when where which who why will with you your y"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_PUNCT = re.compile(r"[^\w\s]|_")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_PUNCT.sub(" ", text).split())


@dataclass
class Match:
    obj: Any
    name: str
    score: float


@dataclass
class Mentions:
    classes: list[Match] = field(default_factory=list)
    students: list[Match] = field(default_factory=list)
    activities: list[Match] = field(default_factory=list)
    tests: list[Match] = field(default_factory=list)


def _digits(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def score_alias(words: list[str], alias: str) -> float:
    """Best ratio of ``alias`` (normalised) against any window of ``words`` (see the docstring)."""
    alias_words = alias.split()
    if not alias_words:
        return 0.0
    size = len(alias_words)
    single = size == 1
    alias_digits = _digits(alias)
    threshold = SINGLE_WORD_THRESHOLD if single else MATCH_THRESHOLD
    best = 0.0
    for width in {max(1, size - 1), size, size + 1}:
        if single and width != 1:
            continue
        for start in range(0, max(1, len(words) - width + 1)):
            window = " ".join(words[start : start + width])
            if not window:
                continue
            if width == 1 and (window in STOPWORDS or len(window) < MIN_SINGLE_WORD_LENGTH):
                continue
            if _digits(window) != alias_digits:
                continue
            matcher = SequenceMatcher(None, window, alias, autojunk=False)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            best = max(best, matcher.ratio())
    if single:
        best *= SINGLE_WORD_FACTOR
    return best if best >= threshold * (SINGLE_WORD_FACTOR if single else 1) else 0.0


def _rank(words: list[str], candidates: list[tuple[Any, str, list[str]]]) -> list[Match]:
    """``candidates``: (obj, display name, normalised aliases) → matches best first."""
    ranked = []
    for index, (obj, name, aliases) in enumerate(candidates):
        score = max((score_alias(words, alias) for alias in aliases if alias), default=0.0)
        if score > 0:
            ranked.append((-round(score, 3), index, Match(obj=obj, name=name, score=round(score, 3))))
    ranked.sort(key=lambda row: row[:2])  # ties: the candidates' own order (own classes first, test order)
    return [match for _score, _index, match in ranked]


# candidates of each kind: one query each, always scoped to the user and the school


def class_candidates(ctx) -> list:
    from physed.selectors.roster import class_list

    rows = class_list(ctx.user, ctx.school).prefetch_related(None)
    return [(c, c.name, [normalise(c.name), normalise(c.external_id)]) for c in rows]


def student_candidates(ctx) -> list:
    from physed.selectors.roster import students_for

    rows = list(students_for(ctx.user, ctx.school).order_by("last_name", "first_name", "pk"))
    firsts = Counter()
    for s in rows:
        for given in {normalise(s.first_name), normalise(s.preferred_name)} - {""}:
            firsts[given] += 1
    out = []
    for s in rows:
        first, preferred, last = normalise(s.first_name), normalise(s.preferred_name), normalise(s.last_name)
        aliases = [f"{first} {last}"]
        if preferred:
            aliases.append(f"{preferred} {last}")
        aliases += [given for given in (first, preferred) if given and firsts[given] == 1]
        display = f"{s.preferred_name or s.first_name} {s.last_name}".strip()
        out.append((s, display, aliases))
    return out


def activity_candidates(ctx) -> list:
    from django.db.models import Q

    from physed.models import Activity

    rows = Activity.objects.visible_to(ctx.user).filter(Q(school__isnull=True) | Q(school=ctx.school))
    return [(a, a.name, [normalise(a.name)]) for a in rows.only("pk", "name", "school_id").order_by("name", "pk")]


def test_candidates(ctx) -> list:
    from assessments.selectors.fitness import tests_for_school

    out = []
    for t in tests_for_school(ctx.school).order_by("position", "pk"):
        bare = normalise(re.sub(r"\(.*?\)", " ", t.name))
        out.append((t, t.name, [normalise(t.name), bare, normalise(t.code)]))
    return out


def find_mentions(ctx, text: str) -> Mentions:
    """Every class, student, activity and test named in ``text`` (best first)."""
    words = normalise(text).split()
    if not words:
        return Mentions()
    return Mentions(
        classes=_rank(words, class_candidates(ctx)),
        students=_rank(words, student_candidates(ctx)),
        activities=_rank(words, activity_candidates(ctx)),
        tests=_rank(words, test_candidates(ctx)),
    )


def contained_score(words: list[str], alias: str) -> float:
    """For a typed name (not a sentence): every typed word is a word of ``alias`` (and its digits
    are the alias's) → ``CONTAINED_BASE`` plus the share of the alias covered, so "tag" prefers
    "Freeze Tag" over "Freeze Tag Relay"."""
    alias_words = alias.split()
    if not words or not alias_words or not set(words) <= set(alias_words):
        return 0.0
    if not _digits(" ".join(words)) <= _digits(alias) or all(word in STOPWORDS for word in words):
        return 0.0
    coverage = len(" ".join(words)) / len(alias)
    return CONTAINED_BASE + (1 - CONTAINED_BASE) * coverage


def rank(text: str, candidates: list) -> list[Match]:
    """Every candidate matching the typed name ``text`` (fuzzy, or all its words inside a longer
    name), best first (ties in the candidates' order)."""
    words = normalise(text).split()
    if not words:
        return []
    ranked = []
    for index, (obj, name, aliases) in enumerate(candidates):
        score = max(
            (max(score_alias(words, alias), contained_score(words, alias)) for alias in aliases if alias),
            default=0.0,
        )
        if score > 0:
            ranked.append((-round(score, 3), index, Match(obj=obj, name=name, score=round(score, 3))))
    ranked.sort(key=lambda row: row[:2])
    return [match for _score, _index, match in ranked]


def best_match(text: str, candidates: list) -> Match | None:
    """The best match of ``text`` among ``candidates`` already fetched (one query serves many
    names, e.g. every row of an imported table), or None below the threshold."""
    matches = rank(text, candidates)
    return matches[0] if matches else None


def resolve_class(ctx, name: str) -> Match | None:
    return best_match(name, class_candidates(ctx))


def resolve_student(ctx, name: str) -> Match | None:
    return best_match(name, student_candidates(ctx))


def resolve_activity(ctx, name: str) -> Match | None:
    return best_match(name, activity_candidates(ctx))


def resolve_test(ctx, name: str) -> Match | None:
    return best_match(name, test_candidates(ctx))
