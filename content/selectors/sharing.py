"""Reads for sharing and comments: who an item is shared with, and its comments for a viewer.

``shares_of`` merges the two share mechanisms (guardian grants to people, ``ContentShare`` rows
for the school and classes) into one list so pages and the API show them alike. ``comments_for``
returns the comments with their HTML already escaped and the resolved mentions highlighted: the
body is plain text, so everything is escaped first and only our own ``<mark>`` is added.
"""

from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from content.models import ContentComment, ContentItem, ContentItemUserObjectPermission, ContentShare
from content.services.comments import MENTION_RE, can_delete_comment, handle_matches
from content.services.sharing import AUDIENCE_USER, CHANGE


def _label(user) -> str:
    return user.get_full_name() or user.email if user else ""


def shares_of(item: ContentItem) -> list[dict]:
    """``[{audience, target_id, target_label, can_edit, shared_by, created}]``: people first (by
    name), then the school, then classes. Grants to people carry no author or time (guardian
    stores neither); the audit log has them."""
    people: dict[int, dict] = {}
    grants = ContentItemUserObjectPermission.objects.filter(content_object=item).select_related("user", "permission")
    for grant in grants.order_by("user__last_name", "user__first_name", "user__email", "pk"):
        row = people.setdefault(
            grant.user_id,
            {
                "audience": AUDIENCE_USER,
                "target_id": grant.user_id,
                "target_label": _label(grant.user),
                "can_edit": False,
                "shared_by": None,
                "created": None,
            },
        )
        if grant.permission.codename == CHANGE:
            row["can_edit"] = True
    rows = list(people.values())
    shares = ContentShare.objects.filter(item=item).select_related("pe_class", "shared_by", "item__school")
    for share in sorted(shares, key=lambda s: (s.audience != "school", str(s.pe_class or ""), s.pk)):
        rows.append(
            {
                "audience": share.audience,
                "target_id": share.pe_class_id or 0,
                "target_label": str(share.pe_class) if share.pe_class_id else share.item.school.name,
                "can_edit": share.can_edit,
                "shared_by": _label(share.shared_by) if share.shared_by_id else None,
                "created": share.created_at,
            }
        )
    return rows


def comment_html(comment: ContentComment, mentioned=None) -> str:
    """The escaped body with line breaks and ``<mark class="mention">`` around resolved mentions."""
    people = list(comment.mentions.all()) if mentioned is None else mentioned
    text = escape(comment.body)  # handles contain no characters escape() changes

    def highlight(match):
        handle = match.group(1).rstrip(".")
        if any(handle_matches(user, handle) for user in people):
            rest = match.group(0)[len(handle) + 1 :]
            return f'<mark class="mention">@{handle}</mark>{rest}'
        return match.group(0)

    return mark_safe(linebreaks(MENTION_RE.sub(highlight, text), autoescape=False))  # noqa: S308 - escaped above


def comments_queryset(user, item: ContentItem):
    """The item's comments the user may read (school scope narrowed to items they see)."""
    return (
        ContentComment.objects.visible_to(user)
        .for_items(ContentItem.objects.visible_to(user))
        .filter(item=item)
        .select_related("author", "item")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )


def comments_for(user, item: ContentItem) -> list[ContentComment]:
    """The comments in order, each with ``html`` (safe) and ``can_delete`` for this user."""
    manage = None
    rows = []
    for comment in comments_queryset(user, item):
        comment.html = comment_html(comment, list(comment.mentions.all()))
        if comment.author_id == getattr(user, "pk", None):
            comment.can_delete = True
        else:
            if manage is None:
                manage = can_delete_comment(user, comment)
            comment.can_delete = manage
        rows.append(comment)
    return rows
