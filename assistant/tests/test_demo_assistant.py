"""Assistant demo: Northside's "Coach Rivera" persona (not the default), and per demo teacher two
conversations whose replies are real (made through ``post_message`` over the demo data), a
"remember that" memory and one thumbs up; seeding twice adds nothing."""

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from assessments import demo_fitness
from assistant import demo
from assistant.models import Conversation, Feedback, Message, MessageRole, Persona
from memory import demo as memory_demo
from memory.models import Memory
from physed import demo_roster

pytestmark = pytest.mark.django_db


def test_seed_makes_real_conversations_and_is_idempotent():
    context = {}
    accounts_demo.seed(context)
    demo_roster.seed(context)
    demo_fitness.seed(context)
    memory_demo.seed(context)
    demo.seed(context)

    northside = context["schools"]["northside"]
    coach = Persona.objects.get(school=northside, name="Coach Rivera")
    assert coach.tone == "coach" and not coach.is_school_default
    assert not Persona.objects.filter(name="Coach Rivera").exclude(school=northside).exists()

    teacher = User.objects.get(email="teacher@northside.demo")
    conversations = {c.title: c for c in Conversation.objects.filter(owner=teacher, school=northside)}
    assert set(conversations) == {"PACER and the heat", "Notes for the assistant"}
    pacer = list(conversations["PACER and the heat"].messages.order_by("created_at", "pk"))
    assert [m.role for m in pacer] == [MessageRole.USER, MessageRole.ASSISTANT] * 2
    assert pacer[0].text.endswith("do on the PACER?") and "95°F" in pacer[2].text
    assert pacer[1].intent == "fitness_results" and pacer[1].tool_calls
    assert pacer[1].citations and pacer[1].citations[0]["url"].startswith("/")
    assert pacer[3].intent == "heat_guidance" and pacer[3].tool_calls
    assert Feedback.objects.get(message=pacer[1]).rating == 1

    notes = list(conversations["Notes for the assistant"].messages.order_by("created_at", "pk"))
    assert notes[1].intent == "remember"
    assert Memory.objects.filter(owner=teacher, school=northside, content__icontains="loves relay races").exists()

    assert Conversation.objects.filter(owner__email="teacher2@southside.demo").count() == 2
    counts = (Conversation.objects.count(), Message.objects.count(), Persona.objects.count(), Feedback.objects.count())
    demo.seed(context)
    assert (
        Conversation.objects.count(),
        Message.objects.count(),
        Persona.objects.count(),
        Feedback.objects.count(),
    ) == counts
