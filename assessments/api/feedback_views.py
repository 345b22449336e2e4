"""API for feedback: list what the user may read, write by the kind rules, the author edits or
deletes their own within the edit window (see ``assessments.services.feedback``)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, call_service
from assessments.api import feedback_serializers as s
from assessments.api.feedback_filters import FeedbackFilter
from assessments.models import Feedback
from assessments.selectors import feedback as sel
from assessments.services import feedback as services

TAGS = ["assessments-feedback"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List feedback the user may read"),
    retrieve=extend_schema(tags=TAGS, summary="One feedback entry"),
    create=extend_schema(
        tags=TAGS,
        summary="Write a teacher comment, a student reflection or a guardian comment",
        request=s.FeedbackCreateSerializer,
        responses={201: s.FeedbackSerializer},
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="Edit your own feedback (within 24 h)",
        request=s.FeedbackUpdateSerializer,
        responses={200: s.FeedbackSerializer},
    ),
    destroy=extend_schema(tags=TAGS, summary="Delete your own feedback (within 24 h; staff may moderate)"),
)
class FeedbackViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Feedback.objects.all()
    serializer_class = s.FeedbackSerializer
    filterset_class = FeedbackFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]
    personal_data = True
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_permissions = {
        "list": None,
        "retrieve": None,
        "create": None,
        "partial_update": None,
        "destroy": None,
    }

    def scope_queryset(self, queryset):
        return sel.feedback_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return s.FeedbackCreateSerializer
        if self.action == "partial_update":
            return s.FeedbackUpdateSerializer
        return s.FeedbackSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.FeedbackCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = call_service(services.add_feedback, actor=request.user, **serializer.validated_data)
        return Response(s.FeedbackSerializer(item).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = s.FeedbackUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = call_service(
            services.update_feedback, actor=request.user, feedback=instance, **serializer.validated_data
        )
        return Response(s.FeedbackSerializer(item).data)

    def perform_destroy(self, instance):
        call_service(services.delete_feedback, actor=self.request.user, feedback=instance)
