"""Reads of the category tree and the tag vocabulary.

Why here: the search helper filters by category *including its descendants* with one
``path__startswith`` (``subtree_filter``), and every count shown next to a category or a tag is a
count of items the user may see (``ContentItem.objects.visible_to``), never of the whole school —
a count must not reveal items the user cannot open.
"""

from collections import defaultdict

from django.db.models import Count, Q

from accounts.selectors import schools_where
from content.models import Category, ContentItem, ContentTag
from content.models.visibility import VIEW_PERM


def subtree_filter(category: Category, prefix: str = "category") -> Q:
    """A ``Q`` for items (or rows reaching a category through ``prefix``) in ``category`` or any
    of its descendants."""
    return Q(**{f"{prefix}__school_id": category.school_id, f"{prefix}__path__startswith": category.path})


def descendant_ids(category: Category, include_self: bool = True) -> list[int]:
    """Ids of the category's subtree (itself first when ``include_self``)."""
    rows = Category.objects.filter(school_id=category.school_id, path__startswith=category.path)
    if not include_self:
        rows = rows.exclude(pk=category.pk)
    return list(rows.order_by("depth", "path").values_list("pk", flat=True))


def ancestor_ids(category: Category) -> list[int]:
    """Ids from the root down to the parent (read from ``path``)."""
    return [int(part) for part in category.path.strip("/").split("/") if part][:-1]


def categories_for(user):
    """Categories of the schools where the user may look at the library."""
    return Category.objects.visible_to(user).filter(school__in=schools_where(user, VIEW_PERM))


def subtree_item_counts(user, categories) -> dict[int, int]:
    """For each category id: visible items in it or any of its descendants (one grouped query)."""
    categories = list(categories)
    if not categories:
        return {}
    direct = (
        ContentItem.objects.visible_to(user)
        .filter(category__school__in={c.school_id for c in categories}, category__isnull=False)
        .values_list("category_id", "category__path")
        .annotate(n=Count("pk", distinct=True))
    )
    totals: dict[int, int] = defaultdict(int)
    for _category_id, path, n in direct:
        for part in path.strip("/").split("/"):
            if part:
                totals[int(part)] += n
    return {category.pk: totals.get(category.pk, 0) for category in categories}


def category_tree(user, school) -> list[dict]:
    """The school's tree as nested dicts ``{"category", "count", "children"}``, siblings in
    position order; ``count`` includes descendants."""
    rows = list(Category.objects.filter(school=school).order_by("depth", "position", "name", "pk"))
    counts = subtree_item_counts(user, rows)
    nodes = {row.pk: {"category": row, "count": counts.get(row.pk, 0), "children": []} for row in rows}
    roots = []
    for row in rows:
        node = nodes[row.pk]
        parent = nodes.get(row.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


def category_choices(school, exclude: Category | None = None) -> list[tuple[int, str]]:
    """(id, indented label) in tree order, for parent pickers; ``exclude`` drops a node and its
    subtree (it cannot move under itself)."""
    rows = Category.objects.filter(school=school)
    if exclude is not None:
        rows = rows.exclude(path__startswith=exclude.path)
    ordered = _tree_order(list(rows))
    return [(row.pk, "— " * row.depth + row.name) for row in ordered]


def _tree_order(rows: list[Category]) -> list[Category]:
    children = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    ids = {row.pk for row in rows}
    result = []

    def walk(parent_id):
        for row in sorted(children[parent_id], key=lambda r: (r.position, r.name.lower(), r.pk)):
            result.append(row)
            walk(row.pk)

    for parent_id in [None, *[pid for pid in children if pid is not None and pid not in ids]]:
        walk(parent_id)
    return result


def tags_for(user, *, query: str = "", school=None):
    """The vocabulary of the schools where the user may look at the library, each tag annotated
    with ``item_count`` (visible items carrying it); ``query`` is a prefix of the name."""
    from content.services.tags import normalize

    rows = ContentTag.objects.visible_to(user).filter(school__in=schools_where(user, VIEW_PERM))
    if school is not None:
        rows = rows.filter(school=school)
    query = normalize(query)
    if query:
        rows = rows.filter(name__startswith=query)
    return with_item_counts(rows, user)


def with_item_counts(tags, user):
    """``tags`` annotated with ``item_count``: items carrying the tag that the user may see."""
    visible = ContentItem.objects.visible_to(user).values("pk")
    return tags.annotate(
        item_count=Count("tagged_items", filter=Q(tagged_items__content_object_id__in=visible), distinct=True)
    )
