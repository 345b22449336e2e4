"""Personal-data declarations for the assistant (DESIGN §5b).

Everything a person said to the assistant, and what it answered them, is theirs:
* conversations, messages, attachments (with their files), proposed actions, feedback, learned
  phrasings (intent examples) and persona choices: exported, and deleted on erasure (attachment
  files leave storage with their rows);
* personas the person created for a school: exported; on erasure ``created_by`` → null (the
  school keeps its persona).
"""

from django.db import transaction

from accounts.privacy import registry

CATEGORY = "assistant"


def _attachment_files(user):
    from assistant.models import Attachment

    for attachment in Attachment._base_manager.filter(conversation__owner_id=user.pk).exclude(file=""):
        name = attachment.file.name
        storage = attachment.file.storage
        if storage.exists(name):
            extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
            yield f"assistant-attachment-{attachment.pk}.{extension}", storage.open(name, "rb")


def _erase_attachments(queryset, user):
    files = [(a.file.storage, a.file.name) for a in queryset.exclude(file="")]
    rows = queryset.count()
    queryset.delete()

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return registry.DELETE, rows


def _erase_conversations(queryset, user):
    from assistant.models import Attachment

    _erase_attachments(Attachment._base_manager.filter(conversation__in=queryset), user)
    count = queryset.count()
    queryset.delete()
    return registry.DELETE, count


def _unlink_creator(queryset, user):
    return registry.ANONYMIZED, queryset.update(created_by=None)


def register() -> None:
    from assistant.models import (
        Attachment,
        Conversation,
        Feedback,
        IntentExample,
        Message,
        Persona,
        PersonaChoice,
        ProposedAction,
    )

    for model, path, school_path in (
        (Feedback, "message__conversation__owner", "message__conversation__school"),
        (ProposedAction, "message__conversation__owner", "message__conversation__school"),
        (Message, "conversation__owner", "conversation__school"),
    ):
        registry.register(model, category=CATEGORY, user_path=path, erase=registry.DELETE, school_path=school_path)
    registry.register(
        Attachment,
        category=CATEGORY,
        user_path="conversation__owner",
        erase=_erase_attachments,
        files=_attachment_files,
        school_path="conversation__school",
    )
    registry.register(
        Conversation, category=CATEGORY, user_path="owner", erase=_erase_conversations, school_path="school"
    )
    registry.register(IntentExample, category=CATEGORY, user_path="owner", erase=registry.DELETE, school_path="school")
    registry.register(PersonaChoice, category=CATEGORY, user_path="user", erase=registry.DELETE, school_path="school")
    registry.register(Persona, category=CATEGORY, user_path="created_by", erase=_unlink_creator, school_path="school")
