"""What every assistant page shares: the permission gate, owner-only lookups (another person's
conversation, message, action or attachment is a 404 — even for a school admin), and how a stored
reply is prepared for the chat view (cards → table / SVG bar chart / links, citations kept only
when they point inside the site)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services_session import current_school
from assistant.models import Attachment, Conversation, Message, Persona, ProposedAction
from physed.charts import bar_chart

USE = "assistant.use_assistant"


def school_for_page(request):
    """The current school, when the person may use the assistant there (else 403)."""
    school = current_school(request)
    if school is None or not has_school_perm(request.user, USE, school.pk):
        raise PermissionDenied
    return school


def _owned(queryset, user, pk, school_path):
    obj = queryset.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    school_id = obj
    for part in school_path.split("."):
        school_id = getattr(school_id, part)
    if not has_school_perm(user, USE, school_id):
        raise PermissionDenied
    return obj


def find_conversation(user, pk) -> Conversation:
    return _owned(Conversation.objects.select_related("school", "persona"), user, pk, "school_id")


def find_message(user, pk) -> Message:
    qs = Message.objects.select_related("conversation__school")
    return _owned(qs, user, pk, "conversation.school_id")


def find_action(user, pk) -> ProposedAction:
    qs = ProposedAction.objects.select_related("message__conversation")
    return _owned(qs, user, pk, "message.conversation.school_id")


def find_attachment(user, pk) -> Attachment:
    return _owned(Attachment.objects.select_related("conversation__school"), user, pk, "conversation.school_id")


def personas_for(user, school):
    """Built-in personas and the school's own, built-ins first."""
    return (
        Persona.objects.visible_to(user)
        .filter(Q(school=school) | Q(school__isnull=True))
        .order_by(F("school_id").asc(nulls_first=True), "name", "pk")
    )


def safe_url(url) -> str:
    """Only links inside the site (a path): a reply can never carry a javascript: or external link."""
    url = str(url or "")
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


def _links(items) -> list[dict]:
    links = []
    for item in items or ():
        if isinstance(item, dict) and (url := safe_url(item.get("url"))):
            links.append({"label": str(item.get("label") or url), "url": url, "kind": item.get("kind", "")})
    return links


@dataclass
class CardView:
    kind: str
    title: str
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    chart: object = None
    links: list = field(default_factory=list)


def card_views(cards) -> list[CardView]:
    views = []
    for card in cards or ():
        if not isinstance(card, dict):
            continue
        kind, title = card.get("kind"), str(card.get("title") or "")
        if kind == "table":
            views.append(CardView("table", title, columns=card.get("columns") or [], rows=card.get("rows") or []))
        elif kind == "chart":
            bars = []
            for point in card.get("series") or ():
                try:
                    bars.append((str(point["label"]), float(point["value"])))
                except (KeyError, TypeError, ValueError):
                    continue
            chart = bar_chart(bars, title=title, y_label=str(card.get("unit") or ""), empty_message=_("No data."))
            views.append(CardView("chart", title, chart=chart))
        elif kind == "links":
            views.append(CardView("links", title, links=_links(card.get("links"))))
    return views


def prepare(messages) -> list[Message]:
    """Adds ``card_views``, ``links`` (citations), ``intent_label`` and ``import_for`` to each
    message for the template."""
    from assistant.intents.labels import intent_label

    messages = list(messages)
    for message in messages:
        message.card_views = card_views(message.cards)
        message.links = _links(message.citations)
        message.action_list = list(message.actions.all())
        message.attachment_list = list(message.attachments.all())
        try:
            message.feedback_row = message.feedback
        except Message.feedback.RelatedObjectDoesNotExist:
            message.feedback_row = None
        message.intent_label = intent_label(message.intent) if message.intent else ""
        if message.confidence is not None:
            message.confidence_percent = round(message.confidence * 100)
    return messages


def messages_of(conversation):
    return prepare(
        conversation.messages.select_related("feedback")
        .prefetch_related("actions", "attachments")
        .order_by("created_at", "pk")
    )
