"""API for movement analyses: analyse (POST keypoints), list, retrieve, delete, re-analyse, and
the private video (multipart upload, download, remove)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.base import ScopedPermission, ScopedViewSetMixin, call_service, required_permission
from accounts.permissions import allowed_somewhere
from config.api.filters import ScopedFilterSet
from physed.api.movement_serializers import (
    MovementAnalysisCreateSerializer,
    MovementAnalysisDetailSerializer,
    MovementAnalysisSerializer,
    VideoUploadSerializer,
)
from physed.models import Movement, MovementAnalysis
from physed.selectors import movement as selectors
from physed.services import movement as services
from physed.services import movement_video

VIEW, ADD, DELETE = selectors.VIEW, services.ADD, services.DELETE


class MovementAnalysisFilter(ScopedFilterSet):
    movement = django_filters.ChoiceFilter(choices=Movement.choices)
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = MovementAnalysis
        fields = ["student", "movement", "exercise", "session", "layout"]


class MovementAnalysisPermission(ScopedPermission):
    """Staff: the role permission in the student's school. A student or guardian: reading the
    analyses of a student they hold the ``physed.view_student`` object grant on — a list with
    ``?student=<id>``, or one analysis."""

    def has_permission(self, request, view):
        user = request.user
        if (
            getattr(view, "action", None) == "list"
            and user.is_authenticated
            and not allowed_somewhere(user, VIEW, record=False)
        ):
            student = selectors.visible_student(user, request.query_params.get("student"))
            if student is not None and user.has_perm("physed.view_student", student):
                view.granted_student = student
                return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if super().has_object_permission(request, view, obj):
            return True
        return required_permission(view, request) == VIEW and request.user.has_perm("physed.view_student", obj.student)


@extend_schema(tags=["movement"])
@extend_schema_view(
    list=extend_schema(
        summary="List movement analyses",
        description="Staff with `physed.view_movementanalysis` see their schools' analyses; students and guardians "
        "list one student's analyses with `?student=<id>`.",
    ),
    retrieve=extend_schema(summary="One movement analysis with its full results"),
    destroy=extend_schema(summary="Delete a movement analysis (and its video)"),
)
class MovementAnalysisViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Movement analyses of students: POST a keypoint sequence to analyse it; read the per-repetition
    metrics, faults, score and chart series; attach a private video."""

    queryset = selectors.base_queryset()
    permission_classes = [MovementAnalysisPermission]
    personal_data = True
    filterset_class = MovementAnalysisFilter
    search_fields = ["student__first_name", "student__last_name", "student__preferred_name", "note"]
    ordering_fields = ["created_at", "score", "rep_count", "movement"]
    ordering = ["-created_at", "-id"]
    required_permissions = {
        "video": ADD,
        "download_video": VIEW,
        "remove_video": DELETE,
        "reanalyse": ADD,
    }
    granted_student = None

    def get_queryset(self):
        if self.granted_student is not None:
            queryset = self.scope_queryset(self.queryset.all()).filter(student=self.granted_student)
        else:
            queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.defer(*selectors.LIST_FIELDS_DEFERRED)
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return MovementAnalysisSerializer
        if self.action == "create":
            return MovementAnalysisCreateSerializer
        return MovementAnalysisDetailSerializer

    @extend_schema(
        summary="Analyse a pose keypoint sequence",
        request=MovementAnalysisCreateSerializer,
        responses={201: MovementAnalysisDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = MovementAnalysisCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        analysis = call_service(
            services.analyse_movement,
            actor=request.user,
            student=data["student"],
            movement=data["movement"],
            keypoints=data["keypoints"],
            exercise=data.get("exercise"),
            session=data.get("session"),
            note=data.get("note", ""),
        )
        return Response(MovementAnalysisDetailSerializer(analysis).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        call_service(services.delete_analysis, actor=self.request.user, analysis=instance)

    @extend_schema(
        summary="Re-analyse the stored keypoints with the current rule set",
        request=None,
        responses={200: MovementAnalysisDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reanalyse(self, request, pk=None):
        analysis = call_service(services.reanalyse, actor=request.user, analysis=self.get_object())
        return Response(MovementAnalysisDetailSerializer(analysis).data)

    @extend_schema(
        summary="Attach (or replace) the analysis's private video",
        request={"multipart/form-data": VideoUploadSerializer},
        responses={200: MovementAnalysisDetailSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], url_path="video")
    def video(self, request, pk=None):
        analysis = self.get_object()
        upload = request.FILES.get("video")
        if upload is None:
            raise ValidationError({"video": [_("Attach the video as the multipart field “video”.")]})
        analysis = call_service(movement_video.attach_video, actor=request.user, analysis=analysis, upload=upload)
        return Response(MovementAnalysisDetailSerializer(analysis).data)

    @extend_schema(
        summary="Download the analysis's private video",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @video.mapping.get
    def download_video(self, request, pk=None):
        return selectors.video_response(self.get_object())

    @extend_schema(summary="Remove the analysis's video", request=None, responses={204: None})
    @video.mapping.delete
    def remove_video(self, request, pk=None):
        call_service(movement_video.remove_video, actor=request.user, analysis=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
