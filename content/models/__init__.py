"""Content library models: one module per area."""

from content.models.items import (
    LONG_TEXT_FIELDS,
    SCALAR_FIELDS,
    VERSIONED_FIELDS,
    ContentAttachment,
    ContentItem,
    ContentKind,
    ContentLanguage,
    ContentStatus,
    ContentVersion,
    LessonSchedule,
)
from content.models.sharing import (
    ContentComment,
    ContentItemGroupObjectPermission,
    ContentItemUserObjectPermission,
    ContentShare,
    ContentView,
    ShareAudience,
)
from content.models.taxonomy import MAX_CATEGORY_DEPTH, Category, ContentTag, TaggedContentItem

__all__ = [
    "LONG_TEXT_FIELDS",
    "MAX_CATEGORY_DEPTH",
    "SCALAR_FIELDS",
    "VERSIONED_FIELDS",
    "Category",
    "ContentAttachment",
    "ContentComment",
    "ContentItem",
    "ContentItemGroupObjectPermission",
    "ContentItemUserObjectPermission",
    "ContentKind",
    "ContentLanguage",
    "ContentShare",
    "ContentStatus",
    "ContentTag",
    "ContentVersion",
    "ContentView",
    "LessonSchedule",
    "ShareAudience",
    "TaggedContentItem",
]
