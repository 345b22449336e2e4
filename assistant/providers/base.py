"""The provider interface: what a provider is given and what it returns.

``builtin`` (offline: intent recognition + templates over the tools) is the default and what the
tests exercise; ``openai`` talks to any OpenAI-compatible chat-completions API with tool calling
over the same tools (``ASSISTANT_PROVIDER``, ``ASSISTANT_OPENAI_BASE_URL``, ``_MODEL``, ``_API_KEY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.tools.base import ActionProposal, Card, Citation, ToolContext, ToolResult


@dataclass
class ReplyRequest:
    ctx: ToolContext
    conversation: Any  # assistant.models.Conversation
    text: str  # the person's new message
    persona: Any  # assistant.personas.PersonaStyle
    context: Any  # memory.selectors.context.ContextBundle (persona, memories, recent messages, summaries)
    preferences: dict = field(default_factory=dict)  # learned preferences {key: value} (memory)
    attachments: list = field(default_factory=list)  # assistant.models.Attachment sent with the message


@dataclass
class ReplyDraft:
    text: str
    provider: str
    intent: str = ""
    confidence: float | None = None
    reasons: list[str] = field(default_factory=list)
    tool_calls: list[dict] = field(default_factory=list)  # ToolResult.as_log(arguments) per call
    citations: list[Citation] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    proposals: list[ActionProposal] = field(default_factory=list)
    remember: list[dict] = field(default_factory=list)  # memories to create: {"kind", "content", "key", "importance"}
    results: list[ToolResult] = field(default_factory=list)


class Provider(Protocol):
    name: str

    def reply(self, request: ReplyRequest) -> ReplyDraft: ...


def get_provider(name: str | None = None) -> Provider:
    """The configured provider (``ASSISTANT_PROVIDER``: "builtin" or "openai")."""
    from django.conf import settings

    name = name or getattr(settings, "ASSISTANT_PROVIDER", "builtin")
    if name == "openai":
        from assistant.providers.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider.from_settings()
    from assistant.providers.builtin import BuiltinProvider

    return BuiltinProvider()
