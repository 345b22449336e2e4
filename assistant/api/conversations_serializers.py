"""Serializers of the assistant's owner-only resources: conversations, messages (a reply carries
how it was made), attachments, proposed actions and feedback.

A reply's ``tool_calls`` are shown without the tools' raw ``data`` (names, arguments, ok and the
message only): the facts reach the person through the reply's text, citations and cards.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from assistant.intents import ALL_INTENTS
from assistant.models import Attachment, Conversation, Feedback, Message, Persona, ProposedAction
from config.api.filters import MAX_ID
from config.api.serializers import StrictBooleanField, StrictSerializer

# Output-only shapes (used read-only by their parents). Optional keys are declared without
# ``read_only``: drf-spectacular lists every read-only field as required in a response, and these
# keys are absent when they do not apply (a chart card has no ``columns``, an image no ``table``).


class AssistantCitationSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("A link to the record's page."))
    kind = serializers.CharField(required=False)


class AssistantChartPointSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    value = serializers.FloatField(read_only=True, allow_null=True)


class AssistantCardSerializer(serializers.Serializer):
    """A table (``columns`` + ``rows``), a chart (``series`` + ``unit``) or ``links``."""

    kind = serializers.CharField(read_only=True, help_text=_('"table", "chart" or "links".'))
    title = serializers.CharField(read_only=True)
    columns = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()), required=False)
    series = AssistantChartPointSerializer(many=True, required=False)
    unit = serializers.CharField(required=False)
    links = AssistantCitationSerializer(many=True, required=False)


class AssistantToolCallSerializer(serializers.Serializer):
    tool = serializers.CharField(read_only=True)
    arguments = serializers.DictField(required=False)
    ok = serializers.BooleanField(read_only=True)
    message = serializers.CharField(required=False)


class AssistantTablePreviewSerializer(serializers.Serializer):
    """Empty (``{}``) for an image."""

    columns = serializers.ListField(child=serializers.CharField(), required=False)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()), required=False)
    total_rows = serializers.IntegerField(required=False)


class AssistantAttachmentSerializer(serializers.ModelSerializer):
    """``table``: the parsed preview of a CSV/XLSX (header and first rows), empty for an image.
    ``download_url`` is absolute when the request is in the context."""

    table = AssistantTablePreviewSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "conversation",
            "message",
            "kind",
            "original_name",
            "content_type",
            "size",
            "table",
            "imported_at",
            "import_summary",
            "attached_to",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment):
        path = reverse("assistant-api-attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AssistantAttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text=_("A PNG or JPEG image, or a CSV or XLSX table."))


class AttachToRecordSerializer(StrictSerializer):
    content_item = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("A content item you may edit."))


class ProposedActionSerializer(serializers.ModelSerializer):
    payload = serializers.DictField(read_only=True, help_text=_("What the write will do, with resolved ids."))

    class Meta:
        model = ProposedAction
        fields = [
            "id",
            "message",
            "kind",
            "summary",
            "payload",
            "status",
            "decided_at",
            "result_label",
            "result_url",
            "error",
            "created_at",
        ]
        read_only_fields = fields


class ReplyFeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "message", "rating", "correction", "expected_intent", "created_at", "updated_at"]
        read_only_fields = fields


class ReplyFeedbackWriteSerializer(StrictSerializer):
    rating = serializers.ChoiceField(choices=[(1, "1"), (-1, "-1")], help_text=_("1 helpful, -1 not helpful."))
    correction = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    expected_intent = serializers.ChoiceField(
        choices=ALL_INTENTS,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The topic the question was about, when the reply missed it."),
    )


class AssistantMessageSerializer(serializers.ModelSerializer):
    """One message; a reply also says how it was made (intent, confidence, reasons, tools, citations,
    cards, persona) and carries the actions it proposes. Fields of a reply are empty on the
    person's own messages."""

    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    citations = AssistantCitationSerializer(many=True, read_only=True)
    cards = AssistantCardSerializer(many=True, read_only=True)
    tool_calls = AssistantToolCallSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    actions = ProposedActionSerializer(many=True, read_only=True)
    feedback = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "role",
            "text",
            "created_at",
            "provider",
            "intent",
            "confidence",
            "reasons",
            "tool_calls",
            "citations",
            "cards",
            "persona_name",
            "context_tokens",
            "attachments",
            "actions",
            "feedback",
        ]
        read_only_fields = fields

    @extend_schema_field(AssistantAttachmentSerializer(many=True))
    def get_attachments(self, message):
        return AssistantAttachmentSerializer(message.attachments.all(), many=True, context=self.context).data

    @extend_schema_field(ReplyFeedbackSerializer(allow_null=True))
    def get_feedback(self, message):
        feedback = getattr(message, "feedback", None) if message.role == "assistant" else None
        return ReplyFeedbackSerializer(feedback).data if feedback is not None else None


class AssistantMessageWriteSerializer(StrictSerializer):
    text = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=settings.ASSISTANT_MAX_MESSAGE_CHARS,
        help_text=_("Your message; may be empty when attachments are sent."),
    )
    attachment_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=10,
        help_text=_("Attachments uploaded to this conversation and not yet sent."),
    )


class AssistantPostedMessageSerializer(serializers.Serializer):
    message = AssistantMessageSerializer(read_only=True)
    reply = AssistantMessageSerializer(read_only=True)


class ConversationSerializer(serializers.ModelSerializer):
    archived = serializers.SerializerMethodField()
    persona_name = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "school",
            "title",
            "persona",
            "persona_name",
            "created_at",
            "updated_at",
            "archived_at",
            "archived",
        ]
        read_only_fields = fields

    def get_archived(self, conversation) -> bool:
        return conversation.archived_at is not None

    def get_persona_name(self, conversation) -> str:
        return conversation.persona.name if conversation.persona_id else ""


class ConversationDetailSerializer(ConversationSerializer):
    """With the last messages (oldest first): ``recent_messages``."""

    recent_messages = serializers.SerializerMethodField()

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "recent_messages"]
        read_only_fields = fields

    @extend_schema_field(AssistantMessageSerializer(many=True))
    def get_recent_messages(self, conversation):
        rows = self.context.get("recent_messages", [])
        return AssistantMessageSerializer(rows, many=True, context=self.context).data


class _PersonaField(ScopedPrimaryKeyRelatedField):
    """A persona the user may see (built-in or of their schools); an unknown id is a 400 on the field."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Persona.objects.all(), allow_null=True, required=False, **kwargs)


class ConversationCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Needed only when you use the assistant in several schools."),
    )
    persona = _PersonaField(help_text=_("Empty: your chosen persona, else the school default."))


class ConversationUpdateSerializer(StrictSerializer):
    # a conversation keeps a title once renamed (the service refuses a blank one)
    title = serializers.CharField(max_length=120, required=False)
    persona = _PersonaField()
    archived = StrictBooleanField(required=False)
