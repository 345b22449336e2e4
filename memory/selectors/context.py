"""The context given to the assistant for one reply, within a token budget (``memory.tokens``).

Parts in priority order:

1. the persona's instructions (cut to the budget if they alone exceed it);
2. the most relevant memories for the query (``search_memories``, best score first; when nothing
   matches the query's words, the memories best by recency and importance), one part each,
   ``Memory: …``, each at most ``MEMORY_PART_TOKENS`` tokens;
3. recent messages, newest first, one part each, ``User: …`` / ``Assistant: …`` (shown in the
   prompt in chronological order); only the newest may be cut, older ones go in whole or not at
   all — the messages that do not fit are the "older" ones of step 4;
4. one extractive summary line standing in for those older messages: the first sentence (at most
   ``SUMMARY_WORDS`` words) of each one the user wrote, e.g.
   ``Earlier, the user asked: how did Grade 5 Blue do on the PACER; attendance this week``.

A persona or memory part that does not fit is cut to the tokens left (if at least
``MIN_PART_TOKENS`` remain) and filling stops there, so no lower-priority part is added once a
higher one had to be dropped or cut. The budget is exact: parts are joined with blank lines,
which cost no tokens, so ``count_tokens(bundle.as_prompt()) == bundle.tokens_used ==
sum(part.tokens) <= budget``.

The selector does not mark memories as used (it is a read); the caller marks
``bundle.memory_ids`` with ``memory.services.memories.mark_used`` once the reply is stored.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from memory.selectors.search import ScoredMemory, search_memories
from memory.tokens import count_tokens, truncate_to_tokens

MAX_MEMORIES = 8
# one long memory must not crowd out the conversation: each is cut to this many tokens
MEMORY_PART_TOKENS = 80
MIN_PART_TOKENS = 4
SUMMARY_WORDS = 12
SUMMARY_ITEMS = 8
SEPARATOR = "\n\n"
ROLE_LABELS = {"user": "User", "assistant": "Assistant", "system": "System", "tool": "Tool"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n")


@dataclass
class ContextMessage:
    role: str
    text: str
    created_at: datetime


@dataclass
class ContextPart:
    label: str  # "persona", "memory", "message" or "summary"
    text: str
    tokens: int


@dataclass
class ContextBundle:
    persona: str
    memories: list[ScoredMemory]
    recent: list[ContextMessage]
    summaries: list[str]
    tokens_used: int
    budget: int
    parts: list[ContextPart] = field(default_factory=list)

    @property
    def memory_ids(self) -> list[int]:
        return [scored.memory.pk for scored in self.memories]

    def as_prompt(self) -> str:
        return SEPARATOR.join(part.text for part in self.parts)


class _Filler:
    """Adds parts while the budget lasts; ``add`` returns the text that went in ("" if none)."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.parts: list[ContextPart] = []
        self.full = False

    def add(self, label: str, text: str, *, whole: bool = False) -> str:
        """Adds ``text`` (cut to what is left and then full, unless ``whole``: then it goes in
        whole or not at all, and the filler stays open for smaller, lower-priority parts)."""
        if self.full or not text.strip():
            return ""
        left = self.budget - self.used
        tokens = count_tokens(text)
        if tokens > left:
            if whole:
                return ""
            self.full = True
            if left < MIN_PART_TOKENS and label != "persona":
                return ""
            text = truncate_to_tokens(text, left)
            tokens = count_tokens(text)
            if not tokens:
                return ""
        self.parts.append(ContextPart(label, text, tokens))
        self.used += tokens
        return text


def first_sentence(text: str, words: int = SUMMARY_WORDS) -> str:
    sentence = SENTENCE_END.split((text or "").strip(), maxsplit=1)[0].strip().rstrip(".!?")
    cut = sentence.split()
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")


def summarize(messages: list[ContextMessage]) -> str:
    """One extractive line about older messages: what the user asked, in order (latest items
    kept when there are many); "" when the user wrote none of them."""
    lines: list[str] = []
    for message in messages:
        if message.role != "user":
            continue
        line = first_sentence(message.text)
        if line and line not in lines:
            lines.append(line)
    if not lines:
        return ""
    return "Earlier, the user asked: " + "; ".join(lines[-SUMMARY_ITEMS:])


def _relevant_memories(user, school, query, now) -> list[ScoredMemory]:
    found = search_memories(user, query, school=school, limit=MAX_MEMORIES, now=now)
    if not found and query.strip():
        found = search_memories(user, "", school=school, limit=MAX_MEMORIES, now=now)
    return found


def build_context(
    *,
    user,
    school,
    query: str,
    persona_text: str,
    messages: list[ContextMessage],
    budget_tokens: int,
    now=None,
) -> ContextBundle:
    """The context for one reply (rules in the module docstring)."""
    now = now or timezone.now()
    budget = max(0, int(budget_tokens))
    filler = _Filler(budget)
    persona = filler.add("persona", persona_text or "")

    included_memories = []
    if not filler.full and filler.used < budget:
        for scored in _relevant_memories(user, school, query or "", now):
            text = truncate_to_tokens(f"Memory: {scored.memory.content}", MEMORY_PART_TOKENS)
            if filler.add("memory", text):
                included_memories.append(scored)
            if filler.full:
                break

    ordered = sorted(messages, key=lambda message: message.created_at)
    recent: list[ContextMessage] = []
    message_parts: list[ContextPart] = []
    for message in reversed(ordered):
        label = ROLE_LABELS.get(message.role, message.role.capitalize())
        if not filler.add("message", f"{label}: {message.text}", whole=bool(recent)):
            break
        recent.append(message)
        message_parts.append(filler.parts[-1])
        if filler.full:
            break
    # chosen newest first, shown in chronological order
    filler.parts = [part for part in filler.parts if part.label != "message"] + message_parts[::-1]
    recent.reverse()

    summaries = []
    older = ordered[: len(ordered) - len(recent)]
    summary = summarize(older)
    if summary:
        added = filler.add("summary", summary)
        if added:
            summaries.append(added)

    return ContextBundle(
        persona=persona,
        memories=included_memories,
        recent=recent,
        summaries=summaries,
        tokens_used=filler.used,
        budget=budget,
        parts=filler.parts,
    )
