"""Duplicate ("fork") an item into one's own library (content §5).

A viewer who may create items in the item's school gets a draft copy they own, made through the
one write path (``create_item``) so the copy starts with version 1 noting where it came from, and
``forked_from`` links back. The current content travels (text, grades, category, tags, standards,
indicators, activities, exercises) and the attachments are copied as new private files; shares,
co-authors and comments stay with the original — the copy is private until its owner shares it.
"""

import os

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from content.models import ContentAttachment, ContentItem, ContentStatus
from content.services.common import require_view
from content.services.items import create_item, current_values

TITLE_MAX = 200


def _copy_attachments(source: ContentItem, copy: ContentItem, actor) -> int:
    copied = 0
    for attachment in source.attachments.all():
        new = ContentAttachment(
            item=copy,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            uploaded_by=actor,
        )
        name = os.path.basename(attachment.file.name) or attachment.original_name
        with attachment.file.open("rb") as handle:
            new.file.save(name, File(handle), save=True)
        copied += 1
    return copied


@transaction.atomic
def fork_item(*, actor, item: ContentItem, school=None, title: str | None = None) -> ContentItem:
    """A draft copy of ``item`` owned by ``actor`` in the item's school (``school``, if given,
    must be that school: categories, tags and library links belong to it)."""
    require_view(actor, item)
    if school is not None and school.pk != item.school_id:
        raise ServiceError(_("An item can be copied only within its school."), field="school", code="outside_school")
    values = current_values(item)
    values["status"] = ContentStatus.DRAFT
    values.pop("title", None)
    new_title = (title or "").strip() or _("%(title)s (copy)") % {"title": item.title}
    note = _("Copied from %(title)s v%(version)d") % {"title": item.title, "version": item.version}
    copy = create_item(
        actor=actor,
        school=item.school,
        title=new_title[:TITLE_MAX],
        forked_from=item,
        change_note=note,
        **values,
    )
    files = _copy_attachments(item, copy, actor)
    record_event(
        "content.item_forked",
        actor=actor,
        school=item.school,
        target=copy,
        target_label=copy.title,
        changes={"forked_from": item.pk, "version": item.version, "attachments": files},
    )
    return copy
