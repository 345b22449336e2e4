"""Tags: one vocabulary per school (django-taggit with ``ContentTag``): name normalizing, the
tags of an item write (``resolve_tags``, used by the item service), and the managers' rename,
merge and delete of the vocabulary."""

import re

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import require_school_perm
from content.models import ContentTag, TaggedContentItem

MAX_TAG_LENGTH = 50
MAX_TAGS_PER_ITEM = 30


def normalize(name: str) -> str:
    """Trimmed, inner whitespace collapsed, lower case (tags compare without case)."""
    return re.sub(r"\s+", " ", str(name or "")).strip().lower()


def clean_names(names) -> list[str]:
    cleaned = []
    for name in names or ():
        tag = normalize(name)
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ServiceError(
                _("A tag is at most %(limit)d characters.") % {"limit": MAX_TAG_LENGTH}, field="tags", code="too_long"
            )
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS_PER_ITEM:
        raise ServiceError(
            _("An item has at most %(limit)d tags.") % {"limit": MAX_TAGS_PER_ITEM}, field="tags", code="too_many"
        )
    return cleaned


def resolve_tags(school, names) -> list[ContentTag]:
    """The school's tags for ``names`` (created when new), in the order given."""
    cleaned = clean_names(names)
    existing = {tag.name: tag for tag in ContentTag.objects.filter(school=school, name__in=cleaned)}
    result = []
    for name in cleaned:
        tag = existing.get(name)
        if tag is None:
            tag = ContentTag.objects.create(school=school, name=name, slug=_unique_slug(school, name))
        result.append(tag)
    return result


def _unique_slug(school, name: str) -> str:
    base = slugify(name, allow_unicode=True)[:90] or "tag"
    slug, n = base, 1
    while ContentTag.objects.filter(school=school, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- managing the vocabulary (content.manage_contentitem) ---------------------------------------
#
# A rename or merge is a taxonomy change, not an edit of the items: the tagged rows are re-pointed
# and no item gets a new version. Versions keep the tag names they were saved with (history shows
# what the item was called then); the next real edit of an item records its current names.

MANAGE_PERM = "content.manage_contentitem"


def _require_manage(actor, tag) -> None:
    require_school_perm(actor, MANAGE_PERM, tag.school)


def rename_tag(*, actor, tag: ContentTag, name: str) -> ContentTag:
    """Renames ``tag`` (normalized); a name the school already uses is refused — merge instead."""
    _require_manage(actor, tag)
    new = clean_names([name])
    if not new:
        raise ServiceError(_("Give the tag a name."), field="name", code="required")
    new_name = new[0]
    if new_name == tag.name:
        return tag
    if ContentTag.objects.filter(school=tag.school, name=new_name).exclude(pk=tag.pk).exists():
        raise ServiceError(
            _("The tag “%(name)s” already exists: merge into it instead.") % {"name": new_name},
            field="name",
            code="unique",
        )
    old_name = tag.name
    tag.name, tag.slug = new_name, _unique_slug(tag.school, new_name)
    tag.save(update_fields=["name", "slug"])
    record_event(
        "content.tag_renamed",
        actor=actor,
        school=tag.school,
        target=tag,
        target_label=new_name,
        changes={"name": [old_name, new_name]},
    )
    return tag


def merge_tags(*, actor, source: ContentTag, target: ContentTag) -> int:
    """Moves every item of ``source`` to ``target`` and deletes ``source``; returns how many items
    were re-tagged (items that already had ``target`` just lose ``source``)."""
    _require_manage(actor, source)
    if source.school_id != target.school_id:
        raise ServiceError(_("Choose a tag of this school."), field="into", code="does_not_exist")
    if source.pk == target.pk:
        raise ServiceError(_("A tag cannot be merged into itself."), field="into", code="same_tag")
    with transaction.atomic():
        rows = TaggedContentItem.objects.filter(tag=source)
        already = TaggedContentItem.objects.filter(tag=target).values("content_object_id")
        rows.filter(content_object_id__in=already).delete()
        moved = rows.update(tag=target)
        label = source.name
        source.delete()
        record_event(
            "content.tags_merged",
            actor=actor,
            school=target.school,
            target=target,
            target_label=target.name,
            changes={"merged": [label, target.name], "items_retagged": [0, moved]},
        )
    return moved


def delete_tag(*, actor, tag: ContentTag) -> int:
    """Deletes ``tag`` from the vocabulary and from every item (no new item versions); returns
    how many items carried it."""
    _require_manage(actor, tag)
    count = tag.tagged_items.count()
    school, pk, name = tag.school, tag.pk, tag.name
    tag.delete()
    record_event(
        "content.tag_deleted",
        actor=actor,
        school=school,
        target_type="content.contenttag",
        target_id=pk,
        target_label=name,
        changes={"items_untagged": [count, 0]},
    )
    return count
