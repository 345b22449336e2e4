"""Conversations and their messages and attachments (owner only, see ``assistant.api.common``).
Thin: find the row through ``visible_to`` (another person's is 404), parse, call the service
through ``call_service`` (refusals → 400/403/409/429 in the error shape), serialize."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.base import NoStoreMixin, call_service
from assistant.api import conversations_serializers as s
from assistant.api.common import TAGS, UsesAssistant
from assistant.models import Attachment, Conversation, Message
from assistant.services import conversations as service
from config.api.filters import FilterBackend, StrictBooleanFilter

RECENT_MESSAGES = 20


def messages_queryset(queryset):
    """Messages with everything their serializer shows, in a fixed number of queries."""
    return queryset.select_related("feedback").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "pk")), "actions"
    )


class ConversationFilter(filters.FilterSet):
    archived = StrictBooleanFilter(method="filter_archived", label="only archived (true) or active (false)")
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", max_length=120, label="words in the title")

    class Meta:
        model = Conversation
        fields = ["archived", "q"]

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Your conversations with the assistant, newest first"),
    retrieve=extend_schema(
        tags=TAGS, summary="One of your conversations with its last messages", responses=s.ConversationDetailSerializer
    ),
    create=extend_schema(
        tags=TAGS,
        summary="Start a conversation",
        request=s.ConversationCreateSerializer,
        responses={201: s.ConversationDetailSerializer},
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="Rename, change the persona of, archive or bring back a conversation",
        request=s.ConversationUpdateSerializer,
        responses=s.ConversationDetailSerializer,
    ),
    destroy=extend_schema(tags=TAGS, summary="Delete a conversation with its messages and files"),
)
class ConversationViewSet(
    NoStoreMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Conversation.objects.all()
    serializer_class = s.ConversationSerializer
    permission_classes = [UsesAssistant]
    filterset_class = ConversationFilter
    filter_backends = [FilterBackend, OrderingFilter]
    ordering_fields = ["updated_at", "created_at", "title"]
    ordering = ["-updated_at", "-pk"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Conversation.objects.visible_to(self.request.user).select_related("persona").order_by("-updated_at", "-pk")
        )

    def get_serializer_class(self):
        return {
            "create": s.ConversationCreateSerializer,
            "partial_update": s.ConversationUpdateSerializer,
            "retrieve": s.ConversationDetailSerializer,
        }.get(self.action, s.ConversationSerializer)

    def _detail(self, conversation, code=status.HTTP_200_OK):
        conversation = self.get_queryset().get(pk=conversation.pk)
        recent = list(messages_queryset(conversation.messages.order_by("-created_at", "-pk"))[:RECENT_MESSAGES])
        context = {**self.get_serializer_context(), "recent_messages": recent[::-1]}
        return Response(s.ConversationDetailSerializer(conversation, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = s.ConversationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        conversation = call_service(service.start_conversation, actor=request.user, **serializer.validated_data)
        return self._detail(conversation, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        conversation = self.get_object()
        serializer = s.ConversationUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "title" in data:
            call_service(
                service.rename_conversation, actor=request.user, conversation=conversation, title=data["title"]
            )
        if "persona" in data:
            call_service(
                service.set_conversation_persona, actor=request.user, conversation=conversation, persona=data["persona"]
            )
        if "archived" in data:
            call_service(
                service.archive_conversation, actor=request.user, conversation=conversation, archived=data["archived"]
            )
        return self._detail(conversation)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        call_service(service.delete_conversation, actor=self.request.user, conversation=instance)

    @extend_schema(
        tags=TAGS,
        methods=["GET"],
        summary="The conversation's messages, oldest first",
        responses=s.AssistantMessageSerializer(many=True),
        parameters=[
            OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="page number"),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1}, description="rows per page (at most 100)"),
        ],
        filters=False,
    )
    @extend_schema(
        tags=TAGS,
        methods=["POST"],
        summary="Send a message; the answer holds your message and the assistant's reply",
        request=s.AssistantMessageWriteSerializer,
        responses={201: s.AssistantPostedMessageSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], parser_classes=[JSONParser])
    def messages(self, request, pk=None):
        conversation = self.get_object()
        if request.method == "GET":
            rows = messages_queryset(Message.objects.filter(conversation=conversation).order_by("created_at", "pk"))
            page = self.paginate_queryset(rows)
            data = s.AssistantMessageSerializer(page, many=True, context=self.get_serializer_context()).data
            return self.get_paginated_response(data)
        serializer = s.AssistantMessageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message, reply = call_service(
            service.post_message,
            actor=request.user,
            conversation=conversation,
            text=serializer.validated_data["text"],
            attachment_ids=tuple(serializer.validated_data["attachment_ids"]),
        )
        fresh = {m.pk: m for m in messages_queryset(Message.objects.filter(pk__in=[message.pk, reply.pk]))}
        context = self.get_serializer_context()
        body = {
            "message": s.AssistantMessageSerializer(fresh[message.pk], context=context).data,
            "reply": s.AssistantMessageSerializer(fresh[reply.pk], context=context).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Upload an image (PNG, JPEG) or a table (CSV, XLSX) to send with your next message",
        request={"multipart/form-data": s.AssistantAttachmentUploadSerializer},
        responses={201: s.AssistantAttachmentSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def attachments(self, request, pk=None):
        conversation = self.get_object()
        serializer = s.AssistantAttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from assistant.services import attachments as attachment_service

        attachment = call_service(
            attachment_service.add_attachment,
            actor=request.user,
            conversation=conversation,
            upload=serializer.validated_data["file"],
        )
        return Response(
            s.AssistantAttachmentSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
