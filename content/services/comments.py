"""Comments on items with @mentions (content §5).

Anyone who can see an item may comment. ``@`` followed by an email address or its local part
(``@ana.lopez@school.org``, ``@ana.lopez``) mentions a person — but only a person who can see the
item: a handle that matches nobody who can, or more than one person, stays plain text and is
reported back (``comment.not_notified``) so the writer knows who was not told. We never say
whether such a person exists, so a mention cannot probe other schools. Bodies are plain text
(shown escaped), refused when empty, too long or carrying script-like markup, like item bodies.
"""

import re

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from accounts.services.notifications import notify
from content.markdown import unsafe_markup
from content.models import ContentComment, ContentItem
from content.providers import COMMENTED, MENTIONED
from content.selectors.access import can_manage, can_view
from content.services.common import require_view

MAX_COMMENT_CHARS = 5000
# "@" + local part, optionally "@domain.tld"; not preceded by a word character (so a plain email
# address in the text is not read as a mention of its domain)
MENTION_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})?)")


def mention_handles(body: str) -> list[str]:
    """The distinct handles mentioned in ``body``, in order, without the ``@`` and any trailing dot."""
    seen = []
    for match in MENTION_RE.finditer(body or ""):
        handle = match.group(1).rstrip(".")
        if handle and handle.lower() not in [h.lower() for h in seen]:
            seen.append(handle)
    return seen


def handle_matches(user, handle: str) -> bool:
    """Whether ``handle`` (an email address, or the local part of one) names ``user``."""
    email = (user.email or "").lower()
    handle = handle.lower()
    return email == handle if "@" in handle else email.split("@", 1)[0] == handle


def resolve_mentions(item: ContentItem, handles) -> tuple[dict, list[str]]:
    """``({handle: user}, [handles not resolved])`` among people who can see ``item``."""
    if not handles:
        return {}, []
    from django.db.models import Q

    from accounts.models import User

    members = Membership.objects.active().filter(school=item.school_id).values("user_id")
    wanted = Q()
    for handle in handles:
        wanted |= Q(email__iexact=handle) if "@" in handle else Q(email__istartswith=f"{handle}@")
    people = list(User.objects.filter(wanted, pk__in=members, is_active=True))
    resolved, unresolved = {}, []
    for handle in handles:
        found = [user for user in people if handle_matches(user, handle) and can_view(user, item)]
        if len(found) == 1:
            resolved[handle] = found[0]
        else:
            unresolved.append(handle)
    return resolved, unresolved


def _check_body(body) -> str:
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write a comment."), field="body", code="required")
    if len(body) > MAX_COMMENT_CHARS:
        raise ServiceError(
            _("A comment can be at most %(limit)d characters.") % {"limit": MAX_COMMENT_CHARS},
            field="body",
            code="too_long",
        )
    found = unsafe_markup(body)
    if found:
        raise ServiceError(
            _("Scripts, embedded pages and event handlers are not allowed (found %(what)s).")
            % {"what": ", ".join(found)},
            field="body",
            code="unsafe_markup",
        )
    return body


def _name(user) -> str:
    return user.get_full_name() or user.email


@transaction.atomic
def add_comment(*, actor, item: ContentItem, body: str) -> ContentComment:
    """A new comment by ``actor`` (who must see the item). Mentioned viewers get
    ``content.mentioned``; the owner gets ``content.commented`` (not for their own comment, nor
    twice when also mentioned). ``comment.not_notified`` lists the handles nobody was told about."""
    require_view(actor, item)
    body = _check_body(body)
    resolved, unresolved = resolve_mentions(item, mention_handles(body))
    comment = ContentComment.objects.create(item=item, author=actor, body=body)
    mentioned = {user.pk: user for user in resolved.values()}
    if mentioned:
        comment.mentions.set(list(mentioned.values()))
    record_event(
        "content.comment_added",
        actor=actor,
        school=item.school,
        target=item,
        target_label=item.title,
        changes={"comment": comment.pk, "mentions": sorted(mentioned)},
    )
    url = reverse("content-item-comments", args=[item.pk])
    writer = _name(actor) if actor else _("Someone")
    for user in mentioned.values():
        if actor is None or user.pk != actor.pk:
            notify(
                user,
                MENTIONED,
                _("%(name)s mentioned you on “%(title)s”") % {"name": writer, "title": item.title},
                body[:500],
                url,
            )
    owner = item.owner
    if owner is not None and owner.is_active and (actor is None or owner.pk != actor.pk) and owner.pk not in mentioned:
        notify(
            owner,
            COMMENTED,
            _("%(name)s commented on “%(title)s”") % {"name": writer, "title": item.title},
            body[:500],
            url,
        )
    comment.not_notified = unresolved
    return comment


def can_delete_comment(user, comment: ContentComment) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (comment.author_id is not None and comment.author_id == user.pk) or can_manage(user, comment.item)


@transaction.atomic
def delete_comment(*, actor, comment: ContentComment) -> None:
    """The author deletes their own comment; the item's owner or a manager deletes any."""
    if actor is not None and not can_delete_comment(actor, comment):
        raise ServiceError(_("You can delete only your own comments."), code="permission_denied", status=403)
    item, pk = comment.item, comment.pk
    comment.delete()
    record_event(
        "content.comment_deleted",
        actor=actor,
        school=item.school,
        target=item,
        target_label=item.title,
        changes={"comment": pk},
    )
