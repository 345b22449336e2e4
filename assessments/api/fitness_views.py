"""API for fitness testing: tests (shipped + the school's own), standard sets with their bands,
the school's fitness settings, test events with bulk result entry, and results (body composition
only for those allowed). Thin: parse, authorize, call the service, serialize."""

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.base import (
    ScopedPermission,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    ServiceBackedViewSet,
    call_service,
    required_permission,
    resolve_school,
)
from accounts.permissions import allowed_somewhere
from accounts.selectors import schools_where
from assessments.api import fitness_serializers as s
from assessments.api.fitness_filters import FitnessResultFilter, FitnessTestFilter, TestEventFilter
from assessments.models import FitnessResult, FitnessTest, StandardSet, TestEvent
from assessments.selectors import fitness as selectors
from assessments.services import fitness as services
from physed.api.fields import update_body_schema
from physed.services.sessions_common import RowErrors

TAGS = ["assessments-fitness"]


def call_rows_service(fn, **kwargs):
    """``call_service`` that turns per-row refusals into 400 ``fields = {results: {"<index>": …}}``."""

    def run(**values):
        try:
            return fn(**values)
        except RowErrors as exc:
            raise ValidationError(exc.as_fields()) from exc

    return call_service(run, **kwargs)


class SharedRowPermission(ScopedPermission):
    """Shipped rows (no school) are readable by anyone holding the read permission somewhere and
    never writable through the API."""

    def has_object_permission(self, request, view, obj):
        if obj.school_id is None:
            return request.method in permissions.SAFE_METHODS and allowed_somewhere(
                request.user, required_permission(view, request), record=False
            )
        return super().has_object_permission(request, view, obj)


class SharedRowsMixin:
    permission_classes = [SharedRowPermission]

    def restrict_to_permitted_schools(self, queryset):
        user = self.request.user
        perm = required_permission(self, self.request)
        if perm is None or user.is_superuser:
            return queryset
        return queryset.filter(Q(school__isnull=True) | Q(school__in=schools_where(user, perm)))


def _create_test(*, actor, school, **data):
    school = resolve_school(actor, services.ADD_TEST, school)
    return services.create_fitness_test(actor=actor, school=school, **data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Fitness tests: shipped and the school's own"),
    retrieve=extend_schema(tags=TAGS, summary="One fitness test"),
    create=extend_schema(tags=TAGS, summary="Add a school test (scored against no standard unless one is loaded)"),
    update=extend_schema(tags=TAGS, summary="Edit a school test (shipped tests are read-only)"),
    partial_update=extend_schema(tags=TAGS, summary="Edit a school test (shipped tests are read-only)"),
)
@update_body_schema(s.FitnessTestSerializer, "code")
class FitnessTestViewSet(SharedRowsMixin, ServiceBackedViewSet):
    queryset = FitnessTest.objects.select_related("school")
    detail_serializer_class = s.FitnessTestSerializer
    filterset_class = FitnessTestFilter
    search_fields = ["code", "name"]
    ordering_fields = ["position", "name", "code"]
    ordering = ["position", "name", "pk"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    required_permissions = {"list": services.VIEW_TESTS, "retrieve": services.VIEW_TESTS}
    spec_name = "test"
    create_service = staticmethod(_create_test)
    update_service = staticmethod(services.update_fitness_test)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Standard sets (source, version, effective dates)"),
    retrieve=extend_schema(tags=TAGS, summary="One standard set"),
)
class StandardSetViewSet(SharedRowsMixin, ScopedReadOnlyViewSet):
    queryset = StandardSet.objects.select_related("school").annotate(band_total=Count("bands"))
    serializer_class = s.StandardSetSerializer
    ordering_fields = ["name", "effective_from"]
    ordering = ["name", "-effective_from", "pk"]
    search_fields = ["code", "name", "version"]
    required_permissions = {"list": services.VIEW_TESTS, "retrieve": services.VIEW_TESTS, "bands": services.VIEW_TESTS}

    @extend_schema(
        tags=TAGS,
        responses=s.StandardBandSerializer(many=True),
        parameters=[
            OpenApiParameter("measure", str, description="Only this measure"),
            OpenApiParameter("sex", str, enum=["F", "M"], description="Only this sex"),
        ],
        summary="The set's bands (paginated)",
    )
    @action(detail=True, methods=["get"])
    def bands(self, request, pk=None):
        standard_set = self.get_object()
        rows = selectors.bands_of(standard_set)
        measure = request.query_params.get("measure")
        sex = request.query_params.get("sex")
        if measure:
            rows = rows.filter(measure=measure[:40])
        if sex:
            if sex not in ("F", "M"):
                raise ValidationError({"sex": ["Use F or M."]})
            rows = rows.filter(sex=sex)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.StandardBandSerializer(page, many=True).data)


class FitnessSettingsView(APIView):
    """GET / PATCH the school's fitness settings (``?school=`` when you work in several)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.FitnessSettingsSerializer

    def _school(self, request, perm):
        from accounts.models import School

        school = None
        raw = request.query_params.get("school")
        if raw:
            if not raw.isdigit():
                raise ValidationError({"school": ["Not a valid id."]})
            school = School.objects.visible_to(request.user).filter(pk=int(raw)).first()
            if school is None:
                from django.http import Http404

                raise Http404
        return resolve_school(request.user, perm, school)

    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("school", int, description="The school (if you work in several)")],
        responses=s.FitnessSettingsSerializer,
        summary="The school's fitness settings",
    )
    def get(self, request):
        school = self._school(request, services.VIEW_TESTS)
        return Response(s.FitnessSettingsSerializer(services.settings_for(school)).data)

    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("school", int, description="The school (if you work in several)")],
        request=s.FitnessSettingsSerializer,
        responses=s.FitnessSettingsSerializer,
        summary="Choose the standard set / turn body composition on or off (re-classifies on a set change)",
    )
    def patch(self, request):
        school = self._school(request, services.CHANGE_SETTINGS)
        current = services.settings_for(school)
        body = s.FitnessSettingsSerializer(current, data=request.data, partial=True, context={"request": request})
        body.is_valid(raise_exception=True)
        updated = call_service(
            services.update_fitness_settings, actor=request.user, school=school, **body.validated_data
        )
        return Response(s.FitnessSettingsSerializer(updated).data)


def _create_event(*, actor, school, **data):
    return services.create_test_event(actor=actor, **data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Test events (filter by class, status, dates)"),
    retrieve=extend_schema(tags=TAGS, summary="One test event"),
    create=extend_schema(tags=TAGS, summary="Plan a test event for a class"),
    update=extend_schema(tags=TAGS, summary="Edit a test event"),
    partial_update=extend_schema(tags=TAGS, summary="Edit a test event"),
    destroy=extend_schema(tags=TAGS, summary="Delete a test event and its results"),
)
@update_body_schema(s.TestEventSerializer, "pe_class")
class TestEventViewSet(ServiceBackedViewSet):
    __test__ = False

    queryset = (
        TestEvent.objects.select_related("pe_class__school")
        .prefetch_related("tests")
        .annotate(result_total=Count("results"))
    )
    detail_serializer_class = s.TestEventSerializer
    detail_queryset = staticmethod(
        lambda rows: rows.select_related("pe_class").prefetch_related("tests").annotate(result_total=Count("results"))
    )
    filterset_class = TestEventFilter
    search_fields = ["name", "window", "pe_class__name"]
    ordering_fields = ["date", "name", "created_at"]
    ordering = ["-date", "-pk"]
    required_permissions = {"results": services.VIEW_EVENT, "record_results": services.ADD_RESULT}
    spec_name = "event"
    create_service = staticmethod(_create_event)
    update_service = staticmethod(services.update_test_event)
    delete_service = staticmethod(services.delete_test_event)

    @extend_schema(tags=TAGS, responses=s.FitnessResultSerializer(many=True), summary="The event's results (paginated)")
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        event = self.get_object()
        rows = selectors.results_visible_to(request.user, FitnessResult.objects.filter(event=event))
        rows = rows.select_related("test", "student", "event").order_by(
            "student__last_name", "student__pk", "test__position"
        )
        page = self.paginate_queryset(rows)
        response = self.get_paginated_response(s.FitnessResultSerializer(page, many=True).data)
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        tags=TAGS,
        request=s.BulkResultsSerializer,
        responses={200: s.BulkResultsResponseSerializer},
        summary="Enter results in bulk (all or nothing; a null value removes a result)",
    )
    @results.mapping.post
    def record_results(self, request, pk=None):
        event = self.get_object()
        body = s.BulkResultsSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        summary = call_rows_service(
            services.record_fitness_results, actor=request.user, event=event, entries=body.validated_data["results"]
        )
        return Response(summary, status=status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Fitness results (filter by student, test, event, zone, dates)"),
    retrieve=extend_schema(tags=TAGS, summary="One fitness result"),
    destroy=extend_schema(tags=TAGS, summary="Delete a result (and its progress entry)"),
)
class FitnessResultViewSet(ScopedViewSetMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = FitnessResult.objects.select_related("test", "student", "event__pe_class__school")
    serializer_class = s.FitnessResultSerializer
    filterset_class = FitnessResultFilter
    ordering_fields = ["event__date", "value", "zone"]
    ordering = ["-event__date", "pk"]
    personal_data = True
    required_permissions = {
        "list": services.VIEW_EVENT,
        "retrieve": services.VIEW_EVENT,
        "destroy": services.ADD_RESULT,
    }

    def scope_queryset(self, queryset):
        return selectors.results_visible_to(self.request.user, queryset)

    def perform_destroy(self, instance):
        call_service(services.delete_fitness_result, actor=self.request.user, result=instance)
