"""API for rubrics (CRUD with the nested grid, copy) and skill assessments (scoring, evidence).
Thin: parse, authorize, call the service, serialize."""

from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.base import ScopedModelViewSet, ScopedViewSetMixin, call_service, resolve_school
from assessments.api import rubrics_serializers as s
from assessments.api.rubrics_filters import RubricFilter, SkillAssessmentFilter
from assessments.models import EvidenceFile, Rubric, SkillAssessment
from assessments.selectors import rubrics as sel
from assessments.services import rubrics as services
from assessments.services import rubrics_evidence as evidence_services
from physed.api.fields import update_body_schema

TAGS = ["assessments-rubrics"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List rubrics (templates, mine, search)"),
    retrieve=extend_schema(tags=TAGS, summary="One rubric with its criteria × levels grid"),
    create=extend_schema(tags=TAGS, summary="Write a rubric with its criteria and levels"),
    update=extend_schema(tags=TAGS, summary="Edit a rubric (owner, or change_rubric)"),
    partial_update=extend_schema(tags=TAGS, summary="Edit a rubric (owner, or change_rubric)"),
    destroy=extend_schema(
        tags=TAGS,
        summary="Delete an unused rubric; one with assessments is archived",
        responses={204: None, 200: s.RubricSerializer},
        description="204 when the rubric was deleted; 200 with the rubric when it has assessments and was archived.",
    ),
)
@update_body_schema(s.RubricSerializer, "school")
class RubricViewSet(ScopedModelViewSet):
    queryset = Rubric.objects.all()
    filterset_class = RubricFilter
    search_fields = ["title", "description"]
    ordering_fields = ["title", "updated_at", "created_at"]
    ordering = ["title", "pk"]
    required_permissions = {
        "update": sel.ADD,
        "partial_update": sel.ADD,
        "destroy": sel.ADD,
        "copy": sel.ADD,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.select_related("owner").annotate(
                criteria_count=Count("criteria", distinct=True),
                assessment_count=Count("assessments", distinct=True),
            )
        return sel.rubric_detail_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return s.RubricListSerializer
        if self.action == "copy":
            return s.CopySerializer
        return s.RubricSerializer

    def _detail(self, rubric, code=status.HTTP_200_OK):
        fresh = sel.rubric_detail_queryset(Rubric.objects.filter(pk=rubric.pk)).get()
        return Response(s.RubricSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = resolve_school(request.user, sel.ADD, data.pop("school", None))
        data.setdefault("criteria", [])
        data.setdefault("levels", [])
        rubric = call_service(services.create_rubric, actor=request.user, school=school, **data)
        return self._detail(rubric, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("school", None)
        rubric = call_service(services.update_rubric, actor=request.user, rubric=instance, **data)
        return self._detail(rubric)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        outcome = call_service(services.delete_rubric, actor=request.user, rubric=instance)
        if outcome == "archived":
            return self._detail(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=TAGS,
        summary="Copy a rubric (a school template) into a rubric of your own",
        request=s.CopySerializer,
        responses={201: s.RubricSerializer},
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        rubric = self.get_object()
        serializer = s.CopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copy = call_service(services.copy_rubric, actor=request.user, rubric=rubric, **serializer.validated_data)
        return self._detail(copy, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        tags=TAGS, summary="List skill assessments (staff: the school's; students and guardians: their own)"
    ),
    retrieve=extend_schema(tags=TAGS, summary="One skill assessment with its criterion scores"),
    create=extend_schema(
        tags=TAGS,
        summary="Score a student on a rubric (teacher, self or peer mode)",
        request=s.ScoreStudentSerializer,
        responses={201: s.SkillAssessmentSerializer},
    ),
    destroy=extend_schema(tags=TAGS, summary="Delete a skill assessment"),
)
class SkillAssessmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who may read or write is decided by the selector and the services (students and guardians
    read their own; the service applies the mode rules)."""

    queryset = SkillAssessment.objects.all()
    serializer_class = s.SkillAssessmentSerializer
    filterset_class = SkillAssessmentFilter
    ordering_fields = ["date", "score", "created_at"]
    ordering = ["-date", "-pk"]
    personal_data = True
    required_permissions = {
        "list": None,
        "retrieve": None,
        "create": None,
        "destroy": None,
        "evidence": None,
        "download": None,
    }

    def scope_queryset(self, queryset):
        return sel.assessment_detail_queryset(queryset.filter(pk__in=sel.assessments_for(self.request.user)))

    def get_serializer_class(self):
        if self.action == "create":
            return s.ScoreStudentSerializer
        if self.action == "evidence" and self.request.method == "POST":
            return s.EvidenceUploadSerializer
        if self.action == "evidence":
            return s.EvidenceSerializer
        return s.SkillAssessmentSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.ScoreStudentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        assessment = call_service(services.score_student, actor=request.user, **data)
        fresh = sel.assessment_detail_queryset(SkillAssessment.objects.filter(pk=assessment.pk)).get()
        return Response(s.SkillAssessmentSerializer(fresh).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        call_service(services.delete_assessment, actor=self.request.user, assessment=instance)

    @extend_schema(
        tags=TAGS,
        methods=["GET"],
        summary="List the evidence files of a skill assessment",
        responses={200: s.EvidenceSerializer(many=True)},
    )
    @extend_schema(
        tags=TAGS,
        methods=["POST"],
        summary="Attach an evidence file (PNG, JPEG, PDF or MP4; checked by its bytes)",
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={201: s.EvidenceSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None)
    def evidence(self, request, pk=None):
        assessment = self.get_object()
        if request.method == "GET":
            rows = assessment.evidence.order_by("uploaded_at", "pk")
            return Response(s.EvidenceSerializer(rows, many=True).data)
        serializer = s.EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = call_service(
            evidence_services.add_evidence,
            actor=request.user,
            assessment=assessment,
            upload=serializer.validated_data["file"],
        )
        return Response(s.EvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Download an evidence file (private, audit-logged, never cached)",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_id>[0-9]+)/download",
        url_name="evidence-download",
    )
    def download(self, request, pk=None, evidence_id=None):
        assessment = self.get_object()
        item = get_object_or_404(EvidenceFile, pk=evidence_id, assessment=assessment)
        return evidence_response(request.user, item)


def evidence_response(user, item):
    evidence_services.record_read(actor=user, evidence=item)
    response = FileResponse(
        item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.original_name
    )
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
