"""Discovery (content §4): related items, recently viewed, popular in my school.

Why these rules:
* Related to item X: visible items (never X) scored in SQL by
  ``score = 2·shared tags + 2·shared standards + 3·shared activities + 1·[same category]``
  (activities weigh most: two plans using the same activity are the closest substitutes),
  ties broken by newest, then pk. Each count is a correlated subquery over the through table, and
  only items sharing at least one of them are considered. Each result carries its reasons
  ("2 shared tags: serve, volleyball").
* Recently viewed: the user's own ``ContentView`` rows, newest first, only items still visible.
* Popular in my school: visible items ordered by distinct viewers in the last 30 days
  (``ContentView`` rows with ``last_viewed_at`` in the window — one row per user and item), then
  total views (sum of ``view_count``); items nobody opened in the window are left out.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.models import ContentItem, ContentView, TaggedContentItem

POPULAR_DAYS = 30
WEIGHTS = {"tags": 2, "standards": 2, "activities": 3, "category": 1}


@dataclass
class Related:
    item: ContentItem
    score: int
    reasons: list[str] = field(default_factory=list)


def _count(through, owner_column: str, value_column: str, values) -> Coalesce:
    rows = (
        through.objects.filter(**{owner_column: OuterRef("pk"), f"{value_column}__in": values})
        .order_by()
        .values(owner_column)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def related_items(user, item: ContentItem, limit: int = 5) -> list[Related]:
    """Up to ``limit`` visible items related to ``item`` with their score and reasons."""
    standards_through = ContentItem.standards.through
    activities_through = ContentItem.activities.through
    tag_ids = list(TaggedContentItem.objects.filter(content_object=item).values_list("tag_id", flat=True))
    standard_ids = list(standards_through.objects.filter(contentitem=item).values_list("pestandard_id", flat=True))
    activity_ids = list(activities_through.objects.filter(contentitem=item).values_list("activity_id", flat=True))
    candidates = Q(pk__in=TaggedContentItem.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
    candidates |= Q(pk__in=standards_through.objects.filter(pestandard_id__in=standard_ids).values("contentitem_id"))
    candidates |= Q(pk__in=activities_through.objects.filter(activity_id__in=activity_ids).values("contentitem_id"))
    same_category = Value(0, output_field=IntegerField())
    if item.category_id:
        candidates |= Q(category_id=item.category_id)
        same_category = Case(
            When(category_id=item.category_id, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    rows = list(
        ContentItem.objects.visible_to(user)
        .filter(candidates)
        .exclude(pk=item.pk)
        .annotate(
            shared_tags=_count(TaggedContentItem, "content_object_id", "tag_id", tag_ids),
            shared_standards=_count(standards_through, "contentitem_id", "pestandard_id", standard_ids),
            shared_activities=_count(activities_through, "contentitem_id", "activity_id", activity_ids),
            same_category=same_category,
        )
        .annotate(
            score=WEIGHTS["tags"] * F("shared_tags")
            + WEIGHTS["standards"] * F("shared_standards")
            + WEIGHTS["activities"] * F("shared_activities")
            + WEIGHTS["category"] * F("same_category")
        )
        .filter(score__gt=0)
        .select_related("owner", "category")
        .order_by("-score", "-updated_at", "pk")[:limit]
    )
    if not rows:
        return []
    return [
        Related(item=row, score=row.score, reasons=reasons)
        for row, reasons in _reasons(item, rows, tag_ids, standard_ids, activity_ids)
    ]


def _names(through, owner_column, value_column, label_columns, ids, values) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(**{f"{owner_column}__in": ids, f"{value_column}__in": values})
        .values_list(owner_column, *label_columns)
        .order_by(*label_columns)
    )
    for row in rows:
        found.setdefault(row[0], []).append(" ".join(str(part) for part in row[1:]))
    return found


def _reasons(item, rows, tag_ids, standard_ids, activity_ids):
    ids = [row.pk for row in rows]
    tags = _names(TaggedContentItem, "content_object_id", "tag_id", ["tag__name"], ids, tag_ids)
    standards = _names(
        ContentItem.standards.through, "contentitem_id", "pestandard_id", ["pestandard__number"], ids, standard_ids
    )
    activities = _names(
        ContentItem.activities.through, "contentitem_id", "activity_id", ["activity__name"], ids, activity_ids
    )
    for row in rows:
        reasons = []
        if tags.get(row.pk):
            names = tags[row.pk]
            reasons.append(
                ngettext("%(n)d shared tag: %(names)s", "%(n)d shared tags: %(names)s", len(names))
                % {"n": len(names), "names": ", ".join(names)}
            )
        if standards.get(row.pk):
            names = standards[row.pk]
            reasons.append(
                ngettext("%(n)d shared standard: %(names)s", "%(n)d shared standards: %(names)s", len(names))
                % {"n": len(names), "names": ", ".join(names)}
            )
        if activities.get(row.pk):
            names = activities[row.pk]
            reasons.append(
                ngettext("%(n)d shared activity: %(names)s", "%(n)d shared activities: %(names)s", len(names))
                % {"n": len(names), "names": ", ".join(names)}
            )
        if item.category_id and row.category_id == item.category_id:
            reasons.append(_("Same category: %(name)s") % {"name": row.category.name})
        yield row, reasons


def recently_viewed(user, limit: int = 5) -> list[ContentView]:
    """The user's views of still-visible items, newest first (``view.item`` loaded)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        ContentView.objects.filter(user=user, item__in=ContentItem.objects.visible_to(user).values("pk"))
        .select_related("item", "item__owner")
        .order_by("-last_viewed_at", "pk")[:limit]
    )


def popular_items(user, limit: int = 5, *, days: int = POPULAR_DAYS, now=None) -> list[ContentItem]:
    """Visible items by distinct viewers in the window, then total views (annotated
    ``recent_viewers`` and ``total_views``)."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return list(
        ContentItem.objects.visible_to(user)
        .annotate(
            recent_viewers=Count("views", filter=Q(views__last_viewed_at__gte=since)),
            total_views=Coalesce(Sum("views__view_count"), 0),
        )
        .filter(recent_viewers__gt=0)
        .select_related("owner")
        .order_by("-recent_viewers", "-total_views", "-updated_at", "pk")[:limit]
    )
