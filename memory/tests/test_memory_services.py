"""The memory write path: validation, ownership, links within the school, preferences, usage, audit."""

import pytest
from django.http import Http404

from accounts.models import AuditEvent
from accounts.services.errors import ServiceError
from memory.models import Memory, MemoryKind, MemorySource
from memory.selectors.memories import find_memory, memories_for, preferences
from memory.services.memories import create_memory, delete_memory, mark_used, set_preference, update_memory
from memory.tests.factories import MemoryFactory
from physed.tests.factories import PEClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_create_memory_stores_values_and_audits_without_text(teacher, school):
    memory = create_memory(
        actor=teacher, school=school, content="  Grade 5 Blue loves ultimate frisbee ", importance=0.8
    )
    assert memory.owner == teacher
    assert memory.school == school
    assert memory.content == "Grade 5 Blue loves ultimate frisbee"
    assert memory.kind == MemoryKind.FACT
    assert memory.importance == 0.8
    assert memory.source == MemorySource.MANUAL
    event = AuditEvent.objects.get(action="memory.created")
    assert event.actor == teacher
    assert event.target_id == str(memory.pk)
    assert "frisbee" not in str(event.changes) + event.target_label
    assert event.changes == {"kind": "fact", "source": "manual", "importance": 0.8}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"content": "   "}, "content"),
        ({"content": "x" * 2001}, "content"),
        ({"content": "ok", "importance": 1.5}, "importance"),
        ({"content": "ok", "importance": -0.1}, "importance"),
        ({"content": "ok", "importance": "lots"}, "importance"),
        ({"content": "ok", "kind": "rumour"}, "kind"),
        ({"content": "ok", "key": "has spaces"}, "key"),
    ],
)
def test_create_memory_refuses_bad_values(teacher, school, kwargs, field):
    with pytest.raises(ServiceError) as caught:
        create_memory(actor=teacher, school=school, **kwargs)
    assert caught.value.field == field
    assert Memory.objects.count() == 0


def test_create_memory_needs_membership(teacher, other_school):
    with pytest.raises(ServiceError) as caught:
        create_memory(actor=teacher, school=other_school, content="hello")
    assert caught.value.status == 403
    assert caught.value.field == "school"


def test_links_must_be_in_the_same_school(teacher, school, other_school):
    own_student = StudentFactory(school=school)
    own_class = PEClassFactory(school=school)
    foreign_student = StudentFactory(school=other_school)
    foreign_class = PEClassFactory(school=other_school)
    memory = create_memory(
        actor=teacher, school=school, content="Sam runs well", student=own_student, pe_class=own_class.pk
    )
    assert memory.student == own_student
    assert memory.pe_class == own_class
    with pytest.raises(ServiceError) as caught:
        create_memory(actor=teacher, school=school, content="x", student=foreign_student)
    assert caught.value.field == "student"
    with pytest.raises(ServiceError) as caught:
        update_memory(actor=teacher, memory=memory, pe_class=foreign_class)
    assert caught.value.field == "pe_class"


def test_update_memory_changes_fields_and_audits_names(teacher, school):
    memory = create_memory(actor=teacher, school=school, content="first")
    update_memory(actor=teacher, memory=memory, content="second", importance=0.9, pinned=True)
    memory.refresh_from_db()
    assert (memory.content, memory.importance, memory.pinned) == ("second", 0.9, True)
    event = AuditEvent.objects.get(action="memory.updated")
    assert sorted(event.changes["fields"]) == ["content", "importance", "pinned"]
    assert event.changes["importance"] == 0.9
    assert "second" not in str(event.changes)
    update_memory(actor=teacher, memory=memory, content="second")  # nothing changed: no audit
    assert AuditEvent.objects.filter(action="memory.updated").count() == 1


def test_only_the_owner_may_change_or_delete(teacher, school_admin, school):
    memory = create_memory(actor=teacher, school=school, content="mine")
    with pytest.raises(ServiceError) as caught:
        update_memory(actor=school_admin, memory=memory, content="theirs")
    assert caught.value.status == 403
    with pytest.raises(ServiceError):
        delete_memory(actor=school_admin, memory=memory)
    with pytest.raises(ServiceError):
        update_memory(actor=teacher, memory=memory, owner=school_admin)
    pk = memory.pk
    delete_memory(actor=teacher, memory=memory)
    assert not Memory.objects.exists()
    assert AuditEvent.objects.get(action="memory.deleted").target_id == str(pk)


def test_set_preference_keeps_one_live_memory_per_key(teacher, school):
    first = set_preference(actor=teacher, school=school, key="units", value="metric")
    second = set_preference(actor=teacher, school=school, key="units", value="imperial", source_message_id=42)
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.content == "imperial"
    assert second.kind == MemoryKind.PREFERENCE
    assert second.importance == 0.7
    assert second.source == MemorySource.CONVERSATION
    assert second.source_message_id == 42
    set_preference(actor=teacher, school=school, key="report_style", value="short")
    assert preferences(teacher, school) == {"units": "imperial", "report_style": "short"}
    with pytest.raises(ServiceError):
        set_preference(actor=teacher, school=school, key="", value="x")


def test_mark_used_counts_and_stamps(teacher, school):
    a = create_memory(actor=teacher, school=school, content="a")
    b = create_memory(actor=teacher, school=school, content="b")
    mark_used([a, b])
    mark_used([a.pk])
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.access_count, b.access_count) == (2, 1)
    assert a.last_accessed_at is not None
    mark_used([])


def test_selectors_show_only_the_owners_memories(teacher, school_admin, school, other_teacher):
    mine = create_memory(actor=teacher, school=school, content="mine")
    create_memory(actor=school_admin, school=school, content="admin's")
    MemoryFactory(school=school)
    assert list(memories_for(teacher)) == [mine]
    assert list(memories_for(teacher, school)) == [mine]
    assert find_memory(teacher, mine.pk) == mine
    for user in (school_admin, other_teacher):
        with pytest.raises(Http404):
            find_memory(user, mine.pk)
    with pytest.raises(Http404):
        find_memory(teacher, "abc")


def test_factory_makes_memory_owned_by_a_member(school):
    from accounts.selectors import school_ids_for

    memory = MemoryFactory(school=school)
    assert school.pk in school_ids_for(memory.owner)
    assert list(memories_for(memory.owner)) == [memory]
