"""The one write path for content items: create, update (optimistic concurrency), restore, delete.

Every change that alters a versioned field writes an immutable ``ContentVersion`` (author, time,
change note, snapshot) and bumps ``item.version``. ``update_item`` takes ``base_version`` — the
version the edit started from — and refuses with ``ConflictError`` (409) when the item has moved
on, listing what changed since, so an edit is never silently overwritten. The PostgreSQL search
vector is refreshed in the same transaction.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import members_of
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import school_for_write
from content.markdown import unsafe_markup
from content.models import ContentItem, ContentKind, ContentStatus, ContentVersion
from content.services.common import ConflictError, require_edit, require_manage
from content.services.diff import diff_snapshots
from content.services.snapshots import SCALAR_FIELDS, ids, snapshot
from content.services.tags import resolve_tags

ADD_PERM = "content.add_contentitem"
RELATION_FIELDS = ("standards", "indicators", "activities", "exercises")
EDITABLE_FIELDS = (*SCALAR_FIELDS, "category", "tags", *RELATION_FIELDS)
DEFAULTS = {
    "kind": ContentKind.LESSON_PLAN,
    "summary": "",
    "body": "",
    "status": ContentStatus.DRAFT,
    "grade_min": 0,
    "grade_max": 12,
    "duration_minutes": None,
    "video_url": "",
    "language": "en",
    "category": None,
    "tags": (),
    "standards": (),
    "indicators": (),
    "activities": (),
    "exercises": (),
}


def refresh_search_vectors(item_ids) -> None:
    """Title weighted A, summary B, body C (PostgreSQL; SQLite searches without a vector)."""
    if connection.vendor != "postgresql":
        return
    config = settings.CONTENT_SEARCH_CONFIG
    ContentItem.objects.filter(pk__in=list(item_ids)).update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def _check_text(values: dict) -> None:
    title = (values.get("title") or "").strip()
    if not title:
        raise ServiceError(_("Give the item a title."), field="title", code="required")
    values["title"] = title
    limit = settings.CONTENT_MAX_BODY_CHARS
    if len(values.get("body") or "") > limit:
        raise ServiceError(
            _("The body is longer than %(limit)d characters.") % {"limit": limit}, field="body", code="too_long"
        )
    for field in ("title", "summary", "body"):
        found = unsafe_markup(values.get(field) or "")
        if found:
            raise ServiceError(
                _("Scripts, embedded pages and event handlers are not allowed (found %(what)s).")
                % {"what": ", ".join(found)},
                field=field,
                code="unsafe_markup",
            )


def _check_values(school, values: dict) -> None:
    """Every rule a stored item keeps; ``values`` holds every editable field."""
    _check_text(values)
    if values["grade_min"] > values["grade_max"]:
        raise ServiceError(_("The highest grade cannot be below the lowest grade."), field="grade_max")
    if values["kind"] == ContentKind.VIDEO_LINK and not values.get("video_url"):
        raise ServiceError(_("A video link needs the video's address."), field="video_url", code="required")
    category = values.get("category")
    if category is not None and category.school_id != school.pk:
        raise ServiceError(_("Choose a category of this school."), field="category", code="does_not_exist")
    for field in ("activities", "exercises"):
        for row in values.get(field) or ():
            if row.school_id not in (None, school.pk):
                raise ServiceError(_("Choose from this school's library."), field=field, code="does_not_exist")


def _check_co_authors(school, owner, co_authors) -> list:
    staff = set(members_of(school).values_list("pk", flat=True))
    chosen = []
    for user in co_authors or ():
        if user.pk not in staff:
            raise ServiceError(
                _("%(name)s is not on the staff of this school.") % {"name": user.get_full_name() or user.email},
                field="co_authors",
                code="outside_school",
            )
        if owner is None or user.pk != owner.pk:
            chosen.append(user)
    return chosen


def _apply(item: ContentItem, values: dict) -> None:
    for field in SCALAR_FIELDS:
        setattr(item, field, values[field])
    item.category = values["category"]
    if item.status == ContentStatus.PUBLISHED and item.published_at is None:
        item.published_at = timezone.now()


def _set_relations(item: ContentItem, values: dict) -> None:
    item.tags.set(resolve_tags(item.school, values["tags"]))
    for field in RELATION_FIELDS:
        getattr(item, field).set(list(values[field]))


def _record_version(item, actor, note: str, *, restored_from=None) -> ContentVersion:
    return ContentVersion.objects.create(
        item=item,
        number=item.version,
        author=actor,
        change_note=note[:300],
        snapshot=snapshot(item),
        restored_from=restored_from,
    )


@transaction.atomic
def create_item(*, actor, school=None, title: str, change_note: str = "", co_authors=(), forked_from=None, **fields):
    """A new item owned by ``actor`` (version 1). ``fields`` are the editable fields."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown content fields: {sorted(unknown)}")
    if actor is not None:
        school = school_for_write(actor=actor, perm=ADD_PERM, school=school)
    values = {**DEFAULTS, **fields, "title": title}
    _check_values(school, values)
    co_authors = _check_co_authors(school, actor, co_authors)
    item = ContentItem(school=school, owner=actor, forked_from=forked_from)
    _apply(item, values)
    item.save()
    _set_relations(item, values)
    if co_authors:
        item.co_authors.set(co_authors)
    _record_version(item, actor, change_note or _("Created"))
    refresh_search_vectors([item.pk])
    record_event("content.item_created", actor=actor, school=school, target=item, target_label=item.title)
    return item


def current_values(item: ContentItem) -> dict:
    """The editable fields of ``item`` as model values (the base an update merges into)."""
    values = {field: getattr(item, field) for field in SCALAR_FIELDS}
    values["category"] = item.category
    values["tags"] = [tag.name for tag in item.tags.all()]
    for field in RELATION_FIELDS:
        values[field] = list(getattr(item, field).all())
    return values


def conflict_details(item: ContentItem, base_version: int) -> dict:
    """What changed between ``base_version`` and the current version, and by whom."""
    base = item.versions.filter(number=base_version).first()
    newer = item.versions.filter(number__gt=base_version).select_related("author").order_by("number")
    return {
        "current_version": item.version,
        "your_version": base_version,
        "changes": diff_snapshots(base.snapshot, snapshot(item)) if base else [],
        "versions_since": [
            {
                "number": version.number,
                "author": (version.author.get_full_name() or version.author.email) if version.author else "",
                "created_at": version.created_at.isoformat(),
                "change_note": version.change_note,
            }
            for version in newer
        ],
    }


def _lock(item: ContentItem) -> ContentItem:
    return ContentItem.objects.select_for_update(of=("self",)).select_related("school").get(pk=item.pk)


def _save_changes(locked, actor, values, note, *, restored_from=None) -> ContentItem:
    before = snapshot(locked)
    _check_values(locked.school, values)
    _apply(locked, values)
    locked.save()
    _set_relations(locked, values)
    if snapshot(locked) == before:
        return locked  # nothing changed: no new version
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    _record_version(locked, actor, note, restored_from=restored_from)
    refresh_search_vectors([locked.pk])
    record_event(
        "content.item_restored" if restored_from else "content.item_updated",
        actor=actor,
        school=locked.school,
        target=locked,
        target_label=locked.title,
        changes={"version": [locked.version - 1, locked.version]},
    )
    return locked


@transaction.atomic
def update_item(*, actor, item: ContentItem, base_version: int, change_note: str = "", co_authors=None, **changes):
    """Applies ``changes`` (editable fields) if the item is still at ``base_version``; a stale
    edit raises ``ConflictError`` with what changed since and nothing is written."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown content fields: {sorted(unknown)}")
    locked = _lock(item)
    require_edit(actor, locked)
    if base_version is None:
        raise ServiceError(_("Say which version your edit started from."), field="version", code="required")
    if base_version != locked.version:
        raise ConflictError(
            _("Someone saved version %(current)d after the version %(yours)d you started from. Review their changes.")
            % {"current": locked.version, "yours": base_version},
            extra=conflict_details(locked, base_version),
        )
    if co_authors is not None:
        require_manage(actor, locked)
        locked.co_authors.set(_check_co_authors(locked.school, locked.owner, co_authors))
    values = {**current_values(locked), **changes}
    return _save_changes(locked, actor, values, change_note or _("Edited"))


@transaction.atomic
def restore_version(*, actor, item: ContentItem, number: int, base_version: int | None = None, change_note: str = ""):
    """A new version with the content of version ``number`` (relations that no longer exist are
    left out; a category deleted since stays empty)."""
    locked = _lock(item)
    require_edit(actor, locked)
    if base_version is not None and base_version != locked.version:
        raise ConflictError(
            _("Someone saved version %(current)d after the version %(yours)d you started from. Review their changes.")
            % {"current": locked.version, "yours": base_version},
            extra=conflict_details(locked, base_version),
        )
    version = locked.versions.filter(number=number).first()
    if version is None:
        raise ServiceError(_("There is no version %(number)d.") % {"number": number}, field="number", code="not_found")
    values = restored_values(locked.school, version.snapshot)
    note = change_note or _("Restored version %(number)d") % {"number": number}
    return _save_changes(locked, actor, values, note, restored_from=number)


def restored_values(school, data: dict) -> dict:
    from content.models import Category
    from physed.models import Activity, Exercise, GradeSpanIndicator, PEStandard

    values = {field: data.get(field, DEFAULTS.get(field)) for field in SCALAR_FIELDS}
    category = data.get("category")
    values["category"] = Category.objects.filter(pk=category["id"], school=school).first() if category else None
    values["tags"] = list(data.get("tags") or [])
    library = Q(school__isnull=True) | Q(school=school)
    values["standards"] = list(PEStandard.objects.filter(pk__in=ids(data.get("standards"))))
    values["indicators"] = list(GradeSpanIndicator.objects.filter(pk__in=ids(data.get("indicators"))))
    values["activities"] = list(Activity.objects.filter(library, pk__in=ids(data.get("activities"))))
    values["exercises"] = list(Exercise.objects.filter(library, pk__in=ids(data.get("exercises"))))
    return values


@transaction.atomic
def delete_item(*, actor, item: ContentItem) -> None:
    """Deletes the item with its versions, attachments, shares and comments (owner or manager).
    Archiving (status ``archived``) is the everyday way to retire an item."""
    require_manage(actor, item)
    school, title, pk = item.school, item.title, item.pk
    for attachment in item.attachments.all():
        attachment.file.delete(save=False)
    item.delete()
    record_event(
        "content.item_deleted",
        actor=actor,
        school=school,
        target_type="content.contentitem",
        target_id=pk,
        target_label=title,
    )
