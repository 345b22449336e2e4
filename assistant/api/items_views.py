"""Attachments, proposed actions and feedback on replies (owner only, see ``assistant.api.common``)."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.api.base import NoStoreMixin, call_service, mark_no_store
from accounts.services.audit import record_event
from assistant.api import conversations_serializers as s
from assistant.api.common import TAGS, UsesAssistant
from assistant.models import Attachment, Message, MessageRole, ProposedAction

DOWNLOAD_TYPES = [
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]


def attachment_response(user, attachment):
    """The file itself: audited, private, no-store, always a download."""
    record_event(
        "assistant.attachment_downloaded",
        actor=user,
        school=attachment.conversation.school,
        target=attachment,
        target_label=attachment.original_name,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    mark_no_store(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _OwnedViewSet(NoStoreMixin, viewsets.GenericViewSet):
    permission_classes = [UsesAssistant]
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.request.user)


@extend_schema_view(retrieve=extend_schema(tags=TAGS, summary="One of your attachments (with its table preview)"))
class AttachmentViewSet(mixins.RetrieveModelMixin, _OwnedViewSet):
    queryset = Attachment.objects.all()
    serializer_class = s.AssistantAttachmentSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("conversation__school")

    @extend_schema(
        tags=TAGS,
        summary="Download an attachment (yours only; audit-logged, never cached)",
        responses={(200, content_type): OpenApiResponse(OpenApiTypes.BINARY) for content_type in DOWNLOAD_TYPES},
    )
    @action(detail=True, methods=["get"], url_name="download")
    def download(self, request, pk=None):
        return attachment_response(request.user, self.get_object())

    @extend_schema(
        tags=TAGS,
        summary="Copy an attachment onto a content item you may edit",
        request=s.AttachToRecordSerializer,
        responses=s.AssistantAttachmentSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def attach(self, request, pk=None):
        from assistant.services import attachments as attachment_service
        from content.models import ContentItem

        attachment = self.get_object()
        serializer = s.AttachToRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = ContentItem.objects.visible_to(request.user).filter(pk=serializer.validated_data["content_item"]).first()
        if item is None:
            raise ValidationError({"content_item": [_("No such content item.")]})
        call_service(attachment_service.attach_to_record, actor=request.user, attachment=attachment, content_item=item)
        attachment.refresh_from_db()
        return Response(s.AssistantAttachmentSerializer(attachment, context=self.get_serializer_context()).data)


class ActionViewSet(_OwnedViewSet):
    """Writes the assistant proposed: done only when their owner confirms (409 once decided)."""

    queryset = ProposedAction.objects.all()
    serializer_class = s.ProposedActionSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("message__conversation__school")

    def _decide(self, request, fn):
        from assistant.services import actions as action_service

        proposed = self.get_object()
        proposed = call_service(getattr(action_service, fn), actor=request.user, action=proposed)
        return Response(s.ProposedActionSerializer(proposed).data)

    @extend_schema(tags=TAGS, summary="Confirm a proposed action: it is carried out now", request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, "confirm_action")

    @extend_schema(tags=TAGS, summary="Reject a proposed action", request=None)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, "reject_action")


class MessageViewSet(_OwnedViewSet):
    """Feedback on the assistant's replies (thumbs up or down, optional correction)."""

    queryset = Message.objects.all()
    serializer_class = s.ReplyFeedbackSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("conversation__school")

    @extend_schema(
        tags=TAGS,
        summary="Rate a reply (1 or -1) with an optional correction; again to change it",
        request=s.ReplyFeedbackWriteSerializer,
        responses=s.ReplyFeedbackSerializer,
    )
    @action(detail=True, methods=["post", "put"], parser_classes=[JSONParser])
    def feedback(self, request, pk=None):
        from assistant.services.learning import record_feedback

        message = self.get_object()
        if message.role != MessageRole.ASSISTANT:
            raise ValidationError({"message": [_("Only the assistant's replies take feedback.")]})
        serializer = s.ReplyFeedbackWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = call_service(record_feedback, actor=request.user, message=message, **serializer.validated_data)
        return Response(s.ReplyFeedbackSerializer(feedback).data, status=status.HTTP_200_OK)
