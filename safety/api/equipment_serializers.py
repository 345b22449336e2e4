"""Serializers for equipment items, inspections, maintenance records, checklists and the equipment
flags of a session. Parse and shape only; the rules live in ``safety.services.equipment``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictBooleanField, StrictDecimalField, StrictModelSerializer, StrictSerializer
from physed.models import EquipmentType
from safety.models import (
    CheckResult,
    EquipmentItem,
    EquipmentStatus,
    Inspection,
    InspectionKind,
    MaintenanceKind,
    MaintenanceRecord,
)
from safety.selectors.equipment import ATTENTION_STATUSES


class EquipmentItemSerializer(StrictModelSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed only when you work in several schools.")
    )
    equipment_type = serializers.PrimaryKeyRelatedField(queryset=EquipmentType.objects.all())
    equipment_type_name = serializers.CharField(source="equipment_type.name", read_only=True)
    equipment_type_slug = serializers.CharField(source="equipment_type.slug", read_only=True)
    status = serializers.ChoiceField(choices=EquipmentStatus.choices, required=False)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    end_of_life = serializers.DateField(read_only=True, allow_null=True)
    past_expected_life = serializers.BooleanField(read_only=True)
    inspection_overdue = serializers.BooleanField(read_only=True)
    needs_attention = serializers.SerializerMethodField()
    last_inspected_on = serializers.SerializerMethodField()

    class Meta:
        model = EquipmentItem
        fields = [
            "id",
            "school",
            "equipment_type",
            "equipment_type_name",
            "equipment_type_slug",
            "name",
            "asset_tag",
            "location",
            "quantity",
            "purchase_date",
            "expected_life_years",
            "end_of_life",
            "past_expected_life",
            "status",
            "status_display",
            "status_reason",
            "next_inspection_due",
            "inspection_overdue",
            "needs_attention",
            "last_inspected_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["next_inspection_due", "created_at", "updated_at"]
        validators = []  # asset tags unique per school: checked by the service (school may be implied)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        else:  # a new item starts in service; status changes come after
            fields["status"].read_only = True
            fields["status_reason"].read_only = True
        return fields

    def get_needs_attention(self, obj) -> bool:
        return obj.status != EquipmentStatus.RETIRED and (
            obj.status in ATTENTION_STATUSES or obj.inspection_overdue or obj.past_expected_life
        )

    def get_last_inspected_on(self, obj) -> str | None:
        value = getattr(obj, "last_inspected_on", None)
        if value is None and not hasattr(obj, "last_inspected_on"):
            latest = obj.inspections.order_by("-inspected_on").first()
            value = latest.inspected_on if latest else None
        return value.isoformat() if value else None


class CheckResultSerializer(StrictSerializer):
    check = serializers.CharField(max_length=60, help_text=_("A check key from the item's checklist."))
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InspectionSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    inspector_name = serializers.SerializerMethodField()
    results = CheckResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "item",
            "item_name",
            "kind",
            "inspected_on",
            "inspector",
            "inspector_name",
            "results",
            "outcome",
            "notes",
            "next_due",
            "created_at",
        ]
        read_only_fields = fields

    def get_inspector_name(self, obj) -> str:
        return obj.inspector.get_full_name() if obj.inspector else ""


class InspectionCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    inspected_on = serializers.DateField(required=False, help_text=_("Defaults to today; never in the future."))
    all_pass = StrictBooleanField(
        required=False, default=False, help_text=_("One tap: every check on the list passed.")
    )
    results = CheckResultSerializer(many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MaintenanceSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = MaintenanceRecord
        fields = [
            "id",
            "item",
            "item_name",
            "performed_on",
            "kind",
            "description",
            "performed_by",
            "cost",
            "returns_to_service",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    # the pattern drf-spectacular derives allows a minus sign and a lone ".": a cost is never negative
    {"type": "string", "format": "decimal", "pattern": r"^(?:\d{1,7}(?:\.\d{0,2})?|\.\d{1,2})?$", "nullable": True}
)
class CostField(StrictDecimalField):
    """A cost in money, written as text (as the schema says, and as it is answered): 0 to
    9,999,999.99 with at most two decimals; "" or null for none."""


class MaintenanceCreateSerializer(StrictSerializer):
    performed_on = serializers.DateField(help_text=_("Never in the future."))
    kind = serializers.ChoiceField(choices=MaintenanceKind.choices)
    description = serializers.CharField(max_length=4000)
    performed_by = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    cost = CostField(max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True)
    returns_to_service = StrictBooleanField(required=False, default=False)


class CheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    pre_use = serializers.BooleanField()


class ChecklistSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    formal_interval_days = serializers.IntegerField()
    checks = CheckSerializer(many=True)
    pre_use_checks = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_pre_use_checks(self, obj):
        return [check.key for check in obj.checks if check.pre_use]


class EquipmentFlagSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    item_name = serializers.CharField(source="item.name")
    location = serializers.CharField(source="item.location")
    status = serializers.ChoiceField(choices=EquipmentStatus.choices)
    reason = serializers.CharField()
    severity = serializers.CharField(help_text=_('"danger": must not be used; "warning": check before use.'))
    equipment_type = serializers.IntegerField(source="equipment_type.pk")
    equipment_type_name = serializers.CharField(source="equipment_type.name")
    activities = serializers.ListField(child=serializers.CharField())
    due = serializers.DateField(allow_null=True)


class SessionEquipmentFlagsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    flags = EquipmentFlagSerializer(many=True)
