"""Sharing an item with a user, a class or the whole school (content §5).

Why two mechanisms: a share with one person is a django-guardian object grant
(``view_contentitem``, plus ``change_contentitem`` for edit rights) in the item's direct-FK grant
table, which the visibility rule joins; a share with the school or a class is a ``ContentShare``
row evaluated at query time, so people who join the class later see it and leavers stop seeing
it. Only the item's owner or a holder of ``content.manage_contentitem`` may share (``can_manage``).
A person outside the item's school is refused (400) before anything is written. Every change is
audited and the people who gain access are notified.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Role
from accounts.models.core import STAFF_ROLES
from accounts.selectors import bump_permission_version, members_of
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from content.models import ContentItem, ContentItemUserObjectPermission, ContentShare, ShareAudience
from content.providers import ITEM_SHARED
from content.services.common import require_manage

AUDIENCE_USER = "user"
AUDIENCES = (AUDIENCE_USER, ShareAudience.SCHOOL.value, ShareAudience.PE_CLASS.value)
VIEW = "view_contentitem"
CHANGE = "change_contentitem"
SHAREABLE_ROLES = (*STAFF_ROLES, Role.STUDENT)


def _label(user) -> str:
    return user.get_full_name() or user.email


def share_candidates(item: ContentItem):
    """Who an item may be shared with: active staff and students of its school, not its owner."""
    rows = members_of(item.school_id, roles=SHAREABLE_ROLES)
    return rows.exclude(pk=item.owner_id) if item.owner_id else rows


def _check_audience(audience) -> str:
    if audience not in AUDIENCES:
        raise ServiceError(_("Choose who to share with: a person, a class or the whole school."), field="audience")
    return audience


def _check_user(item: ContentItem, user, can_edit: bool):
    if user is None:
        raise ServiceError(_("Choose the person to share with."), field="user", code="required")
    if item.owner_id == user.pk:
        raise ServiceError(_("The owner already has this item."), field="user", code="owner")
    if not share_candidates(item).filter(pk=user.pk).exists():
        raise ServiceError(_("This person is not in this school."), field="user", code="outside_school")
    if can_edit and not members_of(item.school_id).filter(pk=user.pk).exists():
        raise ServiceError(_("Only staff can be given edit rights."), field="can_edit", code="staff_only")


def _check_class(item: ContentItem, pe_class):
    if pe_class is None:
        raise ServiceError(_("Choose the class to share with."), field="pe_class", code="required")
    if pe_class.school_id != item.school_id:
        raise ServiceError(_("Choose a class of this school."), field="pe_class", code="outside_school")


def _item_url(item) -> str:
    return reverse("content-item-detail", args=[item.pk])


def _announce(item, recipients, actor, can_edit: bool) -> None:
    title = _("%(name)s shared “%(title)s” with you") % {
        "name": _label(actor) if actor else _("Someone"),
        "title": item.title,
    }
    body = _("You can edit it.") if can_edit else _("You can view it.")
    for user in recipients:
        if actor is None or user.pk != actor.pk:
            notify(user, ITEM_SHARED, title, body, _item_url(item))


def _result(audience, target_id, target_label, can_edit, created) -> dict:
    return {
        "audience": audience,
        "target_id": target_id,
        "target_label": target_label,
        "can_edit": can_edit,
        "created": created,
    }


@transaction.atomic
def share(*, actor, item: ContentItem, audience: str, user=None, pe_class=None, can_edit: bool = False) -> dict:
    """Shares ``item`` (again: updates the rights). ``actor=None`` is the system (demo data).
    Returns ``{audience, target_id, target_label, can_edit, created}``."""
    require_manage(actor, item)
    audience = _check_audience(audience)
    can_edit = bool(can_edit)
    if audience == AUDIENCE_USER:
        _check_user(item, user, can_edit)
        had = set(
            ContentItemUserObjectPermission.objects.filter(content_object=item, user=user).values_list(
                "permission__codename", flat=True
            )
        )
        assign_perm(f"content.{VIEW}", user, item)
        if can_edit:
            assign_perm(f"content.{CHANGE}", user, item)
        elif CHANGE in had:
            remove_perm(f"content.{CHANGE}", user, item)
        bump_permission_version()
        result = _result(audience, user.pk, _label(user), can_edit, not had)
        changed = not had or ((CHANGE in had) != can_edit)
        recipients = [user] if changed else []
    elif audience == ShareAudience.SCHOOL:
        _row, created = ContentShare.objects.update_or_create(
            item=item, audience=ShareAudience.SCHOOL, defaults={"can_edit": can_edit, "shared_by": actor}
        )
        result = _result(audience, 0, item.school.name, can_edit, created)
        recipients = []
    else:
        _check_class(item, pe_class)
        _row, created = ContentShare.objects.update_or_create(
            item=item,
            audience=ShareAudience.PE_CLASS,
            pe_class=pe_class,
            defaults={"can_edit": can_edit, "shared_by": actor},
        )
        result = _result(audience, pe_class.pk, str(pe_class), can_edit, created)
        recipients = list(pe_class.teachers.filter(is_active=True))
    record_event(
        "content.item_shared",
        actor=actor,
        school=item.school,
        target=item,
        target_label=item.title,
        changes={"audience": audience, "target": result["target_id"], "can_edit": can_edit},
    )
    _announce(item, recipients, actor, can_edit)
    return result


@transaction.atomic
def unshare(*, actor, item: ContentItem, audience: str, user=None, pe_class=None) -> bool:
    """Removes a share; ``False`` when there was none (nothing written)."""
    require_manage(actor, item)
    audience = _check_audience(audience)
    if audience == AUDIENCE_USER:
        if user is None:
            raise ServiceError(_("Choose the person to stop sharing with."), field="user", code="required")
        grants = ContentItemUserObjectPermission.objects.filter(content_object=item, user=user)
        removed = grants.exists()
        if removed:
            remove_perm(f"content.{VIEW}", user, item)
            remove_perm(f"content.{CHANGE}", user, item)
            bump_permission_version()
        target = user.pk
    elif audience == ShareAudience.SCHOOL:
        removed = bool(ContentShare.objects.filter(item=item, audience=ShareAudience.SCHOOL).delete()[0])
        target = 0
    else:
        if pe_class is None:
            raise ServiceError(_("Choose the class to stop sharing with."), field="pe_class", code="required")
        rows = ContentShare.objects.filter(item=item, audience=ShareAudience.PE_CLASS, pe_class=pe_class)
        removed = bool(rows.delete()[0])
        target = pe_class.pk
    if removed:
        record_event(
            "content.item_unshared",
            actor=actor,
            school=item.school,
            target=item,
            target_label=item.title,
            changes={"audience": audience, "target": target},
        )
    return removed
