"""API for risk assessments (CRUD with nested hazards, the workflow actions) and risk bands (the
set in force, and replacing a school's own set). Thin: parse, authorize, call, serialize."""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.base import ScopedModelViewSet, ScopedPermission, ScopedReadOnlyViewSet, call_service, resolve_school
from accounts.models import School
from accounts.permissions import allowed_somewhere
from accounts.selectors import schools_where
from config.api.filters import WHOLE_NUMBER
from physed.api.fields import update_body_schema
from safety.api import risk_serializers as s
from safety.models import RiskAssessment, RiskBand
from safety.selectors import risk as selectors
from safety.services import risk as services
from safety.services import risk_data

VIEW, ADD, CHANGE, DELETE, APPROVE = (
    selectors.VIEW,
    selectors.ADD,
    selectors.CHANGE,
    selectors.DELETE,
    selectors.APPROVE,
)
CHANGE_BANDS = selectors.CHANGE_BANDS
TAGS = ["safety-risk"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List risk assessments (filters: status, subject, owner, due_for_review)"),
    retrieve=extend_schema(tags=TAGS, summary="A risk assessment with its hazards, bands and summary"),
    create=extend_schema(tags=TAGS, summary="Write a draft risk assessment (hazards nested)"),
    update=extend_schema(tags=TAGS, summary="Edit a draft (hazards replace the existing ones)"),
    partial_update=extend_schema(tags=TAGS, summary="Edit a draft (hazards, when given, replace the existing ones)"),
    destroy=extend_schema(tags=TAGS, summary="Delete a draft (school admins)"),
)
@update_body_schema(s.RiskAssessmentSerializer, "school")
class RiskAssessmentViewSet(ScopedModelViewSet):
    """Risk assessments of activities, classes, venues and events: draft → submitted → approved
    (or returned to draft); approved ones can be reopened; due for review once the date passes."""

    queryset = selectors.list_queryset(RiskAssessment.objects.all())
    serializer_class = s.RiskAssessmentSerializer
    filterset_class = selectors.RiskAssessmentFilterSet
    search_fields = ["title", "venue", "event_name", "description"]
    ordering_fields = ["review_date", "created_at", "updated_at", "title", "status"]
    required_permissions = {"submit": CHANGE, "approve": APPROVE, "return_": APPROVE, "reopen": CHANGE}

    def _fresh(self, assessment):
        fresh = selectors.list_queryset(RiskAssessment.objects.all()).get(pk=assessment.pk)
        return self.get_serializer(fresh).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = resolve_school(request.user, ADD, data.pop("school", None))
        hazards = [dict(item) for item in data.pop("hazards", [])]
        assessment = call_service(
            services.create_assessment, actor=request.user, school=school, hazards=hazards, **data
        )
        return Response(self._fresh(assessment), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        hazards = [dict(item) for item in data.pop("hazards")] if "hazards" in data else None
        assessment = call_service(
            services.update_assessment, actor=request.user, assessment=instance, hazards=hazards, **data
        )
        return Response(self._fresh(assessment))

    def perform_destroy(self, instance):
        call_service(services.delete_assessment, actor=self.request.user, assessment=instance)

    @extend_schema(tags=TAGS, request=None, responses=s.RiskAssessmentSerializer, summary="Submit a draft for approval")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = call_service(services.submit_assessment, actor=request.user, assessment=self.get_object())
        return Response(self._fresh(assessment))

    @extend_schema(
        tags=TAGS,
        request=s.NoteSerializer,
        responses=s.RiskAssessmentSerializer,
        summary="Approve a submitted assessment",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        assessment = self.get_object()
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = call_service(
            services.decide_assessment,
            actor=request.user,
            assessment=assessment,
            approve=True,
            note=body.validated_data.get("note", ""),
        )
        return Response(self._fresh(assessment))

    @extend_schema(
        tags=TAGS,
        request=s.ReturnSerializer,
        responses=s.RiskAssessmentSerializer,
        summary="Return a submitted assessment to draft, saying what to change",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        assessment = self.get_object()
        body = s.ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = call_service(
            services.decide_assessment,
            actor=request.user,
            assessment=assessment,
            approve=False,
            note=body.validated_data["note"],
        )
        return Response(self._fresh(assessment))

    @extend_schema(
        tags=TAGS,
        request=s.NoteSerializer,
        responses=s.RiskAssessmentSerializer,
        summary="Reopen an approved assessment as a draft (clears the approval)",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        assessment = self.get_object()
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = call_service(
            services.reopen_assessment,
            actor=request.user,
            assessment=assessment,
            note=body.validated_data.get("note", ""),
        )
        return Response(self._fresh(assessment))


class RiskBandPermission(ScopedPermission):
    """Shipped default bands have no school: reading one needs the permission in some school."""

    def has_object_permission(self, request, view, obj):
        if obj.school_id is None:
            return allowed_somewhere(request.user, VIEW)
        return super().has_object_permission(request, view, obj)


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="The risk bands in force: each school's own set, else the shipped defaults",
        parameters=[OpenApiParameter("school", int, description="Only this school's bands in force.")],
    ),
    retrieve=extend_schema(tags=TAGS, summary="One risk band"),
)
class RiskBandViewSet(ScopedReadOnlyViewSet):
    queryset = RiskBand.objects.select_related("school")
    serializer_class = s.RiskBandSerializer
    permission_classes = [RiskBandPermission]
    filter_backends = []
    required_permissions = {"list": VIEW, "retrieve": VIEW, "replace": CHANGE_BANDS}

    def get_queryset(self):
        if self.action != "list":
            return super().get_queryset()
        user = self.request.user
        if user.is_superuser:
            school_ids = list(School.objects.values_list("pk", flat=True))
        else:
            school_ids = schools_where(user, VIEW)
        wanted = self.request.query_params.get("school", "").strip()
        if wanted:  # empty = not given; an id no school has (0, negative) matches nothing
            if not WHOLE_NUMBER.fullmatch(wanted):
                raise ValidationError({"school": [_("Enter a whole number.")]})
            school_ids = [pk for pk in school_ids if pk == int(wanted)]
        with_own = set(RiskBand.objects.filter(school_id__in=school_ids).values_list("school_id", flat=True).distinct())
        condition = Q(school_id__in=with_own)
        if set(school_ids) - with_own:
            condition |= Q(school__isnull=True)
        return RiskBand.objects.filter(condition).select_related("school").order_by("school_id", "min_score", "pk")

    @extend_schema(
        tags=TAGS,
        request=s.ReplaceBandsSerializer,
        responses=s.RiskBandSerializer(many=True),
        summary="Replace the school's own bands (must cover 1–25 without gaps or overlaps; [] = defaults)",
    )
    @action(detail=False, methods=["put"], pagination_class=None)
    def replace(self, request):
        body = s.ReplaceBandsSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        school = resolve_school(request.user, CHANGE_BANDS, body.validated_data.get("school"))
        bands = [dict(item) for item in body.validated_data["bands"]]
        rows = call_service(risk_data.replace_bands, actor=request.user, school=school, bands=bands)
        return Response(s.RiskBandSerializer(rows, many=True).data)
