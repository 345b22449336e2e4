"""Serializers for protocols, emergency procedures and drills: read rows (with the computed review
and drill states) and strict write payloads. Every id in a write (school, owner, staff, procedure)
goes through ``ScopedPrimaryKeyRelatedField``, so another school's id is "does not exist"; the
lists' contents (checks, steps, contacts) are validated again by the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School, User
from config.api.serializers import StrictBooleanField, StrictModelSerializer, StrictSerializer, TextSlugRelatedField
from physed.models import EquipmentType
from safety.models import Drill, EmergencyProcedure, EmergencyStep, ProtocolSignOff, SafetyProtocol
from safety.selectors import protocols as selectors

REVIEW_STATE_CHOICES = [
    (selectors.REVIEW_OK, _("Up to date")),
    (selectors.REVIEW_DUE_SOON, _("Due soon")),
    (selectors.REVIEW_OVERDUE, _("Overdue")),
]
DRILL_STATE_CHOICES = [
    (selectors.DRILL_NOT_REQUIRED, _("No drill required")),
    (selectors.DRILL_OK, _("Up to date")),
    (selectors.DRILL_DUE_SOON, _("Due soon")),
    (selectors.DRILL_DUE, _("Due now")),
    (selectors.DRILL_OVERDUE, _("Overdue")),
]


class EquipmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentType
        fields = ["id", "slug", "name"]


class ProtocolSignOffSerializer(serializers.ModelSerializer):
    signed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ProtocolSignOff
        fields = ["id", "protocol", "signed_by", "signed_by_name", "signed_on", "note", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_signed_by_name(self, obj) -> str:
        return obj.signed_by.get_full_name() if obj.signed_by else ""


def _blank_choice(name: str):
    """A read-only choice of the model that may be blank ("any"): DRF drops ``allow_blank`` from
    read-only fields it builds, and the schema would then leave "" out of the enum."""
    field = SafetyProtocol._meta.get_field(name)
    return serializers.ChoiceField(choices=field.choices, allow_blank=True, read_only=True, label=field.verbose_name)


class SafetyProtocolSerializer(serializers.ModelSerializer):
    activity_category = _blank_choice("activity_category")
    space = _blank_choice("space")
    pre_activity_checks = serializers.ListField(child=serializers.CharField(), read_only=True)
    protective_equipment = EquipmentRefSerializer(many=True, read_only=True)
    owner_name = serializers.SerializerMethodField()
    next_review_due = serializers.DateField(source="review_due_on", read_only=True, allow_null=True)
    review_state = serializers.SerializerMethodField()

    class Meta:
        model = SafetyProtocol
        fields = [
            "id",
            "school",
            "title",
            "activity_category",
            "space",
            "requirements",
            "pre_activity_checks",
            "supervision_ratio",
            "protective_equipment",
            "protective_equipment_notes",
            "review_interval_days",
            "last_reviewed_on",
            "next_review_due",
            "review_state",
            "owner",
            "owner_name",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_owner_name(self, obj) -> str:
        return obj.owner.get_full_name() if obj.owner else ""

    @extend_schema_field(serializers.ChoiceField(choices=REVIEW_STATE_CHOICES, allow_null=True))
    def get_review_state(self, obj):
        return selectors.review_state(obj)


class SafetyProtocolDetailSerializer(SafetyProtocolSerializer):
    sign_offs = ProtocolSignOffSerializer(many=True, read_only=True)

    class Meta(SafetyProtocolSerializer.Meta):
        fields = [*SafetyProtocolSerializer.Meta.fields, "sign_offs"]
        read_only_fields = fields


class SafetyProtocolWriteSerializer(StrictModelSerializer):
    """PATCH/PUT body (the school cannot change; the last review moves only by a sign-off)."""

    pre_activity_checks = serializers.ListField(
        child=serializers.CharField(max_length=300, allow_blank=False), required=False, max_length=40
    )
    protective_equipment = TextSlugRelatedField(
        slug_field="slug", many=True, queryset=EquipmentType.objects.all(), required=False
    )
    owner = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)

    class Meta:
        model = SafetyProtocol
        fields = [
            "title",
            "activity_category",
            "space",
            "requirements",
            "pre_activity_checks",
            "supervision_ratio",
            "protective_equipment",
            "protective_equipment_notes",
            "review_interval_days",
            "owner",
            "status",
        ]


class SafetyProtocolCreateSerializer(SafetyProtocolWriteSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        help_text=_("The school that owns the protocol; needed only if you can add protocols in several schools."),
    )

    class Meta(SafetyProtocolWriteSerializer.Meta):
        fields = ["school", *SafetyProtocolWriteSerializer.Meta.fields, "last_reviewed_on"]


class SignOffRequestSerializer(StrictSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    signed_on = serializers.DateField(required=False, help_text=_("Defaults to today; never in the future."))


class EmergencyContactSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80)
    role = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=80)


class EmergencyStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyStep
        fields = ["id", "order", "role", "instruction"]
        read_only_fields = fields


class EmergencyStepWriteSerializer(StrictSerializer):
    instruction = serializers.CharField(max_length=400)
    role = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class EmergencyProcedureSerializer(serializers.ModelSerializer):
    contacts = EmergencyContactSerializer(many=True, read_only=True)
    steps = EmergencyStepSerializer(many=True, read_only=True)
    drill_state = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyProcedure
        fields = [
            "id",
            "school",
            "kind",
            "title",
            "location",
            "steps",
            "contacts",
            "aed_locations",
            "first_aid_locations",
            "drill_interval_days",
            "last_drilled_on",
            "next_drill_due",
            "drill_state",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=DRILL_STATE_CHOICES))
    def get_drill_state(self, obj) -> str:
        return selectors.drill_state(obj)


class EmergencyProcedureWriteSerializer(StrictModelSerializer):
    """``steps`` replaces the list when given (its order is the new order)."""

    steps = EmergencyStepWriteSerializer(many=True, required=False, max_length=40)
    contacts = EmergencyContactSerializer(many=True, required=False, max_length=20)
    is_active = StrictBooleanField(required=False)

    class Meta:
        model = EmergencyProcedure
        fields = [
            "kind",
            "title",
            "location",
            "steps",
            "contacts",
            "aed_locations",
            "first_aid_locations",
            "drill_interval_days",
            "is_active",
        ]


class EmergencyProcedureCreateSerializer(EmergencyProcedureWriteSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        help_text=_("The school that owns the procedure; needed only if you can add procedures in several schools."),
    )

    class Meta(EmergencyProcedureWriteSerializer.Meta):
        fields = ["school", *EmergencyProcedureWriteSerializer.Meta.fields]


class ReorderStepsSerializer(StrictSerializer):
    steps = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, help_text=_("Every step id, in the new order.")
    )


class DrillSerializer(serializers.ModelSerializer):
    participant_names = serializers.SerializerMethodField()
    procedure_title = serializers.CharField(source="procedure.title", read_only=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "procedure",
            "procedure_title",
            "held_on",
            "duration_minutes",
            "participant_count",
            "participants",
            "participant_names",
            "notes",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_participant_names(self, obj) -> list[str]:
        return [user.get_full_name() for user in obj.participants.all()]


class DrillWriteSerializer(StrictModelSerializer):
    procedure = ScopedPrimaryKeyRelatedField(queryset=EmergencyProcedure.objects.all())
    participants = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)

    class Meta:
        model = Drill
        fields = ["procedure", "held_on", "duration_minutes", "participant_count", "participants", "notes"]
