"""The one write path for memories: create, update, delete, learned preferences, usage marks.

Memories are personal: only their owner writes them, and only in a school where the owner is a
member. Every link (student, class, content item) is checked against what the owner may see *in
that school*, so a memory can never smuggle another school's record into the assistant's context.
On PostgreSQL the search vector (content weight A, preference key weight B) is refreshed in the
same transaction; SQLite leaves it empty and search uses its fallback path.

Changes are audited (``memory.created`` / ``memory.updated`` / ``memory.deleted``) with the kind,
importance and which fields changed — never the memory's text, which is personal data.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import school_ids_for
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from memory.models import Memory, MemoryKind, MemorySource

MAX_CONTENT_CHARS = 2000
# a learned preference matters more than an ordinary fact: it changes how every reply is made
PREFERENCE_IMPORTANCE = 0.7
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")
EDITABLE_FIELDS = (
    "content",
    "kind",
    "importance",
    "key",
    "pinned",
    "expires_at",
    "student",
    "pe_class",
    "content_item",
    "source",
    "source_message_id",
)


def refresh_search_vectors(queryset) -> int:
    """Recomputes ``search_vector`` for the memories in ``queryset`` in one UPDATE (PostgreSQL;
    returns 0 on other databases, whose search needs no vector)."""
    if connection.vendor != "postgresql":
        return 0
    config = settings.MEMORY_SEARCH_CONFIG
    return queryset.update(
        search_vector=SearchVector("content", weight="A", config=config)
        + SearchVector("key", weight="B", config=config)
    )


def _require_member(actor, school) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise ServiceError(_("Sign in to keep memories."), field="school", code="permission_denied", status=403)
    if school is None or school.pk not in school_ids_for(actor):
        raise ServiceError(
            _("You can only keep memories in a school where you are a member."),
            field="school",
            code="permission_denied",
            status=403,
        )


def _require_owner(actor, memory) -> None:
    if actor is None or memory.owner_id != getattr(actor, "pk", None):
        raise ServiceError(_("This memory is not yours."), code="permission_denied", status=403)
    _require_member(actor, memory.school)


def _linked(actor, school, field: str, value, model_path: str):
    """``value`` (an instance or a primary key) if the actor may see it in ``school``."""
    if value in (None, ""):
        return None
    if model_path == "student":
        from physed.models import Student as model
    elif model_path == "pe_class":
        from physed.models import PEClass as model
    else:
        from content.models import ContentItem as model
    pk = getattr(value, "pk", value)
    found = model.objects.visible_to(actor).filter(pk=pk, school=school).first()
    if found is None:
        raise ServiceError(_("Choose a record you can see in this school."), field=field, code="does_not_exist")
    return found


def _clean(actor, school, values: dict) -> dict:
    """Validated values for every field present in ``values``."""
    cleaned = dict(values)
    if "content" in values:
        content = (values["content"] or "").strip()
        if not content:
            raise ServiceError(_("Write what should be remembered."), field="content", code="required")
        if len(content) > MAX_CONTENT_CHARS:
            raise ServiceError(
                _("A memory is at most %(limit)d characters.") % {"limit": MAX_CONTENT_CHARS},
                field="content",
                code="too_long",
            )
        cleaned["content"] = content
    if "kind" in values and values["kind"] not in MemoryKind.values:
        raise ServiceError(_("Choose a kind of memory."), field="kind", code="invalid_choice")
    if "source" in values and values["source"] not in MemorySource.values:
        raise ServiceError(_("Choose where the memory came from."), field="source", code="invalid_choice")
    if "importance" in values:
        try:
            importance = float(values["importance"])
        except (TypeError, ValueError):
            importance = -1.0
        if not 0.0 <= importance <= 1.0:
            raise ServiceError(_("Importance is a number from 0 to 1."), field="importance", code="out_of_range")
        cleaned["importance"] = importance
    if "key" in values:
        key = (values["key"] or "").strip()
        if key and not KEY_RE.match(key):
            raise ServiceError(
                _("A preference key uses letters, digits, - and _ (at most 50)."), field="key", code="invalid"
            )
        cleaned["key"] = key
    if "pinned" in values:
        cleaned["pinned"] = bool(values["pinned"])
    for field in ("student", "pe_class", "content_item"):
        if field in values:
            cleaned[field] = _linked(actor, school, field, values[field], field)
    return cleaned


@transaction.atomic
def create_memory(
    *,
    actor,
    school,
    content,
    kind=MemoryKind.FACT,
    importance=0.5,
    source=MemorySource.MANUAL,
    source_message_id=None,
    student=None,
    pe_class=None,
    content_item=None,
    key="",
    pinned=False,
    expires_at=None,
) -> Memory:
    """Stores a memory for ``actor`` in ``school`` (see the module docstring for the checks)."""
    _require_member(actor, school)
    values = _clean(
        actor,
        school,
        {
            "content": content,
            "kind": kind,
            "importance": importance,
            "source": source,
            "key": key,
            "pinned": pinned,
            "student": student,
            "pe_class": pe_class,
            "content_item": content_item,
        },
    )
    memory = Memory.objects.create(
        owner=actor, school=school, source_message_id=source_message_id, expires_at=expires_at, **values
    )
    refresh_search_vectors(Memory.objects.filter(pk=memory.pk))
    record_event(
        "memory.created",
        actor=actor,
        school=school,
        target=memory,
        changes={"kind": memory.kind, "source": memory.source, "importance": memory.importance},
    )
    return memory


@transaction.atomic
def update_memory(*, actor, memory, **fields) -> Memory:
    """Changes the given fields of the actor's own memory; only what changed is saved and audited
    (field names, not the text)."""
    _require_owner(actor, memory)
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ServiceError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)}, code="invalid"
        )
    values = _clean(actor, memory.school, fields)
    changed = []
    for field, value in values.items():
        current = getattr(memory, field)
        if current != value:
            setattr(memory, field, value)
            changed.append(field)
    if not changed:
        return memory
    memory.save(update_fields=[*changed, "updated_at"])
    if {"content", "key"} & set(changed):
        refresh_search_vectors(Memory.objects.filter(pk=memory.pk))
    audit = {"fields": changed}
    for field in ("kind", "importance", "pinned"):
        if field in changed:
            audit[field] = getattr(memory, field)
    record_event("memory.updated", actor=actor, school=memory.school, target=memory, changes=audit)
    return memory


@transaction.atomic
def delete_memory(*, actor, memory) -> None:
    """Forgets the actor's own memory for good."""
    _require_owner(actor, memory)
    record_event("memory.deleted", actor=actor, school=memory.school, target=memory, changes={"kind": memory.kind})
    memory.delete()


@transaction.atomic
def set_preference(*, actor, school, key, value: str, source_message_id=None) -> Memory:
    """A learned preference (default class, units, report style, …): one live memory per key —
    a second "use metric units" updates the first instead of piling up contradicting memories."""
    _require_member(actor, school)
    key = (key or "").strip()
    if not key:
        raise ServiceError(_("A preference needs a key."), field="key", code="required")
    existing = (
        Memory.objects.filter(owner=actor, school=school, kind=MemoryKind.PREFERENCE, key=key)
        .live()
        .order_by("-created_at", "-pk")
        .first()
    )
    source = MemorySource.CONVERSATION if source_message_id else MemorySource.MANUAL
    if existing is None:
        return create_memory(
            actor=actor,
            school=school,
            content=value,
            kind=MemoryKind.PREFERENCE,
            key=key,
            importance=PREFERENCE_IMPORTANCE,
            source=source,
            source_message_id=source_message_id,
        )
    fields = {"content": value}
    if source_message_id:
        fields.update(source=source, source_message_id=source_message_id)
    return update_memory(actor=actor, memory=existing, **fields)


def mark_used(memories, now=None) -> None:
    """Records that these memories went into a reply: ``last_accessed_at`` = now and
    ``access_count`` + 1, in one UPDATE (recency in search counts from the last use)."""
    ids = [getattr(memory, "pk", memory) for memory in memories]
    if not ids:
        return
    Memory.objects.filter(pk__in=ids).update(last_accessed_at=now or timezone.now(), access_count=F("access_count") + 1)
