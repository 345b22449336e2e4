"""Roster API (under /api/v1/physed/): students, guardianships, classes (+ roster), enrollments,
year-end promotion and ``me/students``. Thin: parse, authorize, call the roster services, serialize."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.base import ScopedModelViewSet, ScopedViewSetMixin, call_service, resolve_school
from accounts.models import User
from accounts.selectors import has_school_perm
from config.api.filters import IdFilter, IntegerFilter, ScopedFilterSet
from physed.api.fields import update_body_schema
from physed.api.roster_fast import CLASS_FIELDS, LazyFilterMixin, class_rows, student_rows
from physed.api.roster_serializers import (
    EnrollmentSerializer,
    GuardianshipSerializer,
    PEClassSerializer,
    PromotionReportSerializer,
    PromotionRequestSerializer,
    RosterRowSerializer,
    StudentListSerializer,
    StudentSerializer,
    WithdrawSerializer,
)
from physed.models import Enrollment, EnrollmentStatus, Guardianship, PEClass, Student
from physed.selectors import roster as selectors
from physed.services import roster as service
from physed.services import roster_classes as class_service
from physed.services.roster_promotion import promote_grades


def require_school_perm(user, perm: str, school) -> None:
    if not has_school_perm(user, perm, school.pk):
        raise PermissionDenied()


# --- students -----------------------------------------------------------------------------------


class StudentFilter(ScopedFilterSet):
    pe_class = IdFilter(field_name="enrollments__pe_class__id", label=_("class"), distinct=True)
    enrolled = django_filters.ChoiceFilter(
        method="filter_enrolled",
        choices=[("active", _("currently enrolled in the class"))],
        label=_("With pe_class: only current enrollments"),
    )
    grade_min = django_filters.NumberFilter(field_name="grade", lookup_expr="gte")
    grade_max = django_filters.NumberFilter(field_name="grade", lookup_expr="lte")

    class Meta:
        model = Student
        fields = ["school", "grade", "status", "sex", "external_id"]

    def filter_enrolled(self, queryset, name, value):
        class_id = self.form.cleaned_data.get("pe_class")
        if value == "active" and class_id:
            return queryset.filter(
                enrollments__pe_class_id=class_id, enrollments__status=EnrollmentStatus.ACTIVE
            ).distinct()
        return queryset


FLAT_FIELDS = StudentListSerializer.Meta.fields


@extend_schema(tags=["roster"])
@update_body_schema(StudentSerializer, "school")
class StudentViewSet(LazyFilterMixin, ScopedModelViewSet):
    """Students of the user's schools. The list is flat (cheap); the detail adds the current
    classes. Students and guardians read their own/their children's records through the object
    grant the roster service makes."""

    queryset = Student.objects.all()
    serializer_class = StudentSerializer
    personal_data = True
    filterset_class = StudentFilter
    search_fields = ["first_name", "last_name", "preferred_name", "=external_id"]
    ordering_fields = ["id", "last_name", "first_name", "grade", "external_id", "created_at"]
    ordering = ["-id"]  # newest first; ``?ordering=last_name,first_name`` for the alphabetical roster
    required_permissions = {"promote": "physed.promote_grades"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve" or self.action in ("update", "partial_update"):
            queryset = queryset.prefetch_related(
                Prefetch("enrollments", queryset=Enrollment.objects.select_related("pe_class"))
            )
        return queryset

    def list(self, request, *args, **kwargs):
        """The flat list, read as plain rows (``values()``) instead of model instances through a
        serializer: the same JSON as ``StudentListSerializer`` at a fraction of the cost."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values(*FLAT_FIELDS))
        return self.get_paginated_response(student_rows(page))

    def get_serializer_class(self):
        if self.action == "list":
            return StudentListSerializer
        if self.action == "promote":
            return PromotionRequestSerializer
        return StudentSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        require_school_perm(self.request.user, "physed.add_student", data["school"])
        user = data.pop("user", None)
        student = call_service(service.create_student, actor=self.request.user, **data)
        if user is not None:
            call_service(service.link_student_user, actor=self.request.user, student=student, user=user)
        serializer.instance = Student.objects.prefetch_related("enrollments").get(pk=student.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        student = serializer.instance
        has_user, user = "user" in data, data.pop("user", None)
        call_service(service.update_student, actor=self.request.user, student=student, **data)
        if has_user and user is None:
            call_service(service.unlink_student_user, actor=self.request.user, student=student)
        elif has_user:
            call_service(service.link_student_user, actor=self.request.user, student=student, user=user)
        serializer.instance = self.get_queryset().get(pk=student.pk)

    def perform_destroy(self, instance):
        call_service(service.delete_student, actor=self.request.user, student=instance)

    @extend_schema(request=PromotionRequestSerializer, responses={200: PromotionReportSerializer})
    @action(detail=False, methods=["post"])
    def promote(self, request):
        """Year-end promotion: every active student up one grade, grade 12 graduates. ``dry_run``
        (default true) only counts."""
        body = PromotionRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        school = resolve_school(request.user, "physed.promote_grades", body.validated_data.get("school"))
        report = call_service(promote_grades, actor=request.user, school=school, dry_run=body.validated_data["dry_run"])
        return Response(PromotionReportSerializer(report.as_dict()).data)


@extend_schema(tags=["roster"])
class MyStudentsView(generics.ListAPIView):
    """The student records the signed-in student or guardian is linked to (their own, or their
    children's). Needs no role permission and never returns anyone else's record."""

    serializer_class = StudentListSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.linked_students(self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            response["Cache-Control"] = "private, no-store"
        return response


# --- guardianships ------------------------------------------------------------------------------


@extend_schema(tags=["roster"])
@update_body_schema(GuardianshipSerializer, "student")
class GuardianshipViewSet(ScopedModelViewSet):
    """Guardians of students, with contact details; linking a guardian account grants it read
    access to the student's record (and removing the link revokes it)."""

    queryset = Guardianship.objects.select_related("student")
    serializer_class = GuardianshipSerializer
    personal_data = True
    filterset_fields = ["student", "guardian", "relationship", "is_primary_contact"]
    search_fields = ["name", "email", "student__first_name", "student__last_name"]
    ordering_fields = ["id", "name", "created_at"]
    ordering = ["-id"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        student = data.pop("student")
        require_school_perm(self.request.user, "physed.add_guardianship", student.school)
        serializer.instance = call_service(service.add_guardian, actor=self.request.user, student=student, **data)

    def perform_update(self, serializer):
        serializer.instance = call_service(
            service.update_guardianship,
            actor=self.request.user,
            guardianship=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        call_service(service.remove_guardianship, actor=self.request.user, guardianship=instance)


# --- classes ------------------------------------------------------------------------------------


class PEClassFilter(ScopedFilterSet):
    teacher = IdFilter(field_name="teachers__id", label=_("teacher (user id)"), distinct=True)
    grade = IntegerFilter(method="filter_grade", label=_("classes open to this grade"))

    class Meta:
        model = PEClass
        fields = ["school", "school_year", "term", "space", "is_active", "external_id"]

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade_from__lte=value, grade_to__gte=value)


def _class_queryset():
    teacher_ids = Prefetch("teachers", queryset=User.objects.only("id").order_by("id"))
    enrolled = selectors.active_enrolled_count()
    return PEClass.objects.annotate(enrolled=enrolled).prefetch_related("meetings", teacher_ids)


@extend_schema(tags=["roster"])
@extend_schema_view(
    roster=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[*EnrollmentStatus.values, "all"], description=_("Default: active"))
        ]
    )
)
@update_body_schema(PEClassSerializer, "school")
class PEClassViewSet(LazyFilterMixin, ScopedModelViewSet):
    """PE classes with their weekly meetings and teacher ids nested. Teachers edit the classes
    they teach (object grant); department heads and admins any class of their school."""

    queryset = _class_queryset()
    serializer_class = PEClassSerializer
    filterset_class = PEClassFilter
    search_fields = ["name", "location", "=external_id"]
    ordering_fields = ["id", "name", "school_year", "grade_from", "created_at"]
    ordering = ["-id"]
    required_permissions = {"roster": "physed.view_peclass"}

    def list(self, request, *args, **kwargs):
        """Same JSON as ``PEClassSerializer`` for each class, built from plain rows (see roster_fast)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.prefetch_related(None).values(*CLASS_FIELDS, "enrolled", "created_at"))
        return self.get_paginated_response(class_rows(page))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        require_school_perm(self.request.user, "physed.add_peclass", data["school"])
        teachers, meetings = data.pop("teachers", []), data.pop("meetings", [])
        pe_class = call_service(
            class_service.create_class, actor=self.request.user, teachers=teachers, meetings=meetings, **data
        )
        serializer.instance = _class_queryset().get(pk=pe_class.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        call_service(
            class_service.update_class,
            actor=self.request.user,
            pe_class=serializer.instance,
            teachers=data.pop("teachers", None),
            meetings=data.pop("meetings", None),
            **data,
        )
        serializer.instance = _class_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        call_service(class_service.delete_class, actor=self.request.user, pe_class=instance)

    @extend_schema(responses={200: RosterRowSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], serializer_class=RosterRowSerializer, filter_backends=[])
    def roster(self, request, pk=None):
        """The class roster: enrollments (current ones unless ``status`` says otherwise) with the
        students' flat details, by last name."""
        pe_class = self.get_object()
        wanted = request.query_params.get("status", EnrollmentStatus.ACTIVE)
        if wanted not in [*EnrollmentStatus.values, "all"]:
            raise ValidationError({"status": [_("Unknown status.")]})
        rows = selectors.class_roster(pe_class, status=None if wanted == "all" else wanted)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RosterRowSerializer(page, many=True).data)


# --- enrollments --------------------------------------------------------------------------------


@extend_schema(tags=["roster"])
class EnrollmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Enrollments: enroll (capacity enforced, grade-range warning), withdraw with an end date,
    delete a mistaken row (department heads)."""

    queryset = Enrollment.objects.select_related("pe_class", "student")
    serializer_class = EnrollmentSerializer
    filterset_fields = ["pe_class", "student", "status", "pe_class__school_year"]
    ordering_fields = ["id", "start_date", "end_date", "student__last_name"]
    ordering = ["-id"]
    required_permissions = {"withdraw": "physed.change_enrollment"}

    def perform_create(self, serializer):
        data = serializer.validated_data
        require_school_perm(self.request.user, "physed.add_enrollment", data["pe_class"].school)
        result = call_service(
            class_service.enroll,
            actor=self.request.user,
            pe_class=data["pe_class"],
            student=data["student"],
            start_date=data.get("start_date"),
        )
        result.enrollment.warnings = result.warnings
        serializer.instance = result.enrollment

    def perform_destroy(self, instance):
        call_service(class_service.delete_enrollment, actor=self.request.user, enrollment=instance)

    @extend_schema(request=WithdrawSerializer, responses={200: EnrollmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Ends the enrollment (status withdrawn) on ``end_date`` (default today)."""
        enrollment = self.get_object()
        body = WithdrawSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        enrollment = call_service(
            class_service.withdraw,
            actor=request.user,
            enrollment=enrollment,
            end_date=body.validated_data.get("end_date"),
        )
        return Response(EnrollmentSerializer(enrollment, context={"request": request}).data, status=status.HTTP_200_OK)
