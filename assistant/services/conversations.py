"""Conversations with the assistant: starting one, posting a message and storing the reply.

``post_message`` is the heart of the assistant. It refuses bad input before anything is stored
(empty text without attachments, text over ``ASSISTANT_MAX_MESSAGE_CHARS``, attachments that are
not this conversation's or were already sent, the per-user rate limit), then builds what the
provider needs — the persona's style, the learned preferences and a context bundle of memories
and earlier messages within ``ASSISTANT_CONTEXT_TOKENS`` — and asks the provider for a reply in
the persona's language. The external (OpenAI-compatible) provider may fail (network, timeout, bad
JSON): the built-in one answers instead and the reply says so in its reasons.

The provider is called before the transaction (an HTTP call must not hold one open); the person's
message, the reply, its proposed actions and the memories it creates are then stored in one
transaction, so a failure leaves the conversation exactly as it was (no half-stored exchange).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assistant.models import Attachment, Conversation, Message, MessageRole, Persona, ProposedAction

logger = logging.getLogger(__name__)

PERMISSION = "assistant.use_assistant"
TITLE_CHARS = 60
HISTORY_LIMIT = 200  # earlier messages handed to the context builder (older ones are summarised there)
EPISODE_IMPORTANCE = 0.3


def _require_use(actor, school) -> None:
    if not has_school_perm(actor, PERMISSION, school.pk):
        raise ServiceError(
            _("You do not have permission to use the assistant here."), code="permission_denied", status=403
        )


def _require_owner(actor, conversation) -> None:
    """Only the owner may act on a conversation (the API answers 404 before this for others)."""
    if actor is None or conversation.owner_id != actor.pk:
        raise ServiceError(_("Not found."), code="not_found", status=404)
    _require_use(actor, conversation.school)


def _check_persona(actor, school, persona) -> None:
    if persona is None:
        return
    if (
        persona.school_id not in (None, school.pk)
        or not Persona.objects.visible_to(actor).filter(pk=persona.pk).exists()
    ):
        raise ServiceError(_("Choose a persona offered in this school."), field="persona", code="invalid")


def start_conversation(*, actor, school=None, title: str = "", persona=None) -> Conversation:
    """A new conversation of ``actor`` in ``school`` (else the only school where they may use the assistant)."""
    from accounts.services.schools import school_for_write

    school = school_for_write(actor=actor, perm=PERMISSION, school=school)
    _check_persona(actor, school, persona)
    conversation = Conversation.objects.create(
        owner=actor, school=school, title=(title or "").strip()[:120], persona=persona
    )
    record_event("assistant.conversation_started", actor=actor, school=school, target=conversation)
    return conversation


def rename_conversation(*, actor, conversation, title: str) -> Conversation:
    _require_owner(actor, conversation)
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the conversation a title."), field="title", code="required")
    if len(title) > 120:
        raise ServiceError(_("A title has at most 120 characters."), field="title", code="too_long")
    conversation.title = title
    conversation.save(update_fields=["title"])
    return conversation


def archive_conversation(*, actor, conversation, archived: bool | None = None) -> Conversation:
    """Archives the conversation, or brings it back (``archived=None`` toggles)."""
    _require_owner(actor, conversation)
    archived = conversation.archived_at is None if archived is None else archived
    conversation.archived_at = timezone.now() if archived else None
    conversation.save(update_fields=["archived_at"])
    return conversation


def set_conversation_persona(*, actor, conversation, persona) -> Conversation:
    """The persona this conversation speaks with (None: the person's choice or the school default)."""
    _require_owner(actor, conversation)
    _check_persona(actor, conversation.school, persona)
    conversation.persona = persona
    conversation.save(update_fields=["persona"])
    return conversation


def delete_conversation(*, actor, conversation) -> None:
    """Deletes the conversation with its messages; the attachments' files leave storage once committed."""
    _require_owner(actor, conversation)
    files = [attachment.file for attachment in conversation.attachments.all() if attachment.file]
    school, pk, label = conversation.school, conversation.pk, str(conversation)
    with transaction.atomic():
        conversation.delete()
        record_event(
            "assistant.conversation_deleted",
            actor=actor,
            school=school,
            target_type="assistant.conversation",
            target_id=str(pk),
            target_label=label,
        )

        def remove_files():
            for file in files:
                try:
                    file.storage.delete(file.name)
                except OSError:  # already gone: nothing left to remove
                    logger.warning("attachment file %s could not be removed", file.name)

        transaction.on_commit(remove_files)


def _attachments(conversation, attachment_ids) -> list[Attachment]:
    try:
        ids = sorted({int(pk) for pk in attachment_ids or ()})
    except (TypeError, ValueError):
        raise ServiceError(_("Attachments are given by their ids."), field="attachment_ids", code="invalid") from None
    if not ids:
        return []
    found = list(Attachment.objects.filter(conversation=conversation, pk__in=ids, message__isnull=True))
    if len(found) != len(ids):
        raise ServiceError(
            _("Attach only files uploaded to this conversation and not sent yet."),
            field="attachment_ids",
            code="invalid",
        )
    return found


def _validated_text(text) -> str:
    text = text if isinstance(text, str) else ""
    limit = settings.ASSISTANT_MAX_MESSAGE_CHARS
    if len(text) > limit * 2 or len(text.strip()) > limit:  # a huge message is refused before any other work
        raise ServiceError(
            _("A message has at most %(limit)d characters.") % {"limit": limit}, field="text", code="too_long"
        )
    return text.strip()


def _history(conversation) -> list:
    from memory.selectors.context import ContextMessage

    rows = list(
        conversation.messages.order_by("-created_at", "-pk").values_list("role", "text", "created_at")[:HISTORY_LIMIT]
    )
    return [ContextMessage(role=role, text=text, created_at=created) for role, text, created in reversed(rows)]


def _ask_provider(request):
    """The configured provider's draft; the built-in provider answers when an external one fails."""
    from assistant.providers.base import get_provider
    from assistant.providers.builtin import BuiltinProvider

    provider = get_provider()
    if getattr(provider, "name", "builtin") == "builtin":
        return provider.reply(request)
    try:
        return provider.reply(request)
    except Exception:
        logger.warning("the external assistant provider failed; answering offline", exc_info=True)
        draft = BuiltinProvider().reply(request)
        draft.reasons = [*draft.reasons, _("The external model did not answer; answered offline.")]
        return draft


_TOOL_TOPICS = {
    "list_classes": gettext_noop("your classes"),
    "class_overview": gettext_noop("the overview"),
    "student_progress": gettext_noop("the progress"),
    "fitness_results": gettext_noop("fitness results"),
    "attendance": gettext_noop("attendance"),
    "upcoming_sessions": gettext_noop("upcoming sessions"),
    "recommend_activities": gettext_noop("activity recommendations"),
    "adaptations": gettext_noop("adaptations"),
    "safety_status": gettext_noop("the safety status"),
    "heat_guidance": gettext_noop("heat guidance"),
    "search_content": gettext_noop("the content library"),
    "propose_goal": gettext_noop("a goal"),
    "propose_lesson_plan": gettext_noop("a lesson plan"),
    "propose_results": gettext_noop("recording results"),
    "describe_attachments": gettext_noop("the files sent"),
}


def episode_text(tool_calls: list[dict], today) -> str:
    """One line summarising what was asked, e.g. "Asked about fitness results of Grade 5 Blue
    (PACER) on 2026-11-26" — built from the tools the reply used and their arguments."""
    parts = []
    for call in tool_calls:
        arguments = call.get("arguments") or {}
        topic = _(_TOOL_TOPICS.get(call.get("tool"), str(call.get("tool", "")).replace("_", " ")))
        subject = next(
            (
                str(arguments[key])
                for key in ("class_name", "student_name", "activity_name", "query", "topic")
                if arguments.get(key)
            ),
            "",
        )
        detail = arguments.get("test_name") or arguments.get("focus") or ""
        if call.get("tool") == "heat_guidance" and arguments.get("temperature") is not None:
            detail = f"{arguments['temperature']}°{arguments.get('unit') or 'F'}"
        text = topic + (" " + _("of %(subject)s") % {"subject": subject} if subject else "")
        if detail:
            text += f" ({detail})"
        if text not in parts:
            parts.append(text)
    return (_("Asked about %(topics)s on %(date)s") % {"topics": "; ".join(parts), "date": today.isoformat()})[:2000]


def _remember(actor, school, draft, user_message, ctx) -> list[str]:
    """Stores the memories the reply asked for (and an episode for a reply that used a tool);
    returns the reasons of those that could not be stored."""
    from memory.services.memories import create_memory, set_preference

    problems = []
    for wish in draft.remember:
        try:
            with transaction.atomic():
                if wish.get("kind") == "preference" and wish.get("key"):
                    set_preference(
                        actor=actor,
                        school=school,
                        key=wish["key"],
                        value=str(wish.get("content", "")),
                        source_message_id=user_message.pk,
                    )
                else:
                    create_memory(
                        actor=actor,
                        school=school,
                        content=str(wish.get("content", "")),
                        kind=wish.get("kind") or "fact",
                        importance=float(wish.get("importance", 0.5)),
                        source="conversation",
                        source_message_id=user_message.pk,
                    )
        except ServiceError as exc:
            problems.append(_("Not remembered: %(reason)s") % {"reason": exc.message})
    used_tools = [call for call in draft.tool_calls if call.get("ok")]
    if used_tools:
        try:
            with transaction.atomic():
                create_memory(
                    actor=actor,
                    school=school,
                    content=episode_text(used_tools, ctx.today),
                    kind="episode",
                    importance=EPISODE_IMPORTANCE,
                    source="conversation",
                    source_message_id=user_message.pk,
                )
        except ServiceError as exc:
            problems.append(_("Not remembered: %(reason)s") % {"reason": exc.message})
    return problems


def _as_dicts(items) -> list[dict]:
    return [item.as_dict() if hasattr(item, "as_dict") else dict(item) for item in items]


def post_message(*, actor, conversation, text: str, attachment_ids=()) -> tuple[Message, Message]:
    """Stores ``text`` (and attachments) from the conversation's owner and the assistant's reply;
    returns (message, reply). See the module docstring for the order of checks."""
    from assistant.personas import PersonaStyle, effective_persona
    from assistant.providers.base import ReplyRequest
    from assistant.services.limits import check_rate
    from assistant.tools.base import ToolContext
    from memory.selectors.context import build_context
    from memory.selectors.memories import preferences
    from memory.services.memories import mark_used

    _require_owner(actor, conversation)
    if conversation.archived_at is not None:
        raise ServiceError(
            _("This conversation is archived: bring it back before writing in it."), code="archived", status=409
        )
    text = _validated_text(text)
    attachments = _attachments(conversation, attachment_ids)
    if not text and not attachments:
        raise ServiceError(_("Write a message or attach a file."), field="text", code="empty")
    check_rate(actor)

    school = conversation.school
    style = PersonaStyle.from_persona(effective_persona(actor, school, conversation), actor)
    prefs = preferences(actor, school)
    context = build_context(
        user=actor,
        school=school,
        query=text,
        persona_text=style.prompt(),
        messages=_history(conversation),
        budget_tokens=settings.ASSISTANT_CONTEXT_TOKENS,
    )
    ctx = ToolContext(user=actor, school=school, today=timezone.localdate(), language=style.language)
    request = ReplyRequest(
        ctx=ctx,
        conversation=conversation,
        text=text,
        persona=style,
        context=context,
        preferences=prefs,
        attachments=attachments,
    )
    with translation.override(style.language):
        draft = _ask_provider(request)
        now = timezone.now()
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation, role=MessageRole.USER, text=text, created_at=now
            )
            if attachments:
                linked = Attachment.objects.filter(pk__in=[a.pk for a in attachments], message__isnull=True)
                if linked.update(message=message) != len(attachments):  # sent meanwhile by another request
                    raise ServiceError(
                        _("Attach only files uploaded to this conversation and not sent yet."),
                        field="attachment_ids",
                        code="invalid",
                    )
            problems = _remember(actor, school, draft, message, ctx)
            reply = Message.objects.create(
                conversation=conversation,
                role=MessageRole.ASSISTANT,
                text=draft.text,
                provider=draft.provider,
                intent=(draft.intent or "")[:40],
                confidence=draft.confidence,
                reasons=[str(reason) for reason in [*draft.reasons, *problems]],
                tool_calls=draft.tool_calls,
                citations=_as_dicts(draft.citations),
                cards=_as_dicts(draft.cards),
                context_tokens=context.tokens_used,
                persona_name=style.name[:60],
                created_at=max(timezone.now(), now),
            )
            ProposedAction.objects.bulk_create(
                ProposedAction(message=reply, kind=p.kind[:30], summary=str(p.summary)[:300], payload=p.payload)
                for p in draft.proposals
            )
            if context.memories:
                mark_used([scored.memory for scored in context.memories])
            conversation.updated_at = timezone.now()
            fields = ["updated_at"]
            if not conversation.title:
                first = text or ", ".join(a.original_name for a in attachments)
                conversation.title = first[:TITLE_CHARS].rstrip() + ("…" if len(first) > TITLE_CHARS else "")
                fields.append("title")
            conversation.save(update_fields=fields)
    return message, reply
