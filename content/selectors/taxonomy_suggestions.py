"""Tag suggestions from the school's existing tags: an explainable score, each point with a reason.

For an item (or a draft's title/summary/body and tags), every tag of the school's vocabulary that
is not already on it scores the sum of:

* **words in the text** — every word of the tag appears among the words of the title: +3
  (``TITLE_WEIGHT``); else among the words of the summary or body: +1 (``TEXT_WEIGHT``). Words
  are compared lower-case, and a trailing "s" is ignored on words longer than three letters
  ("volleyballs" matches "volleyball");
* **used together** — +1 (``COOCCURRENCE_WEIGHT``) per other item that carries the tag *and* at
  least one of the item's current tags;
* **same activities or standards** — +0.5 (``RELATED_WEIGHT``) per other item that shares an
  activity or a standard with the item and carries the tag.

Evidence comes only from items the user may see (``ContentItem.objects.visible_to``) in the
item's school, and candidates only from that school's vocabulary, so another school's tags are
never suggested. Ranking: score, highest first, then name.
"""

import re
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.markdown import plain_text
from content.models import ContentItem, ContentTag, TaggedContentItem
from content.services.tags import normalize

TITLE_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
COOCCURRENCE_WEIGHT = 1.0
RELATED_WEIGHT = 0.5
DEFAULT_LIMIT = 10
WORD = re.compile(r"\w+", re.UNICODE)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def words(text: str) -> set[str]:
    return {_stem(word) for word in WORD.findall((text or "").lower())}


def suggest_for_item(user, item: ContentItem, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """Suggestions for a stored item (its text, tags, activities and standards)."""
    return suggest_tags(
        user,
        item.school,
        title=item.title,
        summary=item.summary,
        body=item.body,
        tags=[tag.name for tag in item.tags.all()],
        activity_ids=list(item.activities.values_list("pk", flat=True)),
        standard_ids=list(item.standards.values_list("pk", flat=True)),
        exclude_item=item.pk,
        limit=limit,
    )


def suggest_tags(
    user,
    school,
    *,
    title: str = "",
    summary: str = "",
    body: str = "",
    tags=(),
    activity_ids=(),
    standard_ids=(),
    exclude_item=None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict]:
    """``[{"name", "score", "reasons": [...]}]`` ranked (see the module doc)."""
    current = {normalize(name) for name in tags if normalize(name)}
    vocabulary = {tag.pk: tag.name for tag in ContentTag.objects.filter(school=school).exclude(name__in=current)}
    if not vocabulary:
        return []
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)

    title_words = words(title)
    text_words = words(summary) | words(plain_text(body or ""))
    for pk, name in vocabulary.items():
        needed = words(name)
        if not needed:
            continue
        if needed <= title_words:
            scores[pk] += TITLE_WEIGHT
            reasons[pk].append(_("“%(tag)s” appears in the title") % {"tag": name})
        elif needed <= text_words:
            scores[pk] += TEXT_WEIGHT
            reasons[pk].append(_("“%(tag)s” appears in the summary or body") % {"tag": name})

    evidence = ContentItem.objects.visible_to(user).filter(school=school)
    if exclude_item is not None:
        evidence = evidence.exclude(pk=exclude_item)
    rows = TaggedContentItem.objects.filter(tag_id__in=list(vocabulary))

    if current:
        together = evidence.filter(tagged_items__tag__school=school, tagged_items__tag__name__in=current)
        counts = (
            rows.filter(content_object_id__in=together.values("pk"))
            .values("tag_id")
            .annotate(n=Count("content_object_id", distinct=True))
        )
        for row in counts:
            scores[row["tag_id"]] += COOCCURRENCE_WEIGHT * row["n"]
            reasons[row["tag_id"]].append(
                ngettext(
                    "used together with your tags on %(count)d item",
                    "used together with your tags on %(count)d items",
                    row["n"],
                )
                % {"count": row["n"]}
            )

    related = Q()
    if activity_ids:
        related |= Q(activities__in=list(activity_ids))
    if standard_ids:
        related |= Q(standards__in=list(standard_ids))
    if related:
        neighbours = evidence.filter(related)
        counts = (
            rows.filter(content_object_id__in=neighbours.values("pk"))
            .values("tag_id")
            .annotate(n=Count("content_object_id", distinct=True))
        )
        for row in counts:
            scores[row["tag_id"]] += RELATED_WEIGHT * row["n"]
            reasons[row["tag_id"]].append(
                ngettext(
                    "on %(count)d item with the same activities or standards",
                    "on %(count)d items with the same activities or standards",
                    row["n"],
                )
                % {"count": row["n"]}
            )

    ranked = sorted(
        ({"name": vocabulary[pk], "score": round(score, 2), "reasons": reasons[pk]} for pk, score in scores.items()),
        key=lambda row: (-row["score"], row["name"]),
    )
    return [row for row in ranked if row["score"] > 0][:limit]
