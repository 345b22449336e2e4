"""Demo data around the content items: the category tree, shares, comments with @mentions,
views ("recently viewed", "popular in my school") and one lesson plan scheduled into an upcoming
session. Called by ``content.demo_items`` for the items it has just created, so a second run adds
nothing. Everything goes through the content services the pages use (categories, sharing,
comments, scheduling), so audit rows, grants and notifications are the real ones.
"""

import datetime

from django.utils import timezone

from accounts.services.errors import ServiceError
from content.models import Category, ContentStatus, ContentView
from content.services.categories import create_category
from content.services.comments import add_comment
from content.services.sharing import share as share_item
from physed.demo_scale import base_only
from physed.models import ClassSession, PEClass, SessionStatus

# (number of views, viewers as e-mail local parts) for the first published items, in file order
VIEW_PATTERN = [
    (9, ("teacher", "teacher2", "head")),
    (6, ("teacher2", "head")),
    (5, ("teacher", "head")),
    (3, ("teacher2",)),
    (2, ("teacher",)),
    (1, ("head",)),
]


def category_tree(school, actor, paths) -> dict[tuple, Category]:
    """Every category named by ``paths`` (lists from the root, e.g. ["Net/wall games",
    "Volleyball"]) by path tuple, created under its parent when missing."""
    nodes: dict[tuple, Category] = {}
    for path in paths:
        parent = None
        for depth in range(len(path or ())):
            key = tuple(path[: depth + 1])
            if key not in nodes:
                found = Category.objects.filter(school=school, parent=parent, name=key[-1]).first()
                nodes[key] = found or create_category(actor=actor, school=school, name=key[-1], parent=parent)
            parent = nodes[key]
    return nodes


def demo_classes(school) -> list[PEClass]:
    """The classes the demo student attends (so a class share shows up on their pages), else the
    school's first class."""
    attended = PEClass.objects.filter(
        school=school, enrollments__student__user__email=f"student@{school.slug}.demo"
    ).order_by("pk")
    classes = list(attended.distinct()[:2])
    return classes or list(base_only(PEClass.objects.filter(school=school)).order_by("pk")[:1])


def share(item, spec: dict, people: dict) -> None:
    """The item's shares, made by its owner: colleagues (edit or view), the whole school for
    published items unless the data says private, and the demo student's classes."""
    owner = item.owner
    for key, can_edit in [(k, True) for k in spec.get("share_edit", ())] + [
        (k, False) for k in spec.get("share_view", ())
    ]:
        if people[key] != owner:
            share_item(actor=owner, item=item, audience="user", user=people[key], can_edit=can_edit)
    if spec.get("status", "published") == ContentStatus.PUBLISHED and not spec.get("private"):
        share_item(actor=owner, item=item, audience="school")
    if spec.get("share_class"):
        for pe_class in demo_classes(item.school):
            share_item(actor=owner, item=item, audience="class", pe_class=pe_class)


def _comments(item, spec: dict, people: dict) -> None:
    for comment in spec.get("comments", ()):
        body = comment["body"]
        for key, user in people.items():
            body = body.replace("{@" + key + "}", "@" + user.email)
        add_comment(actor=people[comment["by"]], item=item, body=body)


def _views(items, people: dict, now) -> None:
    """A fixed number of views per item and viewer, most recent first in file order."""
    published = [item for item in items if item.status == ContentStatus.PUBLISHED]
    rows = []
    for index, (item, (count, viewers)) in enumerate(zip(published, VIEW_PATTERN * 3, strict=False)):
        for viewer in {people[key] for key in viewers}:
            if viewer.pk == item.owner_id:
                continue
            rows.append(
                ContentView(
                    item=item,
                    user=viewer,
                    last_viewed_at=now - datetime.timedelta(hours=3 * index + 1),
                    view_count=count,
                )
            )
    ContentView.objects.bulk_create(rows, ignore_conflicts=True)


def _schedule(school, items_and_specs, today) -> None:
    """The first lesson plan marked ``schedule`` goes into the next planned session (after today) of a class
    its owner teaches (any class of the school when they teach none)."""
    for item, spec in items_and_specs:
        if not spec.get("schedule") or item.owner is None:
            continue
        sessions = ClassSession.objects.filter(
            pe_class__school=school, date__gt=today, status=SessionStatus.PLANNED
        ).order_by("date", "start_time", "pk")
        session = sessions.filter(pe_class__teachers=item.owner).first() or sessions.first()
        if session is None:
            return
        try:
            _schedule_lesson(item, session)
        except ServiceError:
            return  # the owner may not plan that class's sessions: leave the demo without it
        return


def _schedule_lesson(item, session) -> None:
    """Through the scheduling service, as the owner (the version it was scheduled at is kept)."""
    from content.services.scheduling import schedule_lesson

    schedule_lesson(actor=item.owner, item=item, session=session)


def discuss(school, people: dict, items_and_specs, *, today=None) -> None:
    """Comments, views and the scheduled lesson for the items created in this run."""
    today = today or timezone.localdate()
    for item, spec in items_and_specs:
        _comments(item, spec, people)
    _views([item for item, _spec in items_and_specs], people, timezone.now())
    _schedule(school, items_and_specs, today)
