"""Content search (content §4): full-text ranked by relevance, filters and facet counts.

Why two paths: PostgreSQL has a weighted ``tsvector`` per item (kept by the item service) with a
GIN index; SQLite (tests, small installs) has none, so it gets a portable fallback that keeps
the same ordering rule.

Ranking
* PostgreSQL: ``SearchQuery(q, search_type="websearch", config=CONTENT_SEARCH_CONFIG)`` matched
  with ``search_vector @@ query`` (so the GIN index ``content_item_search_gin`` answers the
  match) and ranked with ``ts_rank(search_vector, query)`` over weights D/C/B/A = 0.1/0.2/0.4/1.0
  — the vector holds the title as A, the summary as B and the body as C, so a term in the
  title outranks one in the summary, which outranks one in the body.
* Fallback: the query is split into words (at most ``MAX_TERMS``); every word must occur in the
  title, summary or body (case-insensitive ``icontains``) and
  ``score = Σ_terms 3·[term in title] + 2·[term in summary] + 1·[term in body]``, computed in SQL
  with ``Case/When``.
Both order by rank descending, then ``updated_at`` descending, then ``pk``. Without ``q`` the rank
is 0 and the order is newest first. Every match is ranked: an old item with the term in its
title is never hidden behind newer, weaker matches.

Everything starts from ``ContentItem.objects.visible_to(user)``; filters narrow it. Facets are
counted over the whole result — all filters applied, the ``q`` match included — from one fetch of
the matching rows' facet columns (the full-text match is evaluated once for all scalar facets,
not once per facet) plus one query each for tags and standards over those ids.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from content.models import Category, ContentItem, ContentStatus, TaggedContentItem
from physed.models.library import GRADE_BAND_RANGES, GradeBand

MAX_TERMS = 8
TOP_TAGS = 20
MAX_QUERY_LENGTH = 200


@dataclass
class SearchParams:
    """Validated search input (``content.forms_search.SearchForm`` builds it from GET)."""

    q: str = ""
    kind: str = ""
    grade: int | None = None
    grade_band: str = ""
    category: Category | None = None
    tags: list[str] = field(default_factory=list)
    standard: int | None = None
    owner: str = ""  # "me" or a user id as text
    status: str = ""  # "" → everything except archived
    shared: bool = False
    language: str = ""
    # a filter named a category or standard that does not exist (or is not the user's to see): the
    # result is empty, as for an unknown id in any API list filter (``config/api/filters.py``)
    match_nothing: bool = False


@dataclass
class SearchResult:
    """``items``: the ordered queryset (annotated ``rank``); ``terms``: the words searched, for
    snippets; ``facets``: see ``facet_counts``."""

    items: QuerySet
    terms: list[str]
    facets: dict | None = None


def terms_of(q: str) -> list[str]:
    """The words of a query (quotes, operators and punctuation dropped), lower case, unique."""
    words = []
    for word in re.findall(r"\w+", (q or "").lower()):
        if word not in words and word != "or":
            words.append(word)
    return words[:MAX_TERMS]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def filtered(user, params: SearchParams) -> QuerySet:
    """The visible items narrowed by every filter except the text query."""
    items = ContentItem.objects.visible_to(user)
    if params.match_nothing:
        return items.none()
    if params.kind:
        items = items.filter(kind=params.kind)
    if params.grade is not None:
        items = items.filter(grade_min__lte=params.grade, grade_max__gte=params.grade)
    if params.grade_band:
        low, high = GRADE_BAND_RANGES[GradeBand(params.grade_band)]
        items = items.filter(grade_min__lte=high, grade_max__gte=low)
    if params.category is not None:
        items = items.filter(category__path__startswith=params.category.path)
    for name in params.tags:
        items = items.filter(pk__in=TaggedContentItem.objects.filter(tag__name=name).values("content_object_id"))
    if params.standard is not None:
        items = items.filter(
            pk__in=ContentItem.standards.through.objects.filter(pestandard_id=params.standard).values("contentitem_id")
        )
    if params.owner == "me":
        items = items.filter(owner=user)
    elif params.owner:
        items = items.filter(owner_id=int(params.owner))
    # no status filter: everything but archived items
    items = items.filter(status=params.status) if params.status else items.exclude(status=ContentStatus.ARCHIVED)
    if params.shared:
        # ContentItem.objects.shared_with(user) is visible_to(user) minus the user's own: the
        # visible_to part already holds here
        items = items.exclude(owner=user)
    if params.language:
        items = items.filter(language=params.language)
    return items


def _fallback_filter(items: QuerySet, terms: list[str]) -> QuerySet:
    for term in terms:
        items = items.filter(Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term))
    return items


def _fallback_score(terms: list[str]):
    """Σ over terms of 3·[in title] + 2·[in summary] + 1·[in body], as a float (SQL Case/When)."""
    score = Value(0)
    for term in terms:
        for lookup, weight in (("title", 3), ("summary", 2), ("body", 1)):
            score = score + Case(
                When(**{f"{lookup}__icontains": term}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return Coalesce(score, Value(0), output_field=FloatField()) * Value(1.0)


def matched(user, params: SearchParams) -> tuple[QuerySet, list[str]]:
    """(items matching the filters and ``q``, annotated ``rank`` and ordered; the terms)."""
    items = filtered(user, params)
    q = (params.q or "").strip()[:MAX_QUERY_LENGTH]
    terms = terms_of(q)
    if terms and is_postgres():
        query = SearchQuery(q, search_type="websearch", config=settings.CONTENT_SEARCH_CONFIG)
        items = items.filter(search_vector=query)
    elif terms:
        items = _fallback_filter(items, terms)
    ranked = items
    if not terms:
        ranked = ranked.annotate(rank=Value(0.0, output_field=FloatField()))
    elif is_postgres():
        ranked = ranked.annotate(rank=SearchRank(F("search_vector"), query))
    else:
        ranked = ranked.annotate(rank=_fallback_score(terms))
    return ranked.order_by("-rank", "-updated_at", "pk"), terms


def search(user, params: SearchParams, *, facets: bool = True) -> SearchResult:
    """The one search both the library page and the API use."""
    items, terms = matched(user, params)
    result = SearchResult(items=items.select_related("owner", "category").prefetch_related("tags"), terms=terms)
    if facets:
        result.facets = facet_counts(items, user)
    return result


def facet_counts(items: QuerySet, user) -> dict:
    """Counts over the result: ``kind``, ``status``, ``grade_band``, ``language`` as
    ``[{"value", "count"}]``; ``category`` (top-level categories, descendants counted in their
    root) as ``[{"id", "name", "count"}]``; ``tag`` (top 20) as ``[{"name", "count"}]``;
    ``standard`` as ``[{"id", "name", "count"}]``; ``owner`` as ``[{"id", "name", "count"}]``.

    The matching rows' facet columns are fetched once (one evaluation of the match) and counted
    here; tags and standards take one grouped query each over those ids."""
    rows = list(
        items.order_by().values_list(
            "pk", "kind", "status", "language", "grade_min", "grade_max", "owner_id", "category_id"
        )
    )
    ids = items.order_by().values("pk")

    def by(position):
        counts = Counter(row[position] for row in rows)
        return [
            {"value": value, "count": count} for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    bands = {
        band: sum(1 for row in rows if row[4] <= high and row[5] >= low)
        for band, (low, high) in GRADE_BAND_RANGES.items()
    }
    if not rows:
        return {
            "kind": [],
            "status": [],
            "language": [],
            "grade_band": [],
            "category": [],
            "tag": [],
            "standard": [],
            "owner": [],
        }
    return {
        "kind": by(1),
        "status": by(2),
        "language": by(3),
        "grade_band": [{"value": band, "count": bands[band]} for band in GRADE_BAND_RANGES if bands[band]],
        "category": _category_facet(Counter(row[7] for row in rows if row[7] is not None)),
        "tag": [
            {"name": row["tag__name"], "count": row["count"]}
            for row in TaggedContentItem.objects.filter(content_object_id__in=ids)
            .values("tag__name")
            .annotate(count=Count("content_object_id", distinct=True))
            .order_by("-count", "tag__name")[:TOP_TAGS]
        ],
        "standard": [
            {
                "id": row["pestandard_id"],
                "name": f"{row['pestandard__number']}. {row['pestandard__short_name']}",
                "count": row["count"],
            }
            for row in ContentItem.standards.through.objects.filter(contentitem_id__in=ids)
            .values("pestandard_id", "pestandard__number", "pestandard__short_name")
            .annotate(count=Count("contentitem_id", distinct=True))
            .order_by("pestandard__number")
        ],
        "owner": _owner_facet(Counter(row[6] for row in rows if row[6] is not None)),
    }


def _owner_facet(per_owner: Counter) -> list[dict]:
    from accounts.models import User

    people = {
        row["pk"]: row for row in User.objects.filter(pk__in=per_owner).values("pk", "first_name", "last_name", "email")
    }
    facet = [
        {"id": pk, "name": _person(people[pk]), "count": count, "_last": people[pk]["last_name"]}
        for pk, count in per_owner.items()
        if pk in people
    ]
    facet.sort(key=lambda row: (-row["count"], row["_last"], row["id"]))
    for row in facet:
        del row["_last"]
    return facet


def _person(row) -> str:
    name = f"{row['first_name']} {row['last_name']}".strip()
    return name or row["email"]


def _category_facet(per_category: Counter) -> list[dict]:
    """Counts per category summed into their top-level category by ``path``."""
    if not per_category:
        return []
    paths = dict(Category.objects.filter(pk__in=per_category).values_list("pk", "path"))
    totals: dict[int, int] = {}
    for category_id, count in per_category.items():
        root = int(paths[category_id].strip("/").split("/")[0])
        totals[root] = totals.get(root, 0) + count
    names = dict(Category.objects.filter(pk__in=totals).values_list("pk", "name"))
    return sorted(
        ({"id": pk, "name": names.get(pk, ""), "count": count} for pk, count in totals.items()),
        key=lambda row: (-row["count"], row["name"]),
    )


def snippet(item: ContentItem, terms: list[str], length: int = 220) -> str:
    """Plain text (never markup) to show under a result: the summary when a term is in it, else
    the body around the first matching term, else the summary or the start of the body.
    Templates and the API treat it as text (escaped on output)."""
    import html

    from content.markdown import plain_text

    summary = " ".join((item.summary or "").split())
    body = " ".join(html.unescape(plain_text(item.body or "")).split())
    for term in terms:
        if term in summary.lower():
            return _cut(summary, 0, length)
        at = body.lower().find(term)
        if at >= 0:
            return _cut(body, max(0, at - length // 3), length)
    return _cut(summary or body, 0, length)


def _cut(text: str, start: int, length: int) -> str:
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(text) else ""
    return f"{prefix}{text[start : start + length].strip()}{suffix}"
