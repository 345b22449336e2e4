"""Tags: one vocabulary per school (django-taggit with ``ContentTag``)."""

import re

from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from content.models import ContentTag

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
