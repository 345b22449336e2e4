# ruff: noqa: F811
"""Learning: memory requests in English and Spanish; feedback re-weights the next recognition
(values before/after); only the owner may rate; a correction stating a preference becomes a memory."""

import pytest
from django.http import Http404

from accounts.models import AuditEvent
from accounts.services.errors import ServiceError
from assistant.intents import recognize
from assistant.models import Feedback, IntentExample, MessageRole
from assistant.services.learning import extract_memory_requests, record_feedback
from assistant.tests.factories import ConversationFactory, MessageFactory
from assistant.tests.test_builtin_world import world  # noqa: F401


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Remember that Grade 5 Blue has swimming on Fridays.",
            [("fact", "", "Grade 5 Blue has swimming on Fridays.")],
        ),
        ("please remember: the gym is closed on Mondays", [("fact", "", "The gym is closed on Mondays")]),
        ("recuerda que el gimnasio cierra los lunes", [("fact", "", "El gimnasio cierra los lunes")]),
        ("No olvides que Maya tiene asma", [("fact", "", "Maya tiene asma")]),
        ("My default class is Grade 6 Red.", [("preference", "default_class", "Grade 6 Red")]),
        ("mi clase predeterminada es Grade 5 Blue", [("preference", "default_class", "Grade 5 Blue")]),
        ("Use metric units please", [("preference", "units", "metric")]),
        ("usa unidades imperiales", [("preference", "units", "imperial")]),
        ("I use celsius", [("preference", "units", "metric")]),
        ("I prefer short reports", [("preference", "report_style", "short")]),
        ("prefiero informes detallados", [("preference", "report_style", "detailed")]),
        ("How did Grade 5 Blue do?", []),
    ],
)
def test_extract_memory_requests(text, expected):
    found = extract_memory_requests(text)
    assert [(f["kind"], f["key"], f["content"]) for f in found] == expected
    for item in found:
        assert item["importance"] == (0.8 if item["kind"] == "preference" else 0.6)


def _exchange(world, text):
    """A user message and the reply that the recognizer would have given."""
    ctx = world["ctx"]
    recognition = recognize(ctx, text)
    conversation = ConversationFactory(school=ctx.school, owner=ctx.user)
    MessageFactory(conversation=conversation, role=MessageRole.USER, text=text)
    reply = MessageFactory(conversation=conversation, role=MessageRole.ASSISTANT, text="…", intent=recognition.intent)
    return recognition, reply


def test_correction_changes_the_next_recognition(world):
    text = "How many laps did Grade 5 Blue run?"
    before, reply = _exchange(world, text)
    assert before.intent == "unknown"  # a class is mentioned, but nothing says what about it
    assert before.scores == {
        "class_overview": 1.5,
        "fitness_results": 1.0,
        "attendance": 1.0,
        "upcoming_sessions": 1.0,
        "recommend_activities": 1.0,
        "safety_status": 0.5,
        "heat_guidance": 0.3,
        "propose_results": 0.5,
    }

    feedback = record_feedback(actor=world["ctx"].user, message=reply, rating=-1, expected_intent="fitness_results")
    assert (feedback.rating, feedback.expected_intent) == (-1, "fitness_results")
    weights = dict(IntentExample.objects.filter(owner=world["ctx"].user).values_list("intent", "weight"))
    assert weights == {"fitness_results": 1.0}

    after = recognize(world["ctx"], text)
    assert after.intent == "fitness_results"
    assert after.scores["fitness_results"] == 5.0  # 1.0 (class) + 4.0 × similarity 1.0 × weight 1.0
    assert after.confidence == 0.881  # e^5 / (e^1 baseline + Σ e^score)
    assert "you taught me 'how many laps did grade 5 blue run' means fitness results" in after.reasons
    # a similar phrasing benefits too
    assert recognize(world["ctx"], "how many laps did grade 6 red run").intent == "fitness_results"
    event = AuditEvent.objects.get(action="assistant.feedback_recorded")
    assert event.changes["learned"] == [["fitness_results", 1.0]]


def test_a_wrong_intent_is_weakened_when_corrected(world):
    _before, reply = _exchange(world, "is it safe to run the pacer today")
    reply.intent = "safety_status"
    reply.save()
    record_feedback(actor=world["ctx"].user, message=reply, rating=-1, expected_intent="fitness_results")
    weights = dict(IntentExample.objects.values_list("intent", "weight"))
    assert weights == {"fitness_results": 1.0, "safety_status": -0.5}


def test_thumbs_up_strengthens_and_saving_again_does_not_double_count(world):
    _recognition, reply = _exchange(world, "How did Grade 5 Blue do on the PACER?")
    record_feedback(actor=world["ctx"].user, message=reply, rating=1)
    example = IntentExample.objects.get(owner=world["ctx"].user)
    assert (example.phrase, example.intent, example.weight) == (
        "how did grade 5 blue do on the pacer",
        "fitness_results",
        0.5,
    )
    record_feedback(actor=world["ctx"].user, message=reply, rating=1, correction="spot on")
    example.refresh_from_db()
    assert example.weight == 0.5
    assert Feedback.objects.get(message=reply).correction == "spot on"
    record_feedback(actor=world["ctx"].user, message=reply, rating=-1)
    example.refresh_from_db()
    assert example.weight == 0.0
    assert Feedback.objects.filter(message=reply).count() == 1


def test_thumbs_down_without_correction_weakens(world):
    _recognition, reply = _exchange(world, "is it safe today?")
    record_feedback(actor=world["ctx"].user, message=reply, rating=-1)
    assert list(IntentExample.objects.values_list("intent", "weight")) == [("safety_status", -0.5)]


def test_weights_are_capped(world):
    ctx = world["ctx"]
    for _ in range(12):
        _recognition, reply = _exchange(world, "how did grade 5 blue do on the pacer")
        record_feedback(actor=ctx.user, message=reply, rating=1)
    assert IntentExample.objects.get(owner=ctx.user).weight == 5.0


def test_only_the_owner_may_rate_and_only_replies(world, other_teacher, school_admin):
    _recognition, reply = _exchange(world, "hello")
    with pytest.raises(Http404):
        record_feedback(actor=other_teacher, message=reply, rating=1)
    with pytest.raises(Http404):
        record_feedback(actor=school_admin, message=reply, rating=1)
    question = reply.conversation.messages.get(role=MessageRole.USER)
    with pytest.raises(ServiceError):
        record_feedback(actor=world["ctx"].user, message=question, rating=1)
    with pytest.raises(ServiceError) as bad:
        record_feedback(actor=world["ctx"].user, message=reply, rating=3)
    assert bad.value.field == "rating"
    with pytest.raises(ServiceError) as bad_intent:
        record_feedback(actor=world["ctx"].user, message=reply, rating=-1, expected_intent="launch_rockets")
    assert bad_intent.value.field == "expected_intent"
    assert not Feedback.objects.exists()


def test_a_correction_stating_a_preference_becomes_a_memory(world):
    from memory.selectors.memories import preferences

    _recognition, reply = _exchange(world, "how did they do on the pacer")
    record_feedback(actor=world["ctx"].user, message=reply, rating=-1, correction="My default class is Grade 6 Red")
    assert preferences(world["ctx"].user, world["ctx"].school) == {"default_class": "Grade 6 Red"}
    after = recognize(world["ctx"], "how did they do on the pacer", preferences={"default_class": "Grade 6 Red"})
    assert after.arguments["class_name"] == "Grade 6 Red"
