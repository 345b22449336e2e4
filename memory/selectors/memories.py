"""Reads of memories. Memories are visible only to their owner (``MemoryQuerySet.visible_to``)."""

from django.http import Http404

from memory.models import Memory, MemoryKind


def memories_for(user, school=None):
    """The user's live (not expired) memories, newest first; in one school if given."""
    queryset = Memory.objects.visible_to(user).live().select_related("school")
    if school is not None:
        queryset = queryset.filter(school=school)
    return queryset


def preferences(user, school) -> dict[str, str]:
    """``{key: content}`` of the user's live learned preferences in ``school`` (the newest per key)."""
    rows = (
        memories_for(user, school)
        .filter(kind=MemoryKind.PREFERENCE)
        .exclude(key="")
        .order_by("created_at", "pk")
        .values_list("key", "content")
    )
    return dict(rows)


def find_memory(user, pk) -> Memory:
    """The user's own memory ``pk`` (expired ones included, so they can still be read and deleted);
    Http404 for anyone else's — even a school admin's view of a teacher's memory."""
    try:
        return Memory.objects.visible_to(user).select_related("school").get(pk=pk)
    except (Memory.DoesNotExist, ValueError, TypeError):
        raise Http404("No memory matches the given query.") from None
