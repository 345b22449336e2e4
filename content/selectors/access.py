"""Object-level content rights, asked of the one visibility rule (``content.models.visibility``).

* ``can_view`` — the item is in ``ContentItem.objects.visible_to(user)``;
* ``can_edit`` — in ``editable_by(user)``: change the content, attach files, schedule it;
* ``can_manage`` — the owner or ``content.manage_contentitem`` in its school: share, change
  co-authors, archive, delete.
Pages and the API ask these; a row another school owns was already a 404 before.
"""

from accounts.selectors import has_school_perm
from content.models import ContentItem
from content.models.visibility import MANAGE_PERM


def can_view(user, item: ContentItem) -> bool:
    return ContentItem.objects.visible_to(user).filter(pk=item.pk).exists()


def can_edit(user, item: ContentItem) -> bool:
    return ContentItem.objects.editable_by(user).filter(pk=item.pk).exists()


def can_manage(user, item: ContentItem) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (item.owner_id is not None and item.owner_id == user.pk):
        return True
    return has_school_perm(user, MANAGE_PERM, item.school_id)


def rights(user, item: ContentItem) -> dict:
    """What the user may do with the item (for pages and the API's ``my_rights`` field)."""
    edit = can_edit(user, item)
    manage = can_manage(user, item)
    return {"view": True, "edit": edit or manage, "manage": manage}
