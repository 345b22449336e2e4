"""Conversations API: create/list/retrieve/rename/archive/delete with values, owner isolation (another
teacher or a school admin → 404), students and guardians → 403, filters, no-store, bad input."""

import pytest

from accounts.models import Role
from assistant.models import Conversation, Message, MessageRole
from assistant.tests.factories import ConversationFactory, MessageFactory, PersonaFactory

pytestmark = pytest.mark.django_db
CONVERSATIONS = "/api/v1/assistant/conversations/"


def _error_fields(response) -> dict:
    return response.json()["error"]["fields"]


def test_create_list_retrieve_with_values(client_for, school, teacher):
    api = client_for(teacher)
    response = api.post(CONVERSATIONS, {"title": "PACER questions"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "PACER questions" and body["school"] == school.pk
    assert body["archived"] is False and body["persona"] is None and body["recent_messages"] == []
    assert response["Cache-Control"] == "private, no-store"
    conversation = Conversation.objects.get(pk=body["id"])
    assert conversation.owner == teacher

    older = ConversationFactory(school=school, owner=teacher, title="Older")
    Conversation.objects.filter(pk=older.pk).update(updated_at=conversation.updated_at.replace(year=2020))
    listing = api.get(CONVERSATIONS).json()
    assert [row["id"] for row in listing["results"]] == [conversation.pk, older.pk]

    MessageFactory(conversation=conversation, text="first")
    MessageFactory(conversation=conversation, role=MessageRole.ASSISTANT, text="second")
    detail = api.get(f"{CONVERSATIONS}{conversation.pk}/").json()
    assert [m["text"] for m in detail["recent_messages"]] == ["first", "second"]
    assert detail["recent_messages"][1]["role"] == "assistant"


def test_search_and_archived_filters(client_for, school, teacher):
    api = client_for(teacher)
    pacer = ConversationFactory(school=school, owner=teacher, title="PACER results")
    heat = ConversationFactory(school=school, owner=teacher, title="Heat day")
    assert [r["id"] for r in api.get(CONVERSATIONS, {"q": "pacer"}).json()["results"]] == [pacer.pk]

    response = api.patch(f"{CONVERSATIONS}{heat.pk}/", {"archived": True}, format="json")
    assert response.status_code == 200 and response.json()["archived"] is True
    assert [r["id"] for r in api.get(CONVERSATIONS, {"archived": "true"}).json()["results"]] == [heat.pk]
    assert [r["id"] for r in api.get(CONVERSATIONS, {"archived": "false"}).json()["results"]] == [pacer.pk]
    assert api.get(CONVERSATIONS, {"archived": "maybe"}).status_code == 400


def test_rename_persona_and_bring_back(client_for, school, teacher):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    persona = PersonaFactory(school=school, name="Coach Kim")
    response = api.patch(
        f"{CONVERSATIONS}{conversation.pk}/", {"title": "  Grade 5  ", "persona": persona.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Grade 5" and response.json()["persona_name"] == "Coach Kim"
    conversation.refresh_from_db()
    assert conversation.persona == persona and conversation.title == "Grade 5"
    response = api.patch(f"{CONVERSATIONS}{conversation.pk}/", {"persona": None}, format="json")
    assert response.json()["persona"] is None


def test_delete_removes_messages(client_for, school, teacher):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    MessageFactory(conversation=conversation)
    assert api.delete(f"{CONVERSATIONS}{conversation.pk}/").status_code == 204
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert not Message.objects.filter(conversation_id=conversation.pk).exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_ADMIN])
def test_another_persons_conversation_is_404(client_for, school, teacher, member, role):
    conversation = ConversationFactory(school=school, owner=teacher, title="Mine")
    MessageFactory(conversation=conversation)
    api = client_for(member(school, role))
    base = f"{CONVERSATIONS}{conversation.pk}/"
    assert api.get(base).status_code == 404
    assert api.patch(base, {"title": "Theirs"}, format="json").status_code == 404
    assert api.delete(base).status_code == 404
    assert api.get(f"{base}messages/").status_code == 404
    assert api.post(f"{base}messages/", {"text": "hi"}, format="json").status_code == 404
    assert api.get(CONVERSATIONS).json()["results"] == []
    conversation.refresh_from_db()
    assert conversation.title == "Mine" and conversation.messages.count() == 1


def test_other_school_teacher_sees_nothing(client_for, school, teacher, other_teacher):
    conversation = ConversationFactory(school=school, owner=teacher)
    api = client_for(other_teacher)
    assert api.get(f"{CONVERSATIONS}{conversation.pk}/").status_code == 404
    assert api.get(CONVERSATIONS).json()["results"] == []


def test_students_and_guardians_are_refused(client_for, student, guardian):
    for user in (student, guardian):
        api = client_for(user)
        response = api.get(CONVERSATIONS)
        assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
        assert api.post(CONVERSATIONS, {}, format="json").status_code == 403
        assert api.get("/api/v1/assistant/me/persona/").status_code == 403


def test_anonymous_is_401(api_client):
    assert api_client.get(CONVERSATIONS).status_code == 401


def test_bad_input_on_create(client_for, school, other_school, teacher):
    api = client_for(teacher)
    response = api.post(CONVERSATIONS, {"persona": 999999}, format="json")
    assert response.status_code == 400 and "persona" in _error_fields(response)
    foreign = PersonaFactory(school=other_school)
    response = api.post(CONVERSATIONS, {"persona": foreign.pk}, format="json")
    assert response.status_code == 400 and "persona" in _error_fields(response)
    response = api.post(CONVERSATIONS, {"school": other_school.pk}, format="json")
    assert response.status_code == 400 and "school" in _error_fields(response)
    response = api.post(CONVERSATIONS, {"owner": 1}, format="json")
    assert response.status_code == 400 and "owner" in _error_fields(response)
    response = api.post(CONVERSATIONS, {"title": "x" * 121}, format="json")
    assert response.status_code == 400 and "title" in _error_fields(response)
    assert Conversation.objects.count() == 0


def test_bad_input_on_update(client_for, school, teacher):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher, title="Kept")
    base = f"{CONVERSATIONS}{conversation.pk}/"
    response = api.patch(base, {"persona": 999999}, format="json")
    assert response.status_code == 400 and "persona" in _error_fields(response)
    response = api.patch(base, {"title": "   "}, format="json")
    assert response.status_code == 400 and "title" in _error_fields(response)
    response = api.patch(base, {"archived": "yes"}, format="json")
    assert response.status_code == 400 and "archived" in _error_fields(response)
    conversation.refresh_from_db()
    assert conversation.title == "Kept" and conversation.archived_at is None


def test_message_bad_input_keeps_the_conversation_consistent(client_for, school, teacher):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    url = f"{CONVERSATIONS}{conversation.pk}/messages/"
    response = api.post(url, {"text": ""}, format="json")
    assert response.status_code == 400 and "text" in _error_fields(response)
    response = api.post(url, {"text": "x" * 100_000}, format="json")
    assert response.status_code == 400 and "text" in _error_fields(response)
    response = api.post(url, {"text": "hi", "attachment_ids": [999999]}, format="json")
    assert response.status_code == 400 and "attachment_ids" in _error_fields(response)
    response = api.post(url, {"text": "hi", "attachment_ids": ["a"]}, format="json")
    assert response.status_code == 400
    assert conversation.messages.count() == 0


def test_message_list_is_paginated_oldest_first(client_for, school, teacher, django_assert_max_num_queries):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    for number in range(12):
        MessageFactory(conversation=conversation, text=f"m{number}")
    url = f"{CONVERSATIONS}{conversation.pk}/messages/"
    api.get(url)
    with django_assert_max_num_queries(12):
        body = api.get(url, {"page_size": 5, "page": 2}).json()
    assert body["count"] == 12 and [m["text"] for m in body["results"]] == ["m5", "m6", "m7", "m8", "m9"]


def test_list_query_count_is_bounded(client_for, school, teacher, django_assert_max_num_queries):
    api = client_for(teacher)
    for _ in range(15):
        ConversationFactory(school=school, owner=teacher, persona=PersonaFactory(school=school))
    api.get(CONVERSATIONS)
    with django_assert_max_num_queries(10):
        body = api.get(CONVERSATIONS, {"page_size": 100}).json()
    assert body["count"] == 15 and all(row["persona_name"].startswith("Persona") for row in body["results"])
