"""post_message end to end with the built-in provider, and the conversation services."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import AuditEvent, Role
from accounts.services.errors import ServiceError
from assessments.services.fitness import record_fitness_results
from assessments.tests.factories_analytics import analytics_event
from assistant.models import Attachment, Conversation, Message, MessageRole, Persona, ProposedAction
from assistant.services.attachments import add_attachment
from assistant.services.conversations import (
    archive_conversation,
    delete_conversation,
    episode_text,
    post_message,
    rename_conversation,
    set_conversation_persona,
    start_conversation,
)
from assistant.tests.test_actions import build_world
from memory.models import Memory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school, teacher):
    world = build_world(school, teacher)
    event = analytics_event(world.pe_class, date=timezone.localdate() - datetime.timedelta(days=3), tests=[world.test])
    record_fitness_results(
        actor=teacher,
        event=event,
        entries=[
            {"student": s, "test": world.test, "value": v} for s, v in zip(world.students, (41, 35, 12), strict=True)
        ],
    )
    world.event = event
    return world


def counts(conversation) -> tuple[int, int, int]:
    return (
        Message.objects.filter(conversation=conversation).count(),
        ProposedAction.objects.filter(message__conversation=conversation).count(),
        Memory.objects.count(),
    )


def test_start_conversation_in_the_only_school(world):
    conversation = start_conversation(actor=world.teacher)
    assert (conversation.owner, conversation.school, conversation.title) == (world.teacher, world.school, "")
    assert AuditEvent.objects.filter(action="assistant.conversation_started", target_id=str(conversation.pk)).exists()


def test_students_and_outsiders_cannot_start_or_post(world, member, other_teacher):
    pupil = member(world.school, Role.STUDENT)
    with pytest.raises(ServiceError) as error:
        start_conversation(actor=pupil, school=world.school)
    assert error.value.status == 403
    with pytest.raises(ServiceError) as error:
        post_message(actor=other_teacher, conversation=world.conversation, text="hello")
    assert error.value.status == 404
    assert counts(world.conversation) == (0, 0, 0)


def test_a_pacer_question_is_answered_from_the_data_and_remembered(world):
    conversation = Conversation.objects.create(owner=world.teacher, school=world.school)
    message, reply = post_message(
        actor=world.teacher, conversation=conversation, text="  How did Grade 5 Blue do on the PACER?  "
    )
    assert (message.role, message.text) == (MessageRole.USER, "How did Grade 5 Blue do on the PACER?")
    assert reply.role == MessageRole.ASSISTANT and reply.provider == "builtin"
    assert reply.intent == "fitness_results" and reply.confidence > 0
    assert reply.tool_calls[0]["tool"] == "fitness_results" and reply.tool_calls[0]["ok"] is True
    assert reply.citations and all(c["url"].startswith("/") for c in reply.citations)
    assert any(card["kind"] == "table" for card in reply.cards)
    assert reply.persona_name and reply.context_tokens > 0
    assert reply.created_at >= message.created_at
    conversation.refresh_from_db()
    assert conversation.title == "How did Grade 5 Blue do on the PACER?"
    assert conversation.updated_at >= message.created_at
    episode = Memory.objects.get(kind="episode")
    assert episode.content.startswith("Asked about fitness results of Grade 5 Blue")
    assert episode.content.endswith(f"on {timezone.localdate().isoformat()}")
    assert (episode.importance, episode.source, episode.source_message_id) == (0.3, "conversation", message.pk)
    assert AuditEvent.objects.filter(action="assistant.tool_called", target_id="fitness_results").exists()


def test_remember_that_creates_a_fact_and_context_marks_memories_used(world):
    conversation = world.conversation
    _message, reply = post_message(
        actor=world.teacher, conversation=conversation, text="Remember that Grade 5 Blue meets in the north gym."
    )
    fact = Memory.objects.get(kind="fact")
    assert "north gym" in fact.content and fact.source == "conversation"
    assert reply.text
    post_message(actor=world.teacher, conversation=conversation, text="Where does Grade 5 Blue meet? north gym")
    fact.refresh_from_db()
    assert fact.access_count >= 1 and fact.last_accessed_at is not None


def test_a_title_is_kept_and_long_titles_are_cut(world):
    conversation = Conversation.objects.create(owner=world.teacher, school=world.school)
    post_message(actor=world.teacher, conversation=conversation, text="hello " * 30)
    conversation.refresh_from_db()
    assert len(conversation.title) == 60 and conversation.title.endswith("…")
    post_message(actor=world.teacher, conversation=conversation, text="thanks")
    conversation.refresh_from_db()
    assert conversation.title.startswith("hello hello")


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_an_empty_message_is_refused_and_nothing_stored(world, text):
    with pytest.raises(ServiceError) as error:
        post_message(actor=world.teacher, conversation=world.conversation, text=text)
    assert (error.value.status, error.value.code, error.value.field) == (400, "empty", "text")
    assert counts(world.conversation) == (0, 0, 0)


def test_a_100kb_message_is_refused_cheaply(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3), pytest.raises(ServiceError) as error:
        post_message(actor=world.teacher, conversation=world.conversation, text="x" * 100_000)
    assert (error.value.status, error.value.code) == (400, "too_long")
    assert counts(world.conversation) == (0, 0, 0)


@override_settings(ASSISTANT_MAX_MESSAGE_CHARS=50)
def test_the_limit_counts_the_stripped_text(world):
    post_message(actor=world.teacher, conversation=world.conversation, text=" " * 20 + "hi" * 25 + " " * 20)
    with pytest.raises(ServiceError):
        post_message(actor=world.teacher, conversation=world.conversation, text="hi" * 26)
    assert counts(world.conversation)[0] == 2


@override_settings(ASSISTANT_RATE_PER_MINUTE=2)
def test_the_rate_limit_refuses_with_429_and_stores_nothing(world):
    for _ in range(2):
        post_message(actor=world.teacher, conversation=world.conversation, text="hello")
    before = counts(world.conversation)
    with pytest.raises(ServiceError) as error:
        post_message(actor=world.teacher, conversation=world.conversation, text="hello")
    assert (error.value.status, error.value.code) == (429, "rate_limited")
    assert 0 < error.value.retry_after <= 60
    assert counts(world.conversation) == before == (4, 0, 0)


def test_a_results_table_is_described_and_proposed(world):
    Conversation.objects.filter(pk=world.conversation.pk).update(title="")
    world.conversation.refresh_from_db()
    upload = SimpleUploadedFile("pacer.csv", b"Student,PACER\nMaya Rodriguez,44\nLiam Chen,37\n")
    attachment = add_attachment(actor=world.teacher, conversation=world.conversation, upload=upload)
    message, reply = post_message(
        actor=world.teacher, conversation=world.conversation, text="", attachment_ids=[attachment.pk]
    )
    attachment.refresh_from_db()
    assert attachment.message == message and message.text == ""
    assert "I read 2 rows with columns Student, PACER." in reply.text
    action = ProposedAction.objects.get(message=reply)
    assert action.kind == "record_results" and action.payload["attachment_id"] == attachment.pk
    world.conversation.refresh_from_db()
    assert world.conversation.title == "pacer.csv"
    # an attachment already sent, or another conversation's, cannot be sent again
    other = Conversation.objects.create(owner=world.teacher, school=world.school)
    for conversation in (world.conversation, other):
        with pytest.raises(ServiceError) as error:
            post_message(actor=world.teacher, conversation=conversation, text="again", attachment_ids=[attachment.pk])
        assert error.value.field == "attachment_ids"
    with pytest.raises(ServiceError):
        post_message(actor=world.teacher, conversation=other, text="x", attachment_ids=["abc"])


def test_a_failing_provider_leaves_no_half_stored_exchange(world, monkeypatch):
    from assistant.providers import builtin

    def broken(self, request):
        raise RuntimeError("provider bug")

    monkeypatch.setattr(builtin.BuiltinProvider, "reply", broken)
    with pytest.raises(RuntimeError):
        post_message(actor=world.teacher, conversation=world.conversation, text="How did Grade 5 Blue do?")
    assert counts(world.conversation) == (0, 0, 0)


def test_archived_conversations_take_no_messages_until_restored(world):
    archived = archive_conversation(actor=world.teacher, conversation=world.conversation)
    assert archived.archived_at is not None
    with pytest.raises(ServiceError) as error:
        post_message(actor=world.teacher, conversation=world.conversation, text="hello")
    assert (error.value.status, error.value.code) == (409, "archived")
    assert archive_conversation(actor=world.teacher, conversation=world.conversation).archived_at is None
    post_message(actor=world.teacher, conversation=world.conversation, text="hello")


def test_rename_persona_and_delete(world, other_school):
    conversation = world.conversation
    assert rename_conversation(actor=world.teacher, conversation=conversation, title="  PACER  ").title == "PACER"
    with pytest.raises(ServiceError):
        rename_conversation(actor=world.teacher, conversation=conversation, title=" ")
    builtin = Persona.objects.filter(school__isnull=True).first()
    assert set_conversation_persona(actor=world.teacher, conversation=conversation, persona=builtin).persona == builtin
    foreign = Persona.objects.create(school=other_school, name="Elsewhere")
    with pytest.raises(ServiceError) as error:
        set_conversation_persona(actor=world.teacher, conversation=conversation, persona=foreign)
    assert error.value.field == "persona"
    _message, reply = post_message(actor=world.teacher, conversation=conversation, text="hello")
    assert reply.persona_name == builtin.name

    upload = SimpleUploadedFile("a.csv", b"a,b\n1,2\n")
    attachment = add_attachment(actor=world.teacher, conversation=conversation, upload=upload)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        delete_conversation(actor=world.teacher, conversation=conversation)
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert not Attachment.objects.exists() and not storage.exists(name)
    assert AuditEvent.objects.filter(action="assistant.conversation_deleted").exists()


def test_episode_text_names_the_subject_and_details():
    calls = [
        {"tool": "fitness_results", "arguments": {"class_name": "Grade 5 Blue", "test_name": "PACER"}, "ok": True},
        {"tool": "heat_guidance", "arguments": {"temperature": 95, "unit": "F"}, "ok": True},
    ]
    text = episode_text(calls, datetime.date(2026, 11, 26))
    assert text == "Asked about fitness results of Grade 5 Blue (PACER); heat guidance (95°F) on 2026-11-26"
