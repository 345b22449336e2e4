"""Memory search: full-text relevance combined with recency and importance.

Scoring formula (the same on both databases; every part is between 0 and 1)::

    text       = PostgreSQL: r / (r + 1), r = ts_rank_cd(search_vector, query)   (cover density)
                 SQLite:     matched query words / query words   (case- and accent-insensitive,
                             light stemming, function words ignored: memory.selectors.text)
    recency    = 0.5 ** (age_days / MEMORY_RECENCY_HALF_LIFE_DAYS)
                 age from the last time the memory was used, else from its creation
    importance = Memory.importance

    score = 0.60·text + 0.25·recency + 0.15·importance  (+ 0.10 if pinned)

With an empty query (or one made only of function words) the text part is dropped and the other
weights renormalised: ``score = 0.625·recency + 0.375·importance (+ 0.10 if pinned)``. With a
query, only memories that match at least one query word are returned. Ties: newest first.

Why these weights: what the person is asking about matters most; among matching memories, the
ones in recent use beat old ones (recency halves every half-life) and the ones the person marked
important (or that were used often enough to survive decay) beat trivia. Pinning is the person's
explicit "always keep this in mind".

PostgreSQL path: the query is the OR of the words (``plainto_tsquery`` per word, so any word
matches), filtered with ``search_vector @@ query`` (the GIN index ``memory_search_gin``); the
score is computed, ordered and limited in SQL. To keep the work bounded however many memories
match, only the newest ``candidate_limit()`` matches by creation time (1,000, or 2× the
per-person cap ``MEMORY_MAX_PER_USER`` if larger; found by walking the index
``memory_owner_recent``) are scored. Clean-up keeps a person under the cap, so in practice every
match is scored; only an uncapped store (e.g. the benchmark's 100,000) leaves older matches out.
SQLite path: the person's live memories are
scored in Python (small data). Each result carries ``reasons`` in words.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memory.models import Memory
from memory.selectors.text import query_words, raw_query_terms, word_set

W_TEXT, W_RECENCY, W_IMPORTANCE = 0.60, 0.25, 0.15
PIN_BONUS = 0.10
SECONDS_PER_DAY = 86400.0
# at most this many matches are scored (2× the per-person cap when that is larger): module docstring
CANDIDATES = 1000


@dataclass
class ScoredMemory:
    memory: Memory
    score: float
    text_rank: float
    recency: float
    importance: float
    reasons: list[str] = field(default_factory=list)


def weights(has_text: bool) -> tuple[float, float, float]:
    """(text, recency, importance) weights; without a text part the other two are renormalised."""
    if has_text:
        return W_TEXT, W_RECENCY, W_IMPORTANCE
    total = W_RECENCY + W_IMPORTANCE
    return 0.0, W_RECENCY / total, W_IMPORTANCE / total


def reference_time(memory) -> datetime:
    return memory.last_accessed_at or memory.created_at


def recency_of(memory, now: datetime) -> float:
    age_days = max(0.0, (now - reference_time(memory)).total_seconds() / SECONDS_PER_DAY)
    return 0.5 ** (age_days / settings.MEMORY_RECENCY_HALF_LIFE_DAYS)


def combine(text: float, recency: float, importance: float, pinned: bool, has_text: bool) -> float:
    w_text, w_recency, w_importance = weights(has_text)
    return w_text * text + w_recency * recency + w_importance * importance + (PIN_BONUS if pinned else 0.0)


def _age_phrase(memory, now) -> str:
    days = max(0, int((now - reference_time(memory)).total_seconds() // SECONDS_PER_DAY))
    if memory.last_accessed_at:
        if days == 0:
            return _("used today")
        return ngettext("used %(n)d day ago", "used %(n)d days ago", days) % {"n": days}
    if days == 0:
        return _("added today")
    return ngettext("added %(n)d day ago", "added %(n)d days ago", days) % {"n": days}


def _reasons(memory, matched: int, total: int, text_rank: float, importance: float, now) -> list[str]:
    reasons = []
    if total:
        if matched:
            reasons.append(
                ngettext("matches %(m)d of %(n)d word", "matches %(m)d of %(n)d words", total)
                % {"m": matched, "n": total}
            )
        else:
            reasons.append(_("matches related words (text %(rank).2f)") % {"rank": text_rank})
    reasons.append(_age_phrase(memory, now))
    reasons.append(_("importance %(value).1f") % {"value": importance})
    if memory.pinned:
        reasons.append(_("pinned"))
    return reasons


def _base(user, school, kinds, now):
    queryset = Memory.objects.visible_to(user).live(now)
    if school is not None:
        queryset = queryset.filter(school=school)
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    return queryset


def search_memories(user, query: str = "", *, school=None, kinds=None, limit=20, now=None) -> list[ScoredMemory]:
    """The user's best memories for ``query`` (formula in the module docstring), best first."""
    now = now or timezone.now()
    limit = max(0, int(limit))
    if limit == 0:
        return []
    words = query_words(query)
    if connection.vendor == "postgresql":
        return _search_postgres(user, query, words, school, kinds, limit, now)
    return _search_python(user, words, school, kinds, limit, now)


def _search_python(user, words, school, kinds, limit, now) -> list[ScoredMemory]:
    has_text = bool(words)
    wanted = set(words)
    results = []
    for memory in _base(user, school, kinds, now):
        matched = len(wanted & word_set(memory.content + " " + memory.key.replace("-", " ").replace("_", " ")))
        if has_text and not matched:
            continue
        text = matched / len(wanted) if has_text else 0.0
        recency = recency_of(memory, now)
        score = combine(text, recency, memory.importance, memory.pinned, has_text)
        results.append(
            ScoredMemory(
                memory,
                score,
                text,
                recency,
                memory.importance,
                _reasons(memory, matched, len(wanted), text, memory.importance, now),
            )
        )
    results.sort(key=lambda r: (-r.score, -r.memory.created_at.timestamp(), -r.memory.pk))
    return results[:limit]


def _recency_sql(now):
    """Recency in SQL, in double precision throughout (``extract(epoch …)`` is ``numeric``, and
    ``power`` over numerics is two orders of magnitude slower)."""
    table = Memory._meta.db_table
    return RawSQL(  # noqa: S611 - values are parameters; the table name comes from the model
        "power(0.5::double precision, greatest(0.0::double precision, extract(epoch from "
        f'(%s::timestamptz - coalesce("{table}"."last_accessed_at", "{table}"."created_at")))::double precision) '
        "/ %s::double precision / %s::double precision)",
        (now, SECONDS_PER_DAY, settings.MEMORY_RECENCY_HALF_LIFE_DAYS),
        output_field=FloatField(),
    )


def candidate_limit() -> int:
    """How many matching memories are scored at most (see the module docstring)."""
    return max(CANDIDATES, 2 * settings.MEMORY_MAX_PER_USER)


def _search_postgres(user, query, words, school, kinds, limit, now) -> list[ScoredMemory]:
    terms = raw_query_terms(query)
    has_text = bool(words) and bool(terms)
    w_text, w_recency, w_importance = weights(has_text)
    matching = _base(user, school, kinds, now)
    pinned = Case(When(pinned=True, then=Value(PIN_BONUS)), default=Value(0.0), output_field=FloatField())
    if has_text:
        config = settings.MEMORY_SEARCH_CONFIG
        tsquery = reduce(or_, (SearchQuery(term, config=config) for term in terms))
        matching = matching.filter(search_vector=tsquery)
        text_rank = SearchRank(F("search_vector"), tsquery, cover_density=True, normalization=Value(32))
    else:
        text_rank = Value(0.0, output_field=FloatField())
    # bounded work: the newest matches by creation (index memory_owner_recent) are scored in a
    # derived table, then ordered by score and limited — one query, no per-row Python
    candidates = (
        matching.annotate(text_rank=text_rank, recency=_recency_sql(now))
        .annotate(
            score=Value(w_text) * F("text_rank")
            + Value(w_recency) * F("recency")
            + Value(w_importance) * F("importance")
            + pinned
        )
        .order_by("-created_at")[: candidate_limit()]
    )
    try:
        sql, params = candidates.query.sql_with_params()
    except EmptyResultSet:  # e.g. no school left to see: nothing to search
        return []
    rows = list(
        Memory.objects.raw(
            f"SELECT * FROM ({sql}) AS candidates ORDER BY score DESC, created_at DESC, id DESC LIMIT %s",  # noqa: S608 - Django-built SQL
            [*params, limit],
        )
    )
    wanted = set(words)
    results = []
    for memory in rows:
        matched = len(wanted & word_set(memory.content + " " + memory.key.replace("-", " ").replace("_", " ")))
        text = float(memory.text_rank)
        results.append(
            ScoredMemory(
                memory,
                float(memory.score),
                text,
                float(memory.recency),
                memory.importance,
                _reasons(memory, matched, len(wanted) if has_text else 0, text, memory.importance, now),
            )
        )
    return results
