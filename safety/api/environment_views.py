"""API: environment readings, the current status of a space, "what if" evaluation, rule sets
(shipped read-only + the school's own, copy) and the school's safety settings. Thin: parse,
authorize, call the services/selectors, serialize."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api.base import (
    ScopedPermission,
    ScopedRetrieveUpdateViewSet,
    ScopedViewSetMixin,
    ServiceBackedViewSet,
    call_service,
    required_permission,
)
from accounts.models import School
from accounts.permissions import allowed_on_object, allowed_somewhere
from accounts.selectors import schools_where
from accounts.services.errors import ServiceError
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter, UtcDateTimeFilter
from safety.api import environment_serializers as s
from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings
from safety.selectors import environment as selectors
from safety.services import environment as services

VIEW_READING = "safety.view_environmentreading"
ADD_READING = "safety.add_environmentreading"
VIEW_RULE_SET = "safety.view_environmentruleset"
FIELD_NAMES = {"temperature_c": "temperature", "wbgt_c": "wbgt", "wind_speed_kmh": "wind_speed"}
TAGS = ["safety-environment"]


def _call(fn, **kwargs):
    """``call_service`` naming the fields as the client sent them (temperature, not temperature_c)."""
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        exc.field = FIELD_NAMES.get(exc.field, exc.field)
        return call_service(_raise, exc=exc)


def _raise(*, exc):
    raise exc


def school_for(user, perm: str, school_id: int | None) -> School:
    """The school a request is about: the one named (visible to the user, else 400 "does not
    exist"; without ``perm`` there 403), else the only school where the user holds ``perm``."""
    if school_id is not None:
        school = School.objects.visible_to(user).filter(pk=school_id).first()
        if school is None:
            raise ValidationError({"school": [_("This school does not exist.")]})
        if not allowed_on_object(user, perm, school):
            raise PermissionDenied()
        return school
    permitted = (
        schools_where(user, perm) if not user.is_superuser else list(School.objects.values_list("pk", flat=True))
    )
    if len(permitted) != 1:
        raise ValidationError({"school": [_("You belong to several schools: choose one.")]})
    return School.objects.get(pk=permitted[0])


def values_from(data: dict) -> dict:
    values = services.to_si(
        temperature=data["temperature"],
        unit=data.get("temperature_unit", "C"),
        wbgt=data.get("wbgt"),
        wind_speed=data.get("wind_speed"),
        wind_unit=data.get("wind_unit", "kmh"),
    )
    values.update(
        relative_humidity=data.get("relative_humidity"),
        aqi=data.get("aqi"),
        precipitation=data.get("precipitation", False),
        lightning=data.get("lightning", False),
        space=data.get("space"),
    )
    return values


def status_payload(school, result) -> dict:
    return {
        "school": school.pk,
        "space": result.space,
        "decision": result.decision,
        "stale": result.stale,
        "reading": result.reading,
        "rule_set": result.rule_set,
        "measures": [{**vars(m), "name": m.name} for m in result.measures],
        "actions": result.actions,
        "reasons": result.reasons,
        "values": result.values,
    }


class EnvironmentReadingFilter(ScopedFilterSet):
    school = IdFilter(field_name="school__id")
    recorded_after = UtcDateTimeFilter(field_name="recorded_at", lookup_expr="gte")
    recorded_before = UtcDateTimeFilter(field_name="recorded_at", lookup_expr="lte")
    date_after = django_filters.DateFilter(field_name="recorded_at__date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="recorded_at__date", lookup_expr="lte")

    class Meta:
        model = EnvironmentReading
        fields = ["school", "space", "source", "lightning", "recorded_after", "recorded_before"]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List environment readings (filters: space, source, date range)"),
    retrieve=extend_schema(summary="One environment reading"),
    create=extend_schema(
        summary="Enter a reading (heat index and wind chill are computed and stored)",
        request=s.EnvironmentReadingCreateSerializer,
        responses={201: s.EnvironmentReadingSerializer},
    ),
)
class EnvironmentReadingViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Readings are records: entered or fetched, never edited."""

    queryset = EnvironmentReading.objects.select_related("school", "recorded_by")
    serializer_class = s.EnvironmentReadingSerializer
    filterset_class = EnvironmentReadingFilter
    search_fields = ["location", "provider"]
    ordering_fields = ["recorded_at", "temperature_c", "heat_index_c", "aqi"]

    def get_serializer_class(self):
        return s.EnvironmentReadingCreateSerializer if self.action == "create" else s.EnvironmentReadingSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        school = school_for(request.user, ADD_READING, data["school"].pk if data.get("school") else None)
        values = values_from(data)
        reading = _call(
            services.record_reading,
            actor=request.user,
            school=school,
            recorded_at=data.get("recorded_at"),
            location=data.get("location", ""),
            **values,
        )
        return Response(s.EnvironmentReadingSerializer(reading).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class EnvironmentStatusViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The environment decision for a space now, and "what if" evaluation of typed values."""

    queryset = EnvironmentReading.objects.all()
    serializer_class = s.EnvironmentStatusSerializer
    required_permissions = {"status": VIEW_READING, "evaluate": VIEW_READING}
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[s.StatusQuerySerializer],
        responses=s.EnvironmentStatusSerializer,
        summary="Current environment status of a space: decision, measures, actions, reasons",
    )
    @action(detail=False, methods=["get"])
    def status(self, request):
        query = s.StatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        school = school_for(request.user, VIEW_READING, query.validated_data.get("school"))
        result = selectors.current_status(school, query.validated_data.get("space"))
        return Response(s.EnvironmentStatusSerializer(status_payload(school, result)).data)

    @extend_schema(
        request=s.EvaluateSerializer,
        responses=s.EnvironmentStatusSerializer,
        summary="Evaluate values against a rule set without storing them (what if)",
    )
    @action(detail=False, methods=["post"])
    def evaluate(self, request):
        serializer = s.EvaluateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        school = school_for(request.user, VIEW_READING, data["school"].pk if data.get("school") else None)
        rule_set = data.get("rule_set")
        if rule_set is not None and rule_set.school_id not in (None, school.pk):
            raise ValidationError({"rule_set": [_("This rule set does not exist.")]})
        values = values_from(data)
        _call(services.check_values, values={k: values.get(k) for k in services.RANGES})
        result = selectors.evaluate_values(school, values, rule_set)
        return Response(s.EnvironmentStatusSerializer(status_payload(school, result)).data)


class RuleSetPermission(ScopedPermission):
    """Shipped rule sets have no school: reading and copying need the permission in some school;
    changing or deleting them is refused with the way forward (copy it)."""

    def has_object_permission(self, request, view, obj):
        if obj.school_id is not None:
            return super().has_object_permission(request, view, obj)
        if not allowed_somewhere(request.user, required_permission(view, request)):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "action", None) == "copy":
            return True
        raise PermissionDenied(services.shipped_read_only_message(), code="shipped_read_only")


class EnvironmentRuleSetFilter(ScopedFilterSet):
    school = IdFilter(field_name="school__id")
    shipped = StrictBooleanFilter(
        method="filter_shipped", label="true: the shipped rule sets only; false: the schools' own"
    )

    class Meta:
        model = EnvironmentRuleSet
        fields = ["school", "code", "region", "shipped"]

    def filter_shipped(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(school__isnull=value)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List rule sets: shipped (read-only) and the school's own"),
    retrieve=extend_schema(summary="One rule set with its bands, sources and caveats"),
    create=extend_schema(
        summary="Create the school's own rule set",
        request=s.EnvironmentRuleSetCreateSerializer,
        responses={201: s.EnvironmentRuleSetSerializer},
    ),
    update=extend_schema(
        summary="Replace the school's own rule set",
        request=s.EnvironmentRuleSetWriteSerializer,
        responses=s.EnvironmentRuleSetSerializer,
    ),
    partial_update=extend_schema(
        summary="Edit the school's own rule set",
        request=s.EnvironmentRuleSetWriteSerializer,
        responses=s.EnvironmentRuleSetSerializer,
    ),
    destroy=extend_schema(summary="Delete the school's own rule set"),
)
class EnvironmentRuleSetViewSet(ServiceBackedViewSet):
    queryset = EnvironmentRuleSet.objects.select_related("school", "based_on")
    permission_classes = [RuleSetPermission]
    filterset_class = EnvironmentRuleSetFilter
    search_fields = ["name", "region", "description"]
    ordering_fields = ["name", "updated_at"]
    required_permissions = {"copy": "safety.add_environmentruleset"}

    def restrict_to_permitted_schools(self, queryset):
        user = self.request.user
        if user.is_superuser:
            return queryset
        perm = required_permission(self, self.request)
        return queryset.filter(Q(school__isnull=True) | Q(school__in=schools_where(user, perm)))

    spec_name = "rule_set"
    detail_serializer_class = s.EnvironmentRuleSetSerializer
    serializer_classes = {
        "create": s.EnvironmentRuleSetCreateSerializer,
        "update": s.EnvironmentRuleSetWriteSerializer,
        "partial_update": s.EnvironmentRuleSetWriteSerializer,
        "copy": s.RuleSetCopySerializer,
    }
    create_service = staticmethod(services.create_rule_set)
    update_service = staticmethod(services.update_rule_set)
    delete_service = staticmethod(services.delete_rule_set)

    @extend_schema(
        request=s.RuleSetCopySerializer,
        responses={201: s.EnvironmentRuleSetSerializer},
        summary="Copy a rule set (shipped or own) into the school to edit it",
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        source = self.get_object()
        serializer = s.RuleSetCopySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        copy = call_service(
            services.copy_rule_set,
            actor=request.user,
            rule_set=source,
            school=serializer.validated_data.get("school"),
            name=serializer.validated_data.get("name", ""),
        )
        return Response(s.EnvironmentRuleSetSerializer(copy).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="The safety settings of the user's schools"),
    retrieve=extend_schema(summary="One school's safety settings"),
    partial_update=extend_schema(summary="Choose the school's rule set and safety defaults"),
)
class SafetySettingsViewSet(ScopedRetrieveUpdateViewSet):
    queryset = SafetySettings.objects.select_related("school", "rule_set").order_by("school_id")
    serializer_class = s.SafetySettingsSerializer
    filterset_fields = ["school"]
    ordering_fields = ["school"]
    required_permissions = {
        "list": VIEW_RULE_SET,
        "retrieve": VIEW_RULE_SET,
        "partial_update": "safety.change_safetysettings",
    }

    def list(self, request, *args, **kwargs):
        for school in School.objects.filter(pk__in=schools_where(request.user, VIEW_RULE_SET)):
            services.ensure_settings(school)
        return super().list(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = call_service(
            services.update_settings,
            actor=self.request.user,
            school=serializer.instance.school,
            **serializer.validated_data,
        )
