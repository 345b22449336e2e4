"""Reads for an item's version history (content §2), shared by the history pages and the API.

Finding the item goes through the one visibility rule: ``in_user_schools`` first (another
school's item is a 404), then ``can_view`` (same school without rights is a 403). Versions are
read through ``ContentVersion.objects.visible_to(user).for_items(...)`` so a version is never
reachable by a path the item itself is not. A history list shows which fields each version
changed; ``with_changed_fields`` computes that for a whole page from the page's own snapshots
plus the one version just before it, so the query count does not grow with the page size.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from content.models import ContentItem, ContentVersion
from content.selectors.access import can_view
from content.services.diff import SET_FIELDS, changed_fields, diff_snapshots, display_value, field_label, set_labels

MAX_VERSION = 2_147_483_647


class BadVersionParameter(Exception):
    """A ``from``/``to`` that is not a number or names no version of the item (400)."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


def viewable_item(user, item_id) -> ContentItem:
    """The item if the user may view it: 404 outside their schools, 403 without view rights."""
    item = ContentItem.objects.in_user_schools(user).select_related("school", "owner").filter(pk=item_id).first()
    if item is None:
        raise Http404
    if not can_view(user, item):
        raise PermissionDenied
    return item


def versions_of(user, item: ContentItem):
    """The item's versions, newest first, with their authors (one query per page)."""
    return (
        ContentVersion.objects.visible_to(user)
        .for_items(ContentItem.objects.visible_to(user))
        .filter(item=item)
        .select_related("author")
        .order_by("-number")
    )


def version_of(user, item: ContentItem, number: int) -> ContentVersion:
    version = versions_of(user, item).filter(number=number).first() if 0 < number <= MAX_VERSION else None
    if version is None:
        raise Http404
    return version


def with_changed_fields(user, item: ContentItem, versions) -> list[ContentVersion]:
    """Sets ``changed_fields`` (field names) and ``changed_labels`` on each version of a page
    ordered newest first: what it changed against the version before it (version 1: nothing)."""
    versions = list(versions)
    if not versions:
        return versions
    by_number = {version.number: version for version in versions}
    oldest = min(by_number)
    if oldest > 1:
        before = (
            versions_of(user, item).select_related(None).filter(number__lt=oldest).only("number", "snapshot").first()
        )
        if before is not None:
            by_number.setdefault(before.number, before)
    numbers = sorted(by_number)
    for previous, current in zip([None, *numbers], numbers, strict=False):
        version = by_number[current]
        if previous is None:
            version.changed_fields = []
        else:
            version.changed_fields = changed_fields(by_number[previous].snapshot, version.snapshot)
        version.changed_labels = [field_label(field) for field in version.changed_fields]
    return versions


def author_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def parse_number(param: str, raw) -> int | None:
    """A version number from a query parameter; empty or absent is ``None``."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    number = int(text) if re.fullmatch(r"[0-9]{1,10}", text, re.ASCII) else 0
    if number < 1 or number > MAX_VERSION:
        raise BadVersionParameter(param, _("Give a version number (1 or more)."))
    return number


def diff_pair(user, item: ContentItem, from_raw, to_raw) -> tuple[ContentVersion, ContentVersion]:
    """The two versions to compare. Both absent: the previous version against the current one
    (version 1 against itself when there is only one). One absent: the other end defaults to the
    current version (``to``) or the one before ``to`` (``from``)."""
    from_number, to_number = parse_number("from", from_raw), parse_number("to", to_raw)
    if to_number is None:
        to_number = item.version
    if from_number is None:
        from_number = max(to_number - 1, 1)
    found = {v.number: v for v in versions_of(user, item).filter(number__in={from_number, to_number})}
    for param, number in (("from", from_number), ("to", to_number)):
        if number not in found:
            raise BadVersionParameter(param, _("This item has no version %(number)d.") % {"number": number})
    return found[from_number], found[to_number]


def diff_versions(old: ContentVersion, new: ContentVersion) -> list[dict]:
    return diff_snapshots(old.snapshot, new.snapshot)


FACT_FIELDS = ("kind", "status", "grade_min", "grade_max", "duration_minutes", "language", "video_url", "category")


def snapshot_facts(data: dict) -> dict:
    """A snapshot laid out for reading: ``facts`` (label, value) for the short fields and
    ``lists`` (label, labels) for the many-valued ones; title, summary and body as stored."""
    return {
        "title": data.get("title", ""),
        "summary": data.get("summary", ""),
        "body": data.get("body", ""),
        "facts": [(field_label(field), display_value(field, data.get(field))) for field in FACT_FIELDS],
        "lists": [(field_label(field), set_labels(field, data.get(field))) for field in SET_FIELDS],
    }
