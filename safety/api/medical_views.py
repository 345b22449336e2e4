"""API for medical profiles and a class's needs. Thin: parse, authorize, call, serialize.

Staff read with ``safety.view_medicalprofile`` and write with ``safety.change_medicalprofile``
in the student's school; guardians read and write their own children's profiles (never the
confidential staff notes). Every full read — retrieve and the action plan download — is audited.
"""

import django_filters
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.base import ScopedPermission, ScopedViewSetMixin, call_service
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from physed.models import PEClass
from safety.api import medical_serializers as s
from safety.models import ConditionKind, MedicalProfile
from safety.selectors import medical as selectors
from safety.services import medical as services

VIEW_PROFILE = selectors.VIEW_PROFILE
CHANGE_PROFILE = selectors.CHANGE_PROFILE
NESTED = ("conditions", "medications", "restrictions", "contacts")


class MedicalProfilePermission(ScopedPermission):
    """The role permission in the student's school, or being the student's guardian (lists and
    creates: being anyone's guardian; rows are narrowed to one's children afterwards)."""

    def has_permission(self, request, view):
        if super().has_permission(request, view):
            return True
        return (
            request.user.is_authenticated
            and getattr(view, "action", None) in ("list", "create")
            and selectors.has_children(request.user)
        )

    def has_object_permission(self, request, view, obj):
        return super().has_object_permission(request, view, obj) or selectors.is_guardian_of(request.user, obj.student)


class MedicalProfileFilter(ScopedFilterSet):
    student = IdFilter(field_name="student__id", label=gettext_lazy("student"))
    pe_class = IdFilter(
        field_name="student__enrollments__pe_class__id", label=gettext_lazy("class (enrolled)"), distinct=True
    )
    condition = django_filters.ChoiceFilter(
        field_name="conditions__kind",
        choices=ConditionKind.choices,
        label=gettext_lazy("condition kind"),
        distinct=True,
    )
    has_action_plan = StrictBooleanFilter(method="filter_action_plan", label=gettext_lazy("has an action plan"))

    class Meta:
        model = MedicalProfile
        fields = ["student", "pe_class", "condition", "has_action_plan"]

    def filter_action_plan(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(action_plan="") if value else queryset.filter(action_plan="")


def _nested(data: dict) -> dict:
    return {name: data[name] for name in NESTED if name in data}


def _values(data: dict) -> dict:
    return {name: data[name] for name in services.PROFILE_FIELDS if name in data}


@extend_schema(tags=["safety-medical"])
class MedicalProfileViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Students' medical and safety profiles. The list is a summary without notes or details;
    reading one profile is audit-logged. No PUT and no delete (PATCH replaces the lists)."""

    queryset = MedicalProfile.objects.select_related("student__school")
    serializer_class = s.MedicalProfileSerializer
    permission_classes = [MedicalProfilePermission]
    personal_data = True
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_permissions = {
        "list": VIEW_PROFILE,
        "retrieve": VIEW_PROFILE,
        "create": CHANGE_PROFILE,
        "partial_update": CHANGE_PROFILE,
        "action_plan": VIEW_PROFILE,
        "upload_action_plan": CHANGE_PROFILE,
        "remove_action_plan": CHANGE_PROFILE,
    }
    filterset_class = MedicalProfileFilter
    search_fields = ["student__first_name", "student__last_name", "student__preferred_name", "student__external_id"]
    ordering_fields = ["student__last_name", "updated_at", "reviewed_on"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.prefetch_related("conditions", "medications", "contacts")
        return selectors.with_children(queryset)

    def restrict_to_permitted_schools(self, queryset):
        return selectors.profiles_for(self.request.user, queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return s.MedicalProfileListSerializer
        if self.action == "create":
            return s.MedicalProfileCreateSerializer
        if self.action == "partial_update":
            return s.MedicalProfileWriteSerializer
        return s.MedicalProfileSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": services.today()}

    def _full(self, profile, status_code=status.HTTP_200_OK):
        profile = selectors.with_children(MedicalProfile.objects.filter(pk=profile.pk)).get()
        context = self.get_serializer_context()
        return Response(s.MedicalProfileSerializer(profile, context=context).data, status=status_code)

    @extend_schema(summary="A student's full medical profile (audit-logged read)")
    def retrieve(self, request, *args, **kwargs):
        profile = self.get_object()
        services.record_profile_read(actor=request.user, profile=profile, context="api")
        return Response(self.get_serializer(profile).data)

    @extend_schema(summary="Medical profiles: summaries without notes (guardians see their children's)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.MedicalProfileCreateSerializer,
        responses={201: s.MedicalProfileSerializer},
        summary="Create a student's medical profile",
    )
    def create(self, request, *args, **kwargs):
        serializer = s.MedicalProfileCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        student = data.pop("student")
        profile = call_service(
            services.save_profile,
            actor=request.user,
            student=student,
            values=_values(data),
            must_create=True,
            **_nested(data),
        )
        return self._full(profile, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MedicalProfileWriteSerializer,
        responses=s.MedicalProfileSerializer,
        summary="Update a profile; each list given replaces the profile's rows",
    )
    def partial_update(self, request, *args, **kwargs):
        profile = self.get_object()
        serializer = s.MedicalProfileWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        profile = call_service(
            services.save_profile, actor=request.user, student=profile.student, values=_values(data), **_nested(data)
        )
        return self._full(profile)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No action plan"),
        },
        summary="Download the action plan (private; audit-logged)",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="action-plan",
        url_name="action-plan",
        parser_classes=[MultiPartParser, FormParser],
    )
    def action_plan(self, request, pk=None):
        profile = self.get_object()
        if not profile.action_plan:
            raise NotFound(_("This profile has no action plan."))
        services.record_profile_read(actor=request.user, profile=profile, context="action_plan")
        return action_plan_response(profile)

    @extend_schema(
        request={"multipart/form-data": s.ActionPlanUploadSerializer},
        responses=s.MedicalProfileSerializer,
        summary="Upload (or replace) the action plan: a PDF, PNG or JPEG",
    )
    @action_plan.mapping.post
    def upload_action_plan(self, request, pk=None):
        profile = self.get_object()
        serializer = s.ActionPlanUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = call_service(
            services.upload_action_plan, actor=request.user, profile=profile, upload=serializer.validated_data["file"]
        )
        return self._full(profile)

    @extend_schema(responses={204: None}, summary="Remove the action plan (the file is deleted)")
    @action_plan.mapping.delete
    def remove_action_plan(self, request, pk=None):
        profile = self.get_object()
        call_service(services.remove_action_plan, actor=request.user, profile=profile)
        return Response(status=status.HTTP_204_NO_CONTENT)


def action_plan_response(profile: MedicalProfile) -> FileResponse:
    """The stored file as an attachment, never cached (used by the API and the page)."""
    extension = profile.action_plan.name.rsplit(".", 1)[-1] if "." in profile.action_plan.name else "bin"
    filename = f"action-plan-{profile.student.last_name}-{profile.student.pk}.{extension}".replace(" ", "-")
    response = FileResponse(
        profile.action_plan.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=profile.action_plan_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@extend_schema(tags=["safety-medical"])
class ClassNeedsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """What the students of a class need in PE (no notes, no action plan)."""

    queryset = PEClass.objects.select_related("school")
    serializer_class = s.ClassNeedsSerializer
    personal_data = True
    required_permissions = {"needs": selectors.VIEW_CLASS_NEEDS}

    @extend_schema(responses=s.ClassNeedsSerializer, summary="What the class's students need in PE (audited)")
    @action(detail=True, methods=["get"])
    def needs(self, request, pk=None):
        pe_class = self.get_object()
        day = services.today()
        students = selectors.class_students(pe_class)
        needs = selectors.class_needs(students, day)
        services.record_class_needs_read(
            request.user, pe_class.school, [item.student for item in needs], f"class:{pe_class.pk}"
        )
        payload = {"pe_class": pe_class.pk, "date": day, "students_enrolled": len(students), "students": needs}
        return Response(s.ClassNeedsSerializer(payload).data)
