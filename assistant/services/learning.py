"""Learning from the person: feedback on replies re-weights intent recognition, and "remember
that …"-style requests become memories.

``record_feedback`` keeps one ``Feedback`` per reply (updatable; only the conversation's owner).
It changes the person's ``IntentExample`` rows, keyed by the user message that led to the reply
(normalised), which ``assistant.intents`` adds to its scores:

* thumbs down + ``expected_intent`` → that phrasing under the expected intent, weight +1
  (and the wrongly recognised intent −0.5);
* thumbs up → the recognised intent's phrasing +0.5;
* thumbs down without a correction → the recognised intent's phrasing −0.5.

Weights stay within ±``WEIGHT_CAP``. A feedback that is saved again with the same rating and
intent changes nothing. A correction that states a fact or preference ("remember that …",
"my default class is …") also becomes a memory (``memory.services.memories``).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assistant.models import Feedback, IntentExample, Message, MessageRole

WEIGHT_CAP = 5.0
CORRECTED_WEIGHT = 1.0
THUMBS_UP_STEP = 0.5
THUMBS_DOWN_STEP = -0.5
FACT_IMPORTANCE = 0.6
PREFERENCE_IMPORTANCE = 0.8

_FACT = re.compile(
    r"\b(?:please\s+)?(?:remember|don'?t forget|recuerda|no olvides)\s*(?:that|que|:)\s*(?P<content>.+)",
    re.IGNORECASE | re.DOTALL,
)
_DEFAULT_CLASS = re.compile(
    r"\b(?:my\s+(?:default|main|usual)\s+class\s+is|mi\s+clase\s+(?:por\s+defecto|predeterminada|principal|habitual)\s+es)"
    r"\s+(?P<value>[^.!?\n]+)",
    re.IGNORECASE,
)
_UNITS = re.compile(
    r"\b(?:use|prefer|i\s+use|usa|usar|uso|prefiero)\s+(?:the\s+|las\s+)?(?:unidades\s+)?"
    r"(?P<value>metric|imperial|celsius|fahrenheit|m[eé]tricas?|imperiales?)",
    re.IGNORECASE,
)
_REPORTS = re.compile(
    r"\b(?:i\s+prefer|i\s+like|give\s+me|prefiero|me\s+gustan|dame)\s+(?:the\s+|los\s+)?"
    r"(?:(?P<en>short|brief|detailed|long)\s+(?:reports?|answers?|replies)"
    r"|(?:informes?|respuestas?)\s+(?P<es>breves?|cortos?|cortas?|detallad[oa]s?|largos?|largas?))",
    re.IGNORECASE,
)


def _report_style(word: str) -> str:
    word = word.lower()
    return "short" if word.startswith(("short", "brief", "brev", "cort")) else "detailed"


def _units(word: str) -> str:
    from assistant.resolve import normalise

    word = normalise(word)
    return "metric" if word.startswith(("metric", "celsius")) else "imperial"


def extract_memory_requests(text: str) -> list[dict]:
    """What ``text`` asks to remember, in English or Spanish: a list of
    ``{"kind", "content", "key", "importance"}`` (preferences have a key and their value as content)."""
    text = (text or "").strip()
    found: list[dict] = []
    if m := _DEFAULT_CLASS.search(text):
        value = m.group("value").strip().strip("\"'“”")
        if value:
            found.append(
                {"kind": "preference", "key": "default_class", "content": value, "importance": PREFERENCE_IMPORTANCE}
            )
    if m := _UNITS.search(text):
        found.append(
            {
                "kind": "preference",
                "key": "units",
                "content": _units(m.group("value")),
                "importance": PREFERENCE_IMPORTANCE,
            }
        )
    if m := _REPORTS.search(text):
        style = _report_style(m.group("en") or m.group("es"))
        found.append(
            {"kind": "preference", "key": "report_style", "content": style, "importance": PREFERENCE_IMPORTANCE}
        )
    if not found and (m := _FACT.search(text)):
        content = m.group("content").strip()
        content = content[:1].upper() + content[1:]
        if content:
            found.append({"kind": "fact", "key": "", "content": content[:2000], "importance": FACT_IMPORTANCE})
    return found


def _prompt_of(message: Message) -> str:
    """The user message that led to ``message`` (a reply)."""
    from assistant.resolve import normalise

    prompt = (
        Message.objects.filter(conversation_id=message.conversation_id, role=MessageRole.USER, pk__lt=message.pk)
        .order_by("-pk")
        .values_list("text", flat=True)
        .first()
    )
    return normalise(prompt or "")[:300]


def _adjust(*, owner, school, phrase: str, intent: str, delta: float) -> IntentExample | None:
    if not phrase or not intent or intent == "unknown":
        return None
    example, _created = IntentExample.objects.get_or_create(
        owner=owner, school=school, phrase=phrase, intent=intent, defaults={"weight": 0.0}
    )
    example.weight = max(-WEIGHT_CAP, min(WEIGHT_CAP, round(example.weight + delta, 3)))
    example.save(update_fields=["weight", "updated_at"])
    return example


def _remember_from_correction(*, actor, school, message, correction: str) -> list:
    from memory.services.memories import create_memory, set_preference

    created = []
    for request in extract_memory_requests(correction):
        if request["kind"] == "preference":
            created.append(
                set_preference(
                    actor=actor,
                    school=school,
                    key=request["key"],
                    value=request["content"],
                    source_message_id=message.pk,
                )
            )
        else:
            created.append(
                create_memory(
                    actor=actor,
                    school=school,
                    content=request["content"],
                    kind="fact",
                    importance=request["importance"],
                    source="feedback",
                    source_message_id=message.pk,
                )
            )
    return created


@transaction.atomic
def record_feedback(*, actor, message, rating, correction: str = "", expected_intent: str = "") -> Feedback:
    """Saves thumbs up/down on a reply and learns from it (see the module docstring)."""
    from assistant.intents import ALL_INTENTS

    if message is None or not Message.objects.visible_to(actor).filter(pk=message.pk).exists():
        raise Http404(_("No such message."))
    if message.role != MessageRole.ASSISTANT:
        raise ServiceError(_("Only the assistant's replies can be rated."), field="message", code="invalid")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if rating not in (1, -1):
        raise ServiceError(_("Rate the reply with thumbs up (1) or down (-1)."), field="rating", code="invalid")
    correction = (correction or "").strip()
    if len(correction) > 2000:
        raise ServiceError(_("Keep the correction to 2000 characters."), field="correction", code="max_length")
    expected_intent = (expected_intent or "").strip()
    if expected_intent and expected_intent not in ALL_INTENTS:
        raise ServiceError(_("Choose one of the listed topics."), field="expected_intent", code="invalid_choice")

    previous = Feedback.objects.filter(message=message).first()
    unchanged = previous is not None and (previous.rating, previous.expected_intent) == (rating, expected_intent)
    feedback, _created = Feedback.objects.update_or_create(
        message=message,
        defaults={"rating": rating, "correction": correction, "expected_intent": expected_intent},
    )
    conversation = message.conversation
    school = conversation.school
    learned = []
    if not unchanged:
        phrase = _prompt_of(message)
        recognised = message.intent
        if rating < 0 and expected_intent and expected_intent != recognised:
            learned.append(
                _adjust(owner=actor, school=school, phrase=phrase, intent=expected_intent, delta=CORRECTED_WEIGHT)
            )
            learned.append(
                _adjust(owner=actor, school=school, phrase=phrase, intent=recognised, delta=THUMBS_DOWN_STEP)
            )
        elif rating > 0:
            learned.append(_adjust(owner=actor, school=school, phrase=phrase, intent=recognised, delta=THUMBS_UP_STEP))
        else:
            learned.append(
                _adjust(owner=actor, school=school, phrase=phrase, intent=recognised, delta=THUMBS_DOWN_STEP)
            )
    memories = _remember_from_correction(actor=actor, school=school, message=message, correction=correction)
    record_event(
        "assistant.feedback_recorded",
        actor=actor,
        school=school,
        target=message,
        changes={
            "rating": rating,
            "expected_intent": expected_intent,
            "learned": [[e.intent, e.weight] for e in learned if e is not None],
            "memories": [m.pk for m in memories],
        },
    )
    return feedback
