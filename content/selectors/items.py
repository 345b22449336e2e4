"""Read-side helpers for item pages and the items API: finding one item (404 across schools,
403 without rights), the prefetches that keep detail pages and lists free of N+1 queries, the
choices an item form may offer in a school, and where a lesson plan may be scheduled.
Everything goes through ``content.models.visibility`` so pages and API decide alike."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from accounts.selectors import has_school_perm, members_of
from content.models import Category, ContentAttachment, ContentItem, LessonSchedule
from content.models.visibility import MANAGE_PERM
from content.selectors.access import can_edit, can_manage, can_view

ADD_PERM = "content.add_contentitem"


def list_queryset(queryset):
    """What an item list row shows, in a fixed number of queries."""
    return queryset.select_related("owner", "category", "school").prefetch_related("tags")


def detail_queryset(queryset):
    """Everything the detail page and the API detail show."""
    return (
        list_queryset(queryset)
        .select_related("forked_from")
        .prefetch_related(
            "standards",
            "indicators",
            "activities",
            "exercises",
            "co_authors",
            Prefetch("attachments", queryset=ContentAttachment.objects.select_related("uploaded_by")),
        )
    )


def find_item(user, pk, *, need: str = "view", queryset=None) -> ContentItem:
    """The item ``pk`` for a page: another school's (or a missing) item is 404, one of the user's
    schools without the right ``need`` (view, edit, manage) is 403."""
    base = queryset if queryset is not None else ContentItem.objects.all()
    item = base.in_user_schools(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    check = {"view": can_view, "edit": _can_edit, "manage": can_manage}[need]
    if not check(user, item):
        raise PermissionDenied
    return item


def _can_edit(user, item) -> bool:
    return can_edit(user, item) or can_manage(user, item)


def category_choices(school):
    return Category.objects.filter(school=school).order_by("path", "position", "name")


def library_choices(model, school):
    """Shipped rows plus the school's own library (activities, exercises)."""
    return model.objects.filter(Q(school__isnull=True) | Q(school=school)).order_by("name")


def staff_choices(school):
    return members_of(school)


def schedules_for_item(user, item):
    """The sessions the item is scheduled into that the user may see."""
    return (
        LessonSchedule.objects.visible_to(user)
        .filter(item=item)
        .select_related("session__pe_class", "scheduled_by")
        .order_by("session__date", "session__start_time", "pk")
    )


def schedulable_sessions(user, item):
    """Upcoming sessions of the item's school the user may schedule into: classes they teach,
    or any class of the school with ``content.manage_contentitem``."""
    from physed.models import ClassSession, SessionStatus

    sessions = ClassSession.objects.visible_to(user).filter(
        pe_class__school=item.school_id,
        date__gte=timezone.localdate(),
        status=SessionStatus.PLANNED,
    )
    if not (user.is_superuser or has_school_perm(user, MANAGE_PERM, item.school_id)):
        sessions = sessions.filter(pe_class__teachers=user)
    return sessions.select_related("pe_class").order_by("date", "start_time", "pk").distinct()


def session_lesson_plans(user, session):
    """Lesson plans scheduled into ``session`` that the user may see (the physed session page)."""
    items = ContentItem.objects.visible_to(user)
    return (
        LessonSchedule.objects.visible_to(user)
        .for_items(items)
        .filter(session=session)
        .select_related("item")
        .order_by("item__title", "pk")
    )


def can_add_in(user, school) -> bool:
    return bool(school) and (user.is_superuser or has_school_perm(user, ADD_PERM, school.pk))
