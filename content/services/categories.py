"""The one write path for the category tree: create, rename/describe, move, reorder, delete.

Why a service: ``Category.path`` ("/<root id>/…/<id>/") and ``depth`` are derived columns that a
category filter relies on (``path__startswith``), so every change that moves a node must rewrite
its whole subtree in the same transaction, and nothing else may write them.

Rules:
* a tree has at most ``MAX_CATEGORY_DEPTH`` levels (a root has depth 0, so the deepest node has
  depth ``MAX_CATEGORY_DEPTH - 1``); a move that would push any node of the subtree deeper is
  refused;
* a node cannot move under itself or one of its descendants (a cycle);
* names are unique among siblings, compared without case (a clear 400 on ``name``);
* deleting a node: its items simply lose their category (the FK is ``SET_NULL``; no new item
  versions — a taxonomy change is not an edit of the item, and restoring an old version leaves a
  deleted category empty). A node with children is refused unless the caller chooses
  ``children="move_up"``: the children (with their subtrees) then move to the deleted node's
  parent, keeping their order after the existing siblings.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.schools import require_school_perm, school_for_write
from content.models import Category, ContentItem
from content.models.taxonomy import MAX_CATEGORY_DEPTH

ADD_PERM = "content.add_category"
CHANGE_PERM = "content.change_category"
DELETE_PERM = "content.delete_category"
CHILDREN_REFUSE = "refuse"
CHILDREN_MOVE_UP = "move_up"
_UNSET = object()


def _clean_name(name) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise ServiceError(_("Give the category a name."), field="name", code="required")
    if len(cleaned) > 100:
        raise ServiceError(_("A category name is at most 100 characters."), field="name", code="too_long")
    return cleaned


def _check_sibling_name(school, parent, name: str, *, exclude_pk=None) -> None:
    siblings = Category.objects.filter(school=school, parent=parent, name__iexact=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise ServiceError(
            _("There is already a category called “%(name)s” here.") % {"name": name}, field="name", code="unique"
        )


def _check_parent(school, parent) -> None:
    if parent is not None and parent.school_id != school.pk:
        raise ServiceError(_("Choose a category of this school."), field="parent", code="does_not_exist")


def _next_position(school, parent) -> int:
    top = Category.objects.filter(school=school, parent=parent).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _subtree(category):
    return Category.objects.filter(school_id=category.school_id, path__startswith=category.path)


def check_placement(*, school, parent, name: str, category: Category | None = None) -> str:
    """Every rule a node's place keeps (school, cycle, depth, sibling names) without writing;
    returns the cleaned name. The services and the admin form use it."""
    name = _clean_name(name)
    _check_parent(school, parent)
    if category is None:
        if parent is not None and parent.depth + 1 >= MAX_CATEGORY_DEPTH:
            raise ServiceError(
                _("Categories go at most %(levels)d levels deep.") % {"levels": MAX_CATEGORY_DEPTH},
                field="parent",
                code="too_deep",
            )
        _check_sibling_name(school, parent, name)
        return name
    if (parent.pk if parent else None) != category.parent_id:
        _check_move(category, parent)
    _check_sibling_name(school, parent, name, exclude_pk=category.pk)
    return name


@transaction.atomic
def create_category(*, actor, school=None, name: str, parent=None, description: str = "", position=None) -> Category:
    """A new node under ``parent`` (a root when None), placed last among its siblings unless a
    ``position`` is given."""
    if school is None and parent is not None:
        school = parent.school
    school = school_for_write(actor=actor, perm=ADD_PERM, school=school)
    name = check_placement(school=school, parent=parent, name=name)
    depth = parent.depth + 1 if parent is not None else 0
    category = Category.objects.create(
        school=school,
        parent=parent,
        name=name,
        description=(description or "").strip()[:300],
        position=_next_position(school, parent) if position is None else position,
        depth=depth,
        created_by=actor,
    )
    category.path = f"{parent.path if parent else '/'}{category.pk}/"
    category.save(update_fields=["path"])
    record_event("content.category_created", actor=actor, school=school, target=category, target_label=name)
    return category


def _check_move(category, parent) -> list[Category]:
    """Refuses a cycle or a too-deep subtree; returns the subtree rows."""
    if parent is not None and parent.path.startswith(category.path):
        raise ServiceError(
            _("A category cannot move under itself or one of its subcategories."), field="parent", code="cycle"
        )
    new_depth = parent.depth + 1 if parent is not None else 0
    subtree = list(_subtree(category))
    height = max(node.depth for node in subtree) - category.depth
    if new_depth + height >= MAX_CATEGORY_DEPTH:
        raise ServiceError(
            _("Categories go at most %(levels)d levels deep; this move would go deeper.")
            % {"levels": MAX_CATEGORY_DEPTH},
            field="parent",
            code="too_deep",
        )
    return subtree


def _move(category, parent) -> None:
    """Re-parents ``category`` and rewrites path and depth of its whole subtree."""
    subtree = _check_move(category, parent)
    new_depth = parent.depth + 1 if parent is not None else 0
    old_path, delta = category.path, new_depth - category.depth
    new_path = f"{parent.path if parent else '/'}{category.pk}/"
    for node in subtree:
        node.path = new_path + node.path[len(old_path) :]
        node.depth += delta
    Category.objects.bulk_update(subtree, ["path", "depth"])
    category.parent, category.path, category.depth = parent, new_path, new_depth


@transaction.atomic
def update_category(
    *, actor, category: Category, name=None, description=None, parent=_UNSET, position=None
) -> Category:
    """Rename, describe, reorder (``position``) or move (``parent``; None = make it a root)."""
    require_school_perm(actor, CHANGE_PERM, category.school)
    category = Category.objects.select_for_update().get(pk=category.pk)
    before = {"name": category.name, "parent": category.parent_id, "position": category.position}
    moving = parent is not _UNSET and (parent.pk if parent else None) != category.parent_id
    if parent is not _UNSET:
        _check_parent(category.school, parent)
    target_parent = parent if moving else category.parent
    new_name = _clean_name(name) if name is not None else category.name
    if moving or new_name.lower() != category.name.lower():
        _check_sibling_name(category.school, target_parent, new_name, exclude_pk=category.pk)
    if moving:
        _move(category, parent)
        if position is None:
            category.position = _next_position(category.school, parent)
    category.name = new_name
    if description is not None:
        category.description = description.strip()[:300]
    if position is not None:
        category.position = position
    category.save(update_fields=["name", "description", "position", "parent", "path", "depth"])
    after = {"name": category.name, "parent": category.parent_id, "position": category.position}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        record_event(
            "content.category_updated",
            actor=actor,
            school=category.school,
            target=category,
            target_label=category.name,
            changes=changes,
        )
    return category


@transaction.atomic
def delete_category(*, actor, category: Category, children: str = CHILDREN_REFUSE) -> int:
    """Deletes ``category``; returns how many items lost their category. See the module rules
    for children (``"refuse"`` or ``"move_up"``)."""
    require_school_perm(actor, DELETE_PERM, category.school)
    if children not in (CHILDREN_REFUSE, CHILDREN_MOVE_UP):
        raise ServiceError(_("Choose what happens to the subcategories."), field="children", code="invalid_choice")
    category = Category.objects.select_for_update().get(pk=category.pk)
    kids = list(category.children.order_by("position", "name", "pk"))
    if kids and children != CHILDREN_MOVE_UP:
        raise ServiceError(
            _("“%(name)s” has subcategories: move them up one level or delete them first.") % {"name": category.name},
            field="children",
            code="has_children",
        )
    parent = category.parent
    for kid in kids:
        _check_sibling_name(category.school, parent, kid.name, exclude_pk=category.pk)
    position = _next_position(category.school, parent)
    for offset, kid in enumerate(kids):
        _move(kid, parent)
        kid.position = position + offset
        kid.save(update_fields=["parent", "path", "depth", "position"])
    emptied = ContentItem.objects.filter(category=category).count()
    school, pk, name = category.school, category.pk, category.name
    category.delete()
    record_event(
        "content.category_deleted",
        actor=actor,
        school=school,
        target_type="content.category",
        target_id=pk,
        target_label=name,
        changes={"items_uncategorized": [emptied, 0], "children_moved_up": [len(kids), 0]},
    )
    return emptied
