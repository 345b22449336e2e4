"""Personal-data declarations for the content library (DESIGN §5b).

Items are school materials: the school keeps them when their author's account is erased, so the
person's links are cut instead of the rows deleted —
* items owned or co-authored: exported; on erasure ``owner`` → null and the co-author links removed;
* versions authored, attachments uploaded, shares made, lessons scheduled, categories created:
  exported; the person link → null (the content stays);
* comments written: exported and deleted (free text by the person); mentions of the person are
  exported and removed;
* views (what the person opened, how often) and guardian grants to the person: exported and deleted.
"""

from django.db.models import Q

from accounts.privacy import registry

CATEGORY = "content"


def _items_of(user):
    from content.models import ContentItem

    co_authored = ContentItem.co_authors.through.objects.filter(user_id=user.pk).values("contentitem_id")
    return ContentItem._base_manager.filter(Q(owner_id=user.pk) | Q(pk__in=co_authored))


def _erase_items(queryset, user):
    from content.models import ContentItem

    rows = queryset.count()
    ContentItem._base_manager.filter(owner_id=user.pk).update(owner=None)
    ContentItem.co_authors.through.objects.filter(user_id=user.pk).delete()
    return registry.ANONYMIZED, rows


def _export_items(queryset):
    yield from registry.default_exporter(queryset, exclude_fields=("search_vector",))


def _unlink(field):
    """An eraser that keeps the rows and clears ``field`` (the link to the person)."""

    def erase(queryset, user):
        return registry.ANONYMIZED, queryset.update(**{field: None})

    return erase


def register() -> None:
    from content.models import (
        Category,
        ContentAttachment,
        ContentComment,
        ContentItem,
        ContentItemUserObjectPermission,
        ContentShare,
        ContentVersion,
        ContentView,
        LessonSchedule,
    )

    registry.register(
        ContentItem,
        category=CATEGORY,
        rows=_items_of,
        exporter=_export_items,
        erase=_erase_items,
        school_path="school",
    )
    for model, field, school_path in (
        (ContentVersion, "author", "item__school"),
        (ContentAttachment, "uploaded_by", "item__school"),
        (ContentShare, "shared_by", "item__school"),
        (LessonSchedule, "scheduled_by", "item__school"),
        (Category, "created_by", "school"),
    ):
        registry.register(model, category=CATEGORY, user_path=field, erase=_unlink(field), school_path=school_path)
    registry.register(
        ContentComment, category=CATEGORY, user_path="author", erase=registry.DELETE, school_path="item__school"
    )
    registry.register(
        ContentComment.mentions.through,
        category=CATEGORY,
        user_path="user",
        erase=registry.DELETE,
        school_path="contentcomment__item__school",
    )
    registry.register(
        ContentView, category=CATEGORY, user_path="user", erase=registry.DELETE, school_path="item__school"
    )
    registry.register(
        ContentItemUserObjectPermission,
        category=CATEGORY,
        user_path="user",
        erase=registry.DELETE,
        school_path="content_object__school",
    )
