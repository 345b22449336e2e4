"""API for equipment: the inventory (CRUD, filters, search) with actions to inspect an item, log
maintenance and read its checklist; inspection and maintenance history; the equipment flags of a
planned session. Thin: parse, authorize, call the service, serialize."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.base import (
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    call_service,
    resolve_school,
)
from physed.api.fields import update_body_schema
from physed.models import ClassSession
from safety.api import equipment_serializers as s
from safety.api.equipment_filters import EquipmentItemFilter, InspectionFilter, MaintenanceFilter
from safety.models import EquipmentItem, Inspection, MaintenanceRecord
from safety.selectors import equipment as selectors
from safety.services import equipment as services

TAGS = ["safety-equipment"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List equipment (filters, search, needs_attention)"),
    retrieve=extend_schema(tags=TAGS, summary="One equipment item"),
    create=extend_schema(tags=TAGS, summary="Add an item to the inventory"),
    update=extend_schema(tags=TAGS, summary="Edit an item (status changes need a reason)"),
    partial_update=extend_schema(tags=TAGS, summary="Edit an item (status changes need a reason)"),
    destroy=extend_schema(tags=TAGS, summary="Delete an item and its history"),
)
@update_body_schema(s.EquipmentItemSerializer, "school")
class EquipmentItemViewSet(ScopedModelViewSet):
    """The school's equipment inventory."""

    queryset = EquipmentItem.objects.select_related("equipment_type", "school")
    serializer_class = s.EquipmentItemSerializer
    filterset_class = EquipmentItemFilter
    search_fields = ["name", "asset_tag", "location", "equipment_type__name"]
    ordering_fields = ["name", "location", "status", "purchase_date", "next_inspection_due", "created_at"]
    ordering = ["name", "pk"]
    required_permissions = {
        "inspect": services.INSPECT,
        "maintenance": services.MAINTAIN,
        "checklist": services.VIEW,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        return selectors.list_queryset(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        school = resolve_school(self.request.user, services.ADD, data.pop("school", None))
        serializer.instance = call_service(services.create_item, actor=self.request.user, school=school, **data)

    @transaction.atomic
    def perform_update(self, serializer):
        """Inventory facts through ``update_item``; a status or reason through ``set_status``
        (a reason is required for anything but "in service"). All or nothing."""
        data = dict(serializer.validated_data)
        item = serializer.instance
        new_status = data.pop("status", None)
        reason = data.pop("status_reason", None)
        if data:
            call_service(services.update_item, actor=self.request.user, item=item, **data)
        if new_status is not None or reason is not None:
            target = new_status or item.status
            if target != item.status or (reason is not None and reason != item.status_reason):
                call_service(
                    services.set_status, actor=self.request.user, item=item, status=target, reason=reason or ""
                )
        serializer.instance = item

    def perform_destroy(self, instance):
        call_service(services.delete_item, actor=self.request.user, item=instance)

    @extend_schema(
        tags=TAGS,
        request=s.InspectionCreateSerializer,
        responses={201: s.InspectionSerializer},
        summary="Record a pre-use check or a formal inspection (result per checklist item)",
    )
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        item = self.get_object()
        body = s.InspectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        inspection = call_service(
            services.record_inspection,
            actor=request.user,
            item=item,
            kind=data["kind"],
            inspected_on=data.get("inspected_on"),
            results=data.get("results"),
            all_pass=data["all_pass"],
            notes=data["notes"],
        )
        return Response(s.InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        request=s.MaintenanceCreateSerializer,
        responses={201: s.MaintenanceSerializer},
        summary="Log maintenance (repair, service, cleaning, replacement, retirement)",
    )
    @action(detail=True, methods=["post"])
    def maintenance(self, request, pk=None):
        item = self.get_object()
        body = s.MaintenanceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = call_service(services.record_maintenance, actor=request.user, item=item, **body.validated_data)
        return Response(s.MaintenanceSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TAGS, responses=s.ChecklistSerializer, summary="The checklist for this item's type")
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        item = self.get_object()
        return Response(s.ChecklistSerializer(services.checklist_for(item)).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Inspections (filter by item, kind, outcome, date)"),
    retrieve=extend_schema(tags=TAGS, summary="One inspection with its per-check results"),
)
class InspectionViewSet(ScopedReadOnlyViewSet):
    queryset = Inspection.objects.select_related("item__school", "inspector")
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ["inspected_on", "created_at", "outcome"]
    ordering = ["-inspected_on", "-pk"]
    required_permissions = {"list": services.VIEW, "retrieve": services.VIEW}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="Maintenance log (filter by item, kind, date)"),
    retrieve=extend_schema(tags=TAGS, summary="One maintenance record"),
)
class MaintenanceViewSet(ScopedReadOnlyViewSet):
    queryset = MaintenanceRecord.objects.select_related("item__school")
    serializer_class = s.MaintenanceSerializer
    filterset_class = MaintenanceFilter
    search_fields = ["description", "performed_by"]
    ordering_fields = ["performed_on", "created_at", "cost"]
    ordering = ["-performed_on", "-pk"]
    required_permissions = {"list": services.VIEW, "retrieve": services.VIEW}


class SessionEquipmentFlagsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Equipment flags for a planned session: flagged, out-of-service or overdue items of the
    types its activities need."""

    queryset = ClassSession.objects.select_related("pe_class__school")
    serializer_class = s.SessionEquipmentFlagsSerializer
    required_permissions = {"equipment_flags": services.VIEW}

    @extend_schema(
        tags=TAGS,
        responses=s.SessionEquipmentFlagsSerializer,
        summary="Equipment flags for the session's planned activities",
    )
    @action(detail=True, methods=["get"], url_path="equipment-flags")
    def equipment_flags(self, request, pk=None):
        session = self.get_object()
        flags = selectors.flags_for_session(session)
        return Response(s.SessionEquipmentFlagsSerializer({"session": session.pk, "flags": flags}).data)
