"""The teaching assistant (issue 9 §2)."""

from assistant.models.conversations import (
    ActionStatus,
    Attachment,
    AttachmentKind,
    Conversation,
    Feedback,
    IntentExample,
    Message,
    MessageRole,
    ProposedAction,
)
from assistant.models.personas import Persona, PersonaChoice, ReadingLevel, Tone, Verbosity

__all__ = [
    "ActionStatus",
    "Attachment",
    "AttachmentKind",
    "Conversation",
    "Feedback",
    "IntentExample",
    "Message",
    "MessageRole",
    "Persona",
    "PersonaChoice",
    "ProposedAction",
    "ReadingLevel",
    "Tone",
    "Verbosity",
]
