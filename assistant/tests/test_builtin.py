# ruff: noqa: F811
"""The built-in provider end to end: a real context bundle (memory), real tools through
``run_tool`` (audited), persona styles and learned preferences; bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from assistant.models import Persona
from assistant.personas import PersonaStyle
from assistant.providers.base import ReplyRequest
from assistant.providers.builtin import BuiltinProvider
from assistant.tests.factories import ConversationFactory
from assistant.tests.test_builtin_world import world  # noqa: F401

MAX_QUERIES = 20  # measured: 15 for the PACER question, 11 for the clarifying one


def ask(world, text, *, persona="Straight talk", prefs=None, attachments=()):
    from memory.selectors.context import build_context

    ctx = world["ctx"]
    style = PersonaStyle.from_persona(Persona.objects.get(school=None, name=persona), ctx.user)
    context = build_context(
        user=ctx.user, school=ctx.school, query=text, persona_text=style.prompt(), messages=[], budget_tokens=1500
    )
    request = ReplyRequest(
        ctx=ctx,
        conversation=ConversationFactory(school=ctx.school, owner=ctx.user),
        text=text,
        persona=style,
        context=context,
        preferences=prefs or {},
        attachments=list(attachments),
    )
    return BuiltinProvider().reply(request)


def test_acceptance_pacer_question(world):
    draft = ask(world, "How did Grade 5 Blue do on the PACER?")
    assert (draft.provider, draft.intent) == ("builtin", "fitness_results")
    assert draft.confidence > 0.9
    assert [(c["tool"], c["arguments"], c["ok"]) for c in draft.tool_calls] == [
        ("fitness_results", {"class_name": "Grade 5 Blue", "test_name": "PACER"}, True)
    ]
    assert "Grade 5 Blue" in draft.text
    assert draft.results[0].sentences[0].split(".")[0] in draft.text
    assert draft.citations and all(c.url for c in draft.citations)
    assert draft.cards
    assert "mentions class Grade 5 Blue" in draft.reasons
    audit = AuditEvent.objects.get(action="assistant.tool_called")
    assert (audit.target_id, audit.changes["ok"]) == ("fitness_results", True)


def test_acceptance_heat_question_and_metric_preference(world):
    draft = ask(world, "What should I do with my class if it's 95°F?")
    assert draft.intent == "heat_guidance"
    assert draft.tool_calls[0]["arguments"] == {"temperature": 95.0, "unit": "F"}
    assert draft.tool_calls[0]["ok"] is True
    assert draft.text
    metric = ask(world, "What should I do with my class if it's 95°F?", prefs={"units": "metric"})
    assert metric.tool_calls[0]["arguments"] == {"temperature": 35.0, "unit": "C"}
    assert "you prefer metric units: 95 °F = 35 °C" in metric.reasons


def test_missing_class_asks_which_listing_the_users_classes(world):
    draft = ask(world, "how did they do on the PACER?")
    assert draft.intent == "fitness_results"
    assert [c["tool"] for c in draft.tool_calls] == ["list_classes"]
    assert draft.text == "Which class do you mean? For example: Grade 5 Blue, Grade 6 Red."
    with_default = ask(world, "how did they do on the PACER?", prefs={"default_class": "Grade 5 Blue"})
    assert with_default.tool_calls[0]["arguments"] == {"class_name": "Grade 5 Blue", "test_name": "PACER"}


def test_remember_fills_the_draft_and_confirms(world):
    draft = ask(world, "Remember that Grade 5 Blue has swimming on Fridays")
    assert draft.intent == "remember"
    assert draft.remember == [
        {"kind": "fact", "key": "", "content": "Grade 5 Blue has swimming on Fridays", "importance": 0.6}
    ]
    assert draft.text == "I will remember that: Grade 5 Blue has swimming on Fridays."
    assert draft.tool_calls == []
    pref = ask(world, "my default class is Grade 6 Red")
    assert pref.intent == "set_preference"
    assert pref.remember[0]["key"] == "default_class"
    assert pref.text == "Got it: your default class is now Grade 6 Red."


def test_fact_memories_about_the_class_are_quoted(world):
    from memory.services.memories import create_memory

    ctx = world["ctx"]
    memory = create_memory(actor=ctx.user, school=ctx.school, content="Grade 5 Blue runs the PACER indoors")
    draft = ask(world, "How did Grade 5 Blue do on the PACER?")
    assert "You told me: Grade 5 Blue runs the PACER indoors." in draft.text
    assert f"a memory mentions it (#{memory.pk})" in draft.reasons


def test_report_style_and_personas_change_the_reply(world):
    question = "How did Grade 5 Blue do on the PACER?"
    normal = ask(world, question)
    cheer_short = ask(world, question, persona="Cheerleader", prefs={"report_style": "short"})
    cheer_normal = ask(world, question, persona="Cheerleader")
    cheer_detailed = ask(world, question, persona="Cheerleader", prefs={"report_style": "detailed"})
    assert len(cheer_short.text) < len(cheer_normal.text) < len(cheer_detailed.text)
    assert "keep it up" not in cheer_short.text and "keep it up" in cheer_normal.text
    assert "Why: " in cheer_detailed.text and "you prefer detailed reports" in cheer_detailed.reasons
    cheer = ask(world, "How did Grade 5 Blue do on the PACER?", persona="Cheerleader")
    formal = ask(world, "How did Grade 5 Blue do on the PACER?", persona="Formal report")
    assert cheer.text.startswith("🌟 Great question")
    assert formal.text.startswith("Please find the requested information below.")
    assert "Why: " in formal.text
    assert len({normal.text, cheer.text, formal.text}) == 3


def test_greeting_thanks_and_unknown(world):
    assert ask(world, "hello").text == "Hello! Ask me about your classes, students, fitness results or safety."
    assert ask(world, "thanks!").text == "You're welcome."
    unknown = ask(world, "purple monkey dishwasher")
    assert unknown.intent == "unknown"
    assert unknown.text.startswith("I did not understand that, but I can: list your classes;")
    assert unknown.tool_calls == []


def test_spanish_reply(world):
    from accounts.models import UserPreference

    UserPreference.objects.create(user=world["ctx"].user, language="es")
    from django.core.cache import cache

    cache.clear()
    draft = ask(world, "qué puedes hacer", persona="Cheerleader")
    assert draft.intent == "help"
    assert "¡Buena pregunta" in draft.text
    assert "Listar tus clases" in draft.text  # the persona's simple reading level splits the list


def test_another_schools_student_gives_nothing(world, other_school):
    from physed.models import Student

    Student.objects.create(
        school=other_school, first_name="Zed", last_name="Southward", grade=5, sex="M", external_id="z-1"
    )
    draft = ask(world, "How is Zed Southward doing?")
    assert "Southward" not in draft.text
    assert all("Southward" not in str(call["data"]) for call in draft.tool_calls)
    assert "student_name" not in str([c["arguments"] for c in draft.tool_calls])


@pytest.mark.parametrize("question", ["How did Grade 5 Blue do on the PACER?", "how did they do on the PACER?"])
def test_reply_takes_a_bounded_number_of_queries(world, question, django_assert_max_num_queries):
    ask(world, "warm up")  # caches (language preference, school ids) as in a running conversation
    with CaptureQueriesContext(connection) as captured:
        ask(world, question)
    with django_assert_max_num_queries(MAX_QUERIES):
        ask(world, question)
    print(question, len(captured.captured_queries))
