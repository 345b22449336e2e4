"""Bulk tagging: add and/or remove tags on several items at once.

Why through ``update_item``: tags are a versioned field, so each changed item gets a new version
("Bulk tagging") exactly like a single edit, with the same rights check and audit row. Ids are
checked first, all at once: an id the user cannot see (another school's item, or one they have
no access to) is a 400 naming it and nothing changes. Visible items the user may not edit are
skipped with a reason, as are items the change would leave as they were.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from content.models import ContentItem
from content.services.common import ConflictError
from content.services.items import update_item
from content.services.tags import clean_names

MAX_BULK_ITEMS = 200
SKIP_NO_RIGHTS = "no_edit_rights"
SKIP_UNCHANGED = "unchanged"
SKIP_CONFLICT = "conflict"
SKIP_INVALID = "invalid"


def skip_reason_label(reason: str) -> str:
    return {
        SKIP_NO_RIGHTS: _("You may not edit this item."),
        SKIP_UNCHANGED: _("It already had these tags."),
        SKIP_CONFLICT: _("Someone saved it while the tags were applied; try again."),
    }.get(reason, _("The tags could not be applied."))


@dataclass
class BulkTagResult:
    changed: list[int] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"changed": self.changed, "skipped": self.skipped}


def _parse_ids(item_ids) -> list[int]:
    wanted = []
    for raw in item_ids or ():
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ServiceError(_("“%(id)s” is not an item id.") % {"id": raw}, field="items", code="invalid") from None
        if value not in wanted:
            wanted.append(value)
    if not wanted:
        raise ServiceError(_("Choose at least one item."), field="items", code="required")
    if len(wanted) > MAX_BULK_ITEMS:
        raise ServiceError(
            _("Tag at most %(limit)d items at once.") % {"limit": MAX_BULK_ITEMS}, field="items", code="too_many"
        )
    return wanted


def bulk_tag(*, actor, item_ids, add=(), remove=()) -> BulkTagResult:
    """Adds ``add`` and removes ``remove`` (tag names, normalized) on every item of ``item_ids``
    the actor may edit; returns the ids changed and the ones skipped with a reason code."""
    wanted = _parse_ids(item_ids)
    add, remove = clean_names(add), clean_names(remove)
    if not add and not remove:
        raise ServiceError(_("Name at least one tag to add or remove."), field="add", code="required")
    both = sorted(set(add) & set(remove))
    if both:
        raise ServiceError(
            _("A tag cannot be both added and removed: %(tags)s.") % {"tags": ", ".join(both)},
            field="remove",
            code="invalid",
        )
    visible = {item.pk: item for item in ContentItem.objects.visible_to(actor).filter(pk__in=wanted)}
    unknown = [pk for pk in wanted if pk not in visible]
    if unknown:
        raise ServiceError(
            _("These items do not exist or are not yours to see: %(ids)s.") % {"ids": ", ".join(map(str, unknown))},
            field="items",
            code="does_not_exist",
        )
    editable = set(ContentItem.objects.editable_by(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    result = BulkTagResult()
    for pk in wanted:
        item = visible[pk]
        if pk not in editable:
            result.skipped.append({"id": pk, "reason": SKIP_NO_RIGHTS})
            continue
        current = [tag.name for tag in item.tags.all()]
        new = [name for name in current if name not in remove] + [name for name in add if name not in current]
        if sorted(new) == sorted(current):
            result.skipped.append({"id": pk, "reason": SKIP_UNCHANGED})
            continue
        try:
            update_item(actor=actor, item=item, base_version=item.version, tags=new, change_note=_("Bulk tagging"))
        except ConflictError:
            result.skipped.append({"id": pk, "reason": SKIP_CONFLICT})
            continue
        except ServiceError as exc:
            if exc.status == 403:
                result.skipped.append({"id": pk, "reason": SKIP_NO_RIGHTS})
                continue
            result.skipped.append({"id": pk, "reason": exc.code or SKIP_INVALID})
            continue
        result.changed.append(pk)
    if result.changed:
        school_ids = {visible[pk].school_id for pk in result.changed}
        school = visible[result.changed[0]].school if len(school_ids) == 1 else None
        record_event(
            "content.bulk_tagged",
            actor=actor,
            school=school,
            target_type="content.contentitem",
            target_label=_("%(count)d items") % {"count": len(result.changed)},
            changes={"items": result.changed, "added": add, "removed": remove},
        )
    return result
