"""Querysets shared by the content models."""

from accounts.visibility import ScopedQuerySet
from config.uploads import private_storage  # noqa: F401 - FileField storage; migrations name it here


class SchoolQuerySet(ScopedQuerySet):
    school_lookup = "school"


class ItemChildQuerySet(ScopedQuerySet):
    """Rows that belong to a content item (versions, attachments, comments, shares, schedules).
    ``visible_to`` here is school scope only; callers narrow to items the user may see with
    ``for_items(ContentItem.objects.visible_to(user))``."""

    school_lookup = "item__school"

    def for_items(self, items):
        return self.filter(item__in=items.values("pk"))
