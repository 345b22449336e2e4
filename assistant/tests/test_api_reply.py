"""The acceptance conversation through the API: "How did <class> do on the PACER?" gets the real
numbers with a citation of the test event; the reply says how it was made; a built-in reply takes
a bounded number of queries; another school's class is never found."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import FitnessResult, Zone
from assessments.services.fitness import record_fitness_results
from assessments.tests.factories_fitness import fitness_event
from assistant.models import Message
from assistant.tests.factories import ConversationFactory
from physed.services.roster_classes import set_teachers

pytestmark = pytest.mark.django_db
CONVERSATIONS = "/api/v1/assistant/conversations/"
PACER_LAPS = [30, 40, 50, 60]  # average 45


def _pacer_class(school, teacher):
    event, students, tests = fitness_event(school, codes=("pacer_20m",), count=4, date=datetime.date(2026, 10, 5))
    set_teachers(event.pe_class, [teacher])
    entries = [
        {"student": student, "test": tests["pacer_20m"], "value": laps}
        for student, laps in zip(students, PACER_LAPS, strict=True)
    ]
    record_fitness_results(actor=teacher, event=event, entries=entries)
    return event


def _ask(api, conversation, text):
    return api.post(f"{CONVERSATIONS}{conversation.pk}/messages/", {"text": text}, format="json")


def test_pacer_question_answers_with_the_real_numbers_and_cites_the_event(
    client_for, school, teacher, django_assert_max_num_queries
):
    event = _pacer_class(school, teacher)
    pe_class = event.pe_class
    hfz = FitnessResult.objects.filter(event=event, zone=Zone.HFZ).count()
    conversation = ConversationFactory(school=school, owner=teacher, title="")
    api = client_for(teacher)

    _ask(api, conversation, "hello")  # warm per-process caches (content types, permissions)
    with django_assert_max_num_queries(45):  # 35 measured: the tool's selectors, context, storage, audit
        response = _ask(api, conversation, f"How did {pe_class.name} do on the PACER?")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["message"]["role"] == "user" and body["message"]["text"].startswith("How did")
    reply = body["reply"]
    assert reply["role"] == "assistant" and reply["intent"] == "fitness_results"
    assert 0 < reply["confidence"] <= 1 and reply["reasons"]
    assert "45" in reply["text"] and f"{hfz} of 4" in reply["text"]
    event_url = reverse("assessments-event-detail", args=[event.pk])
    assert any(c["url"].endswith(event_url) for c in reply["citations"])
    assert [call["tool"] for call in reply["tool_calls"]] == ["fitness_results"]
    assert reply["tool_calls"][0]["ok"] is True and "data" not in reply["tool_calls"][0]
    assert any(card["kind"] == "table" for card in reply["cards"])
    assert reply["persona_name"] and reply["context_tokens"] > 0
    assert response["Cache-Control"] == "private, no-store"

    stored = Message.objects.get(pk=reply["id"])
    assert stored.text == reply["text"] and stored.conversation_id == conversation.pk
    listed = api.get(f"{CONVERSATIONS}{conversation.pk}/messages/").json()
    assert listed["count"] == 4 and listed["results"][-1]["id"] == reply["id"]


def test_another_schools_class_is_never_found(client_for, school, other_school, teacher, other_teacher):
    event = _pacer_class(other_school, other_teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    response = _ask(client_for(teacher), conversation, f"How did {event.pe_class.name} do on the PACER?")
    assert response.status_code == 201, response.json()
    reply = response.json()["reply"]
    assert "45" not in reply["text"]
    assert not any("event" in c["url"] and str(event.pk) in c["url"] for c in reply["citations"])


def test_remember_that_creates_a_memory(client_for, school, teacher):
    from memory.models import Memory

    conversation = ConversationFactory(school=school, owner=teacher)
    response = _ask(client_for(teacher), conversation, "Remember that the gym floor is being refinished in May")
    assert response.status_code == 201, response.json()
    memory = Memory.objects.get(owner=teacher, school=school)
    assert "gym floor" in memory.content
