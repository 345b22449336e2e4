"""Version snapshots: the versioned fields of an item as plain JSON, and back.

Scalars are stored as they are; the category as ``{"id", "name"}``; tags as sorted names;
standards, indicators, activities and exercises as ``[{"id", "label"}]`` sorted by id, so a diff can
show names and a restore can set the ids that still exist.
"""

from content.models import SCALAR_FIELDS, VERSIONED_FIELDS, ContentItem

RELATION_LABELS = {
    "standards": lambda s: f"{s.number}. {s.short_name}",
    "indicators": lambda i: i.code,
    "activities": lambda a: a.name,
    "exercises": lambda e: e.name,
}


def snapshot(item: ContentItem) -> dict:
    data = {field: getattr(item, field) for field in SCALAR_FIELDS}
    data["category"] = {"id": item.category_id, "name": item.category.name} if item.category_id else None
    data["tags"] = sorted(tag.name for tag in item.tags.all())
    for field, label in RELATION_LABELS.items():
        data[field] = [{"id": row.pk, "label": label(row)} for row in sorted(getattr(item, field).all(), key=_pk)]
    assert set(data) == set(VERSIONED_FIELDS)
    return data


def _pk(row):
    return row.pk


def ids(snapshot_value) -> list[int]:
    return [entry["id"] for entry in snapshot_value or []]
