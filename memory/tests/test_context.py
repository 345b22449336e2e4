"""The context builder: priority order, exact budget, summaries, owner-only memories."""

from datetime import timedelta

import pytest
from django.utils import timezone

from memory.selectors.context import ContextMessage, build_context, first_sentence, summarize
from memory.tests.factories import MemoryFactory
from memory.tokens import count_tokens

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)
PERSONA = "You are a friendly PE coach. Keep answers short and cite the records you used."
PRIORITY = {"persona": 0, "memory": 1, "message": 2, "summary": 3}


def conversation(n=12):
    messages = []
    for i in range(n):
        role = "user" if i % 2 == 0 else "assistant"
        text = (
            f"How did Grade {i} Blue do on the PACER test this week? Also list attendance."
            if role == "user"
            else f"Grade {i - 1} Blue: 12 of 20 in the healthy fitness zone; attendance 91%."
        )
        messages.append(ContextMessage(role, text, NOW - timedelta(minutes=n - i)))
    return messages


@pytest.fixture
def memories(teacher, school):
    return [
        MemoryFactory(owner=teacher, school=school, content="Grade 5 Blue runs the PACER on Fridays.", importance=0.9),
        MemoryFactory(owner=teacher, school=school, content="Prefers metric units in reports.", importance=0.6),
        MemoryFactory(
            owner=teacher, school=school, content="Sam in Grade 5 Blue has asthma plan on file.", importance=0.4
        ),
    ]


def test_huge_budget_takes_everything_in_order(teacher, school, memories):
    messages = conversation(6)
    bundle = build_context(
        user=teacher,
        school=school,
        query="PACER Grade 5 Blue",
        persona_text=PERSONA,
        messages=messages,
        budget_tokens=100_000,
        now=NOW,
    )
    assert bundle.persona == PERSONA
    assert [m.memory for m in bundle.memories] == [memories[0], memories[2]]  # the two that match
    assert bundle.recent == messages
    assert bundle.summaries == []
    assert [p.label for p in bundle.parts] == ["persona", "memory", "memory"] + ["message"] * 6
    assert bundle.parts[1].text == "Memory: Grade 5 Blue runs the PACER on Fridays."
    assert bundle.parts[3].text.startswith("User: How did Grade 0 Blue")
    assert bundle.tokens_used == count_tokens(bundle.as_prompt()) == sum(p.tokens for p in bundle.parts)
    assert bundle.memory_ids == [memories[0].pk, memories[2].pk]


@pytest.mark.parametrize(
    "budget", [-5, 0, 1, 3, 4, 7, 15, 16, 17, 20, 25, 31, 40, 55, 64, 80, 99, 120, 160, 200, 260, 400, 10**6]
)
def test_budget_is_respected_exactly_and_priority_kept(teacher, school, memories, budget):
    messages = conversation(12)
    bundle = build_context(
        user=teacher,
        school=school,
        query="PACER Grade 5 Blue",
        persona_text=PERSONA,
        messages=messages,
        budget_tokens=budget,
        now=NOW,
    )
    assert bundle.budget == max(0, budget)
    assert bundle.tokens_used == sum(p.tokens for p in bundle.parts) <= bundle.budget
    assert count_tokens(bundle.as_prompt()) <= bundle.budget
    assert count_tokens(bundle.as_prompt()) == bundle.tokens_used
    for part in bundle.parts:
        assert part.tokens == count_tokens(part.text) > 0
    # a lower-priority section only appears when every higher one is complete
    labels = [p.label for p in bundle.parts]
    ranks = [PRIORITY[label] for label in labels]
    assert ranks == sorted(ranks)
    matching = [memories[0].pk, memories[2].pk]
    included = [m.memory.pk for m in bundle.memories]
    assert included == matching[: len(included)]  # best first, none skipped
    if labels and labels != ["persona"]:
        assert bundle.persona == PERSONA
    if "message" in labels or "summary" in labels:
        assert included == matching
    # the recent messages are always the newest ones, contiguous
    assert bundle.recent == messages[len(messages) - len(bundle.recent) :]
    if "summary" in labels:
        assert bundle.parts[-1].text.startswith("Earlier")
        # the summary stands for messages that did not fit whole
        older = messages[: len(messages) - len(bundle.recent)]
        room = bundle.budget - (bundle.tokens_used - bundle.parts[-1].tokens)
        label = "User" if older[-1].role == "user" else "Assistant"
        assert count_tokens(f"{label}: {older[-1].text}") > room


def test_budget_sweep_never_exceeds(teacher, school, memories):
    messages = conversation(10)
    for budget in range(0, 320, 3):
        bundle = build_context(
            user=teacher,
            school=school,
            query="PACER",
            persona_text=PERSONA,
            messages=messages,
            budget_tokens=budget,
            now=NOW,
        )
        assert bundle.tokens_used <= budget
        assert count_tokens(bundle.as_prompt()) == bundle.tokens_used


def test_persona_alone_is_cut_to_a_tiny_budget(teacher, school, memories):
    bundle = build_context(
        user=teacher,
        school=school,
        query="PACER",
        persona_text=PERSONA,
        messages=conversation(4),
        budget_tokens=5,
        now=NOW,
    )
    assert bundle.persona == "You are a friendly PE"
    assert bundle.tokens_used == 5
    assert bundle.memories == [] and bundle.recent == [] and bundle.summaries == []


def test_older_messages_are_summarised(teacher, school):
    messages = conversation(12)
    persona_tokens = count_tokens(PERSONA)
    last_two = sum(count_tokens(f"{'User' if m.role == 'user' else 'Assistant'}: {m.text}") for m in messages[-2:])
    assert last_two == 38  # 19 each: the third newest (19 tokens) does not fit in 15 more
    bundle = build_context(
        user=teacher,
        school=school,
        query="",
        persona_text=PERSONA,
        messages=messages,
        budget_tokens=persona_tokens + last_two + 15,
        now=NOW,
    )
    assert bundle.memories == []
    assert bundle.recent == messages[-2:]
    assert bundle.summaries == ["Earlier, the user asked: How did Grade 0 Blue do on the PACER"]
    assert [p.label for p in bundle.parts] == ["persona", "message", "message", "summary"]
    assert bundle.tokens_used == bundle.budget


def test_a_long_old_message_becomes_its_first_sentence(teacher, school):
    long = "Attendance of Grade 4 Red this month. " + "More detail here please. " * 60
    messages = [
        ContextMessage("user", long, NOW - timedelta(minutes=3)),
        ContextMessage("assistant", "Grade 4 Red attended 93% of sessions.", NOW - timedelta(minutes=2)),
        ContextMessage("user", "And Grade 5 Blue?", NOW - timedelta(minutes=1)),
    ]
    bundle = build_context(
        user=teacher, school=school, query="", persona_text="", messages=messages, budget_tokens=60, now=NOW
    )
    assert bundle.recent == messages[1:]
    assert bundle.summaries == ["Earlier, the user asked: Attendance of Grade 4 Red this month"]
    assert bundle.as_prompt() == (
        "Assistant: Grade 4 Red attended 93% of sessions.\n\nUser: And Grade 5 Blue?\n\n"
        "Earlier, the user asked: Attendance of Grade 4 Red this month"
    )


def test_the_newest_message_is_cut_rather_than_dropped(teacher, school):
    messages = [ContextMessage("user", "word " * 100, NOW)]
    bundle = build_context(
        user=teacher, school=school, query="", persona_text="", messages=messages, budget_tokens=10, now=NOW
    )
    assert bundle.recent == messages
    assert bundle.as_prompt() == "User: word word word word word word word word"
    assert bundle.tokens_used == 10


def test_summarize_and_first_sentence():
    assert first_sentence("Attendance for Grade 4? And more.") == "Attendance for Grade 4"
    assert first_sentence("one two three four five six seven eight nine ten eleven twelve thirteen") == (
        "one two three four five six seven eight nine ten eleven twelve …"
    )
    messages = [
        ContextMessage("user", "How did Grade 5 Blue do on the PACER? Thanks.", NOW),
        ContextMessage("assistant", "They did well.", NOW),
        ContextMessage("user", "Attendance this week\nplease", NOW),
        ContextMessage("user", "How did Grade 5 Blue do on the PACER?", NOW),
    ]
    assert summarize(messages) == "Earlier, the user asked: How did Grade 5 Blue do on the PACER; Attendance this week"
    assert summarize(messages[1:2]) == ""


def test_no_match_falls_back_to_best_memories(teacher, school, memories):
    bundle = build_context(
        user=teacher, school=school, query="volleyball", persona_text="", messages=[], budget_tokens=500, now=NOW
    )
    assert [m.memory for m in bundle.memories] == [memories[0], memories[1], memories[2]]
    assert bundle.persona == ""


def test_only_the_users_memories(teacher, school_admin, school, memories):
    bundle = build_context(
        user=school_admin, school=school, query="PACER", persona_text=PERSONA, messages=[], budget_tokens=500, now=NOW
    )
    assert bundle.memories == []
    assert [p.label for p in bundle.parts] == ["persona"]


def test_context_does_not_mark_memories_used(teacher, school, memories):
    build_context(user=teacher, school=school, query="PACER", persona_text="", messages=[], budget_tokens=500, now=NOW)
    memories[0].refresh_from_db()
    assert memories[0].access_count == 0 and memories[0].last_accessed_at is None
