"""Scale data (``seed_demo --scale N``): copies 2..N of each demo school's content library, in bulk.

Copy ``k`` of every demo item (``data/demo_items.json``, as ``demo_items`` seeded it in the school)
is a new item titled "<title> (k)" with the same owner, fields, category, tags, standards,
indicators, activities, exercises and co-authors, at version 1 with its version-1 snapshot (what
``create_item`` writes); the search vectors of all the copies are then filled in one UPDATE
(``content.services.items.refresh_search_vectors``). Every copy stays in the original's school.
Idempotent: a copy whose title already exists in the school is left alone.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from content.demo_items import load_items
from content.models import ContentItem, ContentVersion
from content.models.items import SCALAR_FIELDS
from content.services.items import RELATION_FIELDS, refresh_search_vectors
from content.services.snapshots import snapshot

COPIED_RELATIONS = (*RELATION_FIELDS, "co_authors")


def copy_title(title: str, copy: int) -> str:
    return f"{title} ({copy})"


def seed(context) -> None:
    scale = int((context or {}).get("scale", 1))
    if scale < 2:
        return
    for school in ((context or {}).get("schools") or {}).values():
        seed_school(school, scale)


@transaction.atomic
def seed_school(school, scale: int) -> list[ContentItem]:
    titles = [spec["title"] for spec in load_items()]
    originals = list(ContentItem.objects.filter(school=school, title__in=titles).order_by("pk"))
    existing = set(ContentItem.objects.filter(school=school).values_list("title", flat=True))
    copies = []
    for copy in range(2, scale + 1):
        for item in originals:
            title = copy_title(item.title, copy)
            if title in existing or len(title) > ContentItem._meta.get_field("title").max_length:
                continue
            values = {field: getattr(item, field) for field in SCALAR_FIELDS}
            copies.append(
                (
                    item,
                    ContentItem(
                        **{**values, "title": title},
                        school_id=item.school_id,
                        owner_id=item.owner_id,
                        category_id=item.category_id,
                        published_at=item.published_at,
                    ),
                )
            )
    if not copies:
        return []
    made = ContentItem.objects.bulk_create([new for _original, new in copies], batch_size=500)
    _copy_relations([(original, new) for (original, _unsaved), new in zip(copies, made, strict=True)])
    fresh = (
        ContentItem.objects.filter(pk__in=[item.pk for item in made])
        .select_related("category")
        .prefetch_related("tags", *RELATION_FIELDS)
    )
    ContentVersion.objects.bulk_create(
        (
            ContentVersion(
                item=item, number=1, author_id=item.owner_id, change_note=_("Created"), snapshot=snapshot(item)
            )
            for item in fresh
        ),
        batch_size=500,
    )
    refresh_search_vectors([item.pk for item in made])
    return made


def _copy_relations(pairs) -> None:
    """The tags and many-to-many links of each original onto its copy (through rows in bulk)."""
    copy_of = {original.pk: [] for original, _new in pairs}
    for original, new in pairs:
        copy_of[original.pk].append(new.pk)
    through = ContentItem.tags.through
    through.objects.bulk_create(
        through(tag_id=tag_id, content_object_id=new_pk)
        for item_id, tag_id in through.objects.filter(content_object_id__in=copy_of).values_list(
            "content_object_id", "tag_id"
        )
        for new_pk in copy_of[item_id]
    )
    for name in COPIED_RELATIONS:
        field = ContentItem._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        rows = through.objects.filter(**{f"{source}__in": list(copy_of)}).values_list(source, target)
        through.objects.bulk_create(
            (
                through(**{source: new_pk, target: target_id})
                for item_id, target_id in rows
                for new_pk in copy_of[item_id]
            ),
            batch_size=1000,
        )
