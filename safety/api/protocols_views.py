"""API for safety protocols (CRUD, review-state filters, sign-off), emergency procedures (CRUD with
nested steps, step reordering, overdue-drill filter) and drills (list/create/retrieve). Thin:
filters here, reads from ``safety.selectors.protocols``, writes from ``safety.services.protocols``."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.base import ScopedViewSetMixin, ServiceBackedViewSet, call_service
from config.api.filters import FilterBackend, IdFilter, ScopedFilterSet, StrictBooleanFilter
from safety.api import protocols_serializers as s
from safety.models import Drill, EmergencyProcedure, SafetyProtocol
from safety.selectors import protocols as selectors
from safety.services import protocols as services

TAG = "safety-protocols"


class SafetyProtocolFilter(ScopedFilterSet):
    owner = IdFilter(field_name="owner__id")
    review_state = django_filters.ChoiceFilter(
        choices=s.REVIEW_STATE_CHOICES, method="filter_review_state", label="Review state (active protocols only)"
    )

    class Meta:
        model = SafetyProtocol
        fields = ["activity_category", "space", "status", "owner", "review_state"]

    def filter_review_state(self, queryset, name, value):
        return selectors.filter_review_state(queryset, value) if value else queryset


class EmergencyProcedureFilter(ScopedFilterSet):
    location = django_filters.CharFilter(field_name="location", lookup_expr="icontains", max_length=120)
    overdue = StrictBooleanFilter(method="filter_overdue", label="Drill due today or earlier, or never drilled")

    class Meta:
        model = EmergencyProcedure
        fields = ["kind", "location", "is_active", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset if value is None else selectors.filter_drill_overdue(queryset, value)


class DrillFilter(ScopedFilterSet):
    procedure = IdFilter(field_name="procedure__id")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Drill
        fields = ["procedure", "held_after", "held_before"]


class _ServiceBackedViewSet(ServiceBackedViewSet):
    filter_backends = [FilterBackend, filters.SearchFilter, filters.OrderingFilter]


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="List safety protocols (filters: category, space, status, owner, review state)"),
    retrieve=extend_schema(summary="A safety protocol with its sign-offs"),
    create=extend_schema(
        summary="Write a safety protocol",
        request=s.SafetyProtocolCreateSerializer,
        responses={201: s.SafetyProtocolDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a safety protocol",
        request=s.SafetyProtocolWriteSerializer,
        responses=s.SafetyProtocolDetailSerializer,
    ),
    partial_update=extend_schema(
        summary="Edit a safety protocol",
        request=s.SafetyProtocolWriteSerializer,
        responses=s.SafetyProtocolDetailSerializer,
    ),
    destroy=extend_schema(summary="Delete a safety protocol"),
)
class SafetyProtocolViewSet(_ServiceBackedViewSet):
    """Protocols per activity category or space. ``review_state`` is ``ok``, ``due_soon`` (next
    review within 14 days) or ``overdue``; ``POST {id}/sign-off/`` records a review."""

    queryset = SafetyProtocol.objects.all()
    filterset_class = SafetyProtocolFilter
    search_fields = ["title", "requirements"]
    ordering_fields = ["title", "review_due_on", "updated_at", "supervision_ratio"]
    required_permissions = {"sign_off": services.SIGN_OFF}
    spec_name = "protocol"
    detail_serializer_class = s.SafetyProtocolDetailSerializer
    serializer_classes = {
        "list": s.SafetyProtocolSerializer,
        "create": s.SafetyProtocolCreateSerializer,
        "update": s.SafetyProtocolWriteSerializer,
        "partial_update": s.SafetyProtocolWriteSerializer,
        "sign_off": s.SignOffRequestSerializer,
    }
    create_service = staticmethod(services.create_protocol)
    update_service = staticmethod(services.update_protocol)
    delete_service = staticmethod(services.delete_protocol)
    detail_queryset = staticmethod(selectors.protocol_detail_queryset)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return selectors.protocol_list_queryset(queryset)
        return selectors.protocol_detail_queryset(queryset)

    @extend_schema(
        summary="Sign off the protocol's review (sets the last review; the next is one interval later)",
        request=s.SignOffRequestSerializer,
        responses={201: s.ProtocolSignOffSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        protocol = self.get_object()
        serializer = s.SignOffRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sign_off = call_service(
            services.sign_off_protocol, actor=request.user, protocol=protocol, **serializer.validated_data
        )
        return Response(s.ProtocolSignOffSerializer(sign_off).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="List emergency procedures (filters: kind, location, overdue drill)"),
    retrieve=extend_schema(summary="An emergency procedure with its ordered steps and contacts"),
    create=extend_schema(
        summary="Write an emergency procedure with its steps",
        request=s.EmergencyProcedureCreateSerializer,
        responses={201: s.EmergencyProcedureSerializer},
    ),
    update=extend_schema(
        summary="Replace an emergency procedure (steps replaced in the order given)",
        request=s.EmergencyProcedureWriteSerializer,
        responses=s.EmergencyProcedureSerializer,
    ),
    partial_update=extend_schema(
        summary="Edit an emergency procedure (steps, when given, replace the list)",
        request=s.EmergencyProcedureWriteSerializer,
        responses=s.EmergencyProcedureSerializer,
    ),
    destroy=extend_schema(summary="Delete an emergency procedure and its drill log"),
)
class EmergencyProcedureViewSet(_ServiceBackedViewSet):
    """Emergency procedures per kind and location. ``overdue=true`` keeps procedures whose drill is
    due today or earlier, or that were never drilled."""

    queryset = EmergencyProcedure.objects.all()
    filterset_class = EmergencyProcedureFilter
    search_fields = ["title", "location"]
    ordering_fields = ["kind", "title", "next_drill_due", "updated_at"]
    required_permissions = {"reorder_steps": services.CHANGE_PROCEDURE}
    spec_name = "procedure"
    detail_serializer_class = s.EmergencyProcedureSerializer
    serializer_classes = {
        "create": s.EmergencyProcedureCreateSerializer,
        "update": s.EmergencyProcedureWriteSerializer,
        "partial_update": s.EmergencyProcedureWriteSerializer,
        "reorder_steps": s.ReorderStepsSerializer,
    }
    create_service = staticmethod(services.create_procedure)
    update_service = staticmethod(services.update_procedure)
    delete_service = staticmethod(services.delete_procedure)
    detail_queryset = staticmethod(selectors.procedure_list_queryset)

    def get_queryset(self):
        return selectors.procedure_list_queryset(super().get_queryset())

    @extend_schema(
        summary="Put the procedure's steps in a new order",
        request=s.ReorderStepsSerializer,
        responses=s.EmergencyProcedureSerializer,
    )
    @action(detail=True, methods=["post"], url_path="reorder-steps")
    def reorder_steps(self, request, pk=None):
        procedure = self.get_object()
        serializer = s.ReorderStepsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(
            services.reorder_steps, actor=request.user, procedure=procedure, step_ids=serializer.validated_data["steps"]
        )
        return Response(self._detail(procedure))


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="List drills (filters: procedure, held_after, held_before)"),
    retrieve=extend_schema(summary="A logged drill"),
    create=extend_schema(
        summary="Log a drill (not in the future; staff participants must be the school's staff)",
        request=s.DrillWriteSerializer,
        responses={201: s.DrillSerializer},
    ),
)
class DrillViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The drill log; logging one moves the procedure's next drill due date."""

    queryset = Drill.objects.all()
    filter_backends = [FilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = DrillFilter
    search_fields = ["procedure__title", "notes"]
    ordering_fields = ["held_on", "created_at"]
    required_permissions = {
        "list": "safety.view_emergencyprocedure",
        "retrieve": "safety.view_emergencyprocedure",
        "create": services.ADD_DRILL,
    }

    def get_queryset(self):
        return selectors.drill_queryset(super().get_queryset())

    def get_serializer_class(self):
        return s.DrillWriteSerializer if self.action == "create" else s.DrillSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        drill = call_service(services.log_drill, actor=request.user, **serializer.validated_data)
        fresh = selectors.drill_queryset(Drill.objects.filter(pk=drill.pk)).get()
        return Response(s.DrillSerializer(fresh).data, status=status.HTTP_201_CREATED)
