"""Serializers for medical profiles (full, summary, writes with nested replace-all lists), the
action plan upload and a class's needs. They parse and validate only; the service decides."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from config.api.serializers import StrictSerializer
from physed.models import RestrictionKind, Student
from safety.models import (
    ActivityRestriction,
    ConditionKind,
    ConditionSeverity,
    EmergencyContact,
    MedicalCondition,
    MedicalProfile,
    Medication,
    MedicationLocation,
    MedicationSchedule,
)
from safety.selectors import medical as selectors

# ---- nested rows ----------------------------------------------------------------------------------


class MedicalConditionInputSerializer(StrictSerializer):
    id = serializers.IntegerField(required=False, min_value=1, help_text=_("Keep this existing row."))
    kind = serializers.ChoiceField(choices=ConditionKind.choices)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    trigger = serializers.CharField(max_length=120, required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=ConditionSeverity.choices, required=False)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    pe_instructions = serializers.CharField(max_length=300, required=False, allow_blank=True)
    notes = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Confidential staff notes (not shown to guardians).")
    )


class MedicationInputSerializer(StrictSerializer):
    id = serializers.IntegerField(required=False, min_value=1, help_text=_("Keep this existing row."))
    name = serializers.CharField(max_length=120)
    dose = serializers.CharField(max_length=120, required=False, allow_blank=True)
    schedule = serializers.ChoiceField(choices=MedicationSchedule.choices, required=False)
    location = serializers.ChoiceField(choices=MedicationLocation.choices, required=False)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ActivityRestrictionInputSerializer(StrictSerializer):
    id = serializers.IntegerField(required=False, min_value=1, help_text=_("Keep this existing row."))
    kind = serializers.ChoiceField(choices=RestrictionKind.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Last day it applies (inclusive); empty = until further notice.")
    )
    documented_by = serializers.CharField(max_length=120, required=False, allow_blank=True)

    def validate(self, attrs):
        end, start = attrs.get("end_date"), attrs.get("start_date")
        if end is not None and start is not None and end < start:
            raise serializers.ValidationError({"end_date": [_("The end date cannot be before the start date.")]})
        return attrs


class StudentEmergencyContactInputSerializer(StrictSerializer):
    id = serializers.IntegerField(required=False, min_value=1, help_text=_("Keep this existing row."))
    name = serializers.CharField(max_length=120)
    relationship = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40)
    alternate_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    priority = serializers.IntegerField(
        min_value=1, max_value=99, required=False, help_text=_("Call order (default: the list order).")
    )


# ---- reads ----------------------------------------------------------------------------------------


class MedicalConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MedicalCondition
        fields = ["id", "kind", "name", "trigger", "severity", "occurred_on", "pe_instructions", "notes"]


class MedicalMedicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Medication
        fields = ["id", "name", "dose", "schedule", "location", "notes"]


class ActivityRestrictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityRestriction
        fields = ["id", "kind", "reason", "start_date", "end_date", "documented_by"]


class StudentEmergencyContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyContact
        fields = ["id", "name", "relationship", "phone", "alternate_phone", "priority"]


class MedicalActionPlanSerializer(serializers.Serializer):
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    download_url = serializers.CharField()


class MedicalConditionSummarySerializer(serializers.Serializer):
    kind = serializers.CharField()
    severity = serializers.CharField()


class MedicalProfileListSerializer(serializers.ModelSerializer):
    """Summary row: no notes, no medication or contact details."""

    student_name = serializers.CharField(source="student.display_name", read_only=True)
    conditions = serializers.SerializerMethodField()
    has_action_plan = serializers.SerializerMethodField()
    medications_count = serializers.SerializerMethodField()
    contacts_count = serializers.SerializerMethodField()

    class Meta:
        model = MedicalProfile
        fields = [
            "id",
            "student",
            "student_name",
            "pe_instructions",
            "conditions",
            "medications_count",
            "contacts_count",
            "has_action_plan",
            "reviewed_on",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MedicalConditionSummarySerializer(many=True))
    def get_conditions(self, obj):
        return [{"kind": c.kind, "severity": c.severity} for c in obj.conditions.all()]

    def get_has_action_plan(self, obj) -> bool:
        return bool(obj.action_plan)

    def get_medications_count(self, obj) -> int:
        return len(obj.medications.all())

    def get_contacts_count(self, obj) -> int:
        return len(obj.contacts.all())


class MedicalProfileSerializer(serializers.ModelSerializer):
    """The full profile. Confidential staff notes are left out for a reader who sees the profile
    only as the student's guardian."""

    student_name = serializers.CharField(source="student.display_name", read_only=True)
    conditions = MedicalConditionSerializer(many=True, read_only=True)
    medications = MedicalMedicationSerializer(many=True, read_only=True)
    restrictions = ActivityRestrictionSerializer(many=True, read_only=True)
    contacts = StudentEmergencyContactSerializer(many=True, read_only=True)
    action_plan = serializers.SerializerMethodField()
    active_restrictions = serializers.SerializerMethodField()
    # not required in the answer: left out for a guardian (see to_representation). Declared without
    # read_only, which drf-spectacular would list as required; this serializer is never a request body.
    notes = serializers.CharField(required=False, help_text=_("Confidential staff notes; absent for guardians."))

    class Meta:
        model = MedicalProfile
        fields = [
            "id",
            "student",
            "student_name",
            "pe_instructions",
            "notes",
            "reviewed_on",
            "conditions",
            "medications",
            "restrictions",
            "active_restrictions",
            "contacts",
            "action_plan",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MedicalActionPlanSerializer(allow_null=True))
    def get_action_plan(self, obj):
        if not obj.action_plan:
            return None
        return {
            "content_type": obj.action_plan_content_type,
            "size": obj.action_plan_size,
            "download_url": reverse("safety-medical-profile-action-plan", args=[obj.pk]),
        }

    def get_active_restrictions(self, obj) -> list[str]:
        day = self.context.get("today")
        return list(dict.fromkeys(r.kind for r in obj.restrictions.all() if day is None or r.active_on(day)))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not selectors.sees_staff_notes(request.user, instance.student):
            data.pop("notes", None)
            for row in data["conditions"]:
                row.pop("notes", None)
        return data


# ---- writes ---------------------------------------------------------------------------------------


class MedicalProfileWriteSerializer(StrictSerializer):
    """PATCH body (and, with ``student``, the create body). Each list given replaces the
    profile's rows: items with an ``id`` keep (and update) that row, the rest are new."""

    pe_instructions = serializers.CharField(max_length=300, required=False, allow_blank=True)
    notes = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Confidential staff notes; guardians cannot write them.")
    )
    reviewed_on = serializers.DateField(required=False, allow_null=True)
    conditions = MedicalConditionInputSerializer(many=True, required=False, max_length=50)
    medications = MedicationInputSerializer(many=True, required=False, max_length=50)
    restrictions = ActivityRestrictionInputSerializer(many=True, required=False, max_length=50)
    contacts = StudentEmergencyContactInputSerializer(many=True, required=False, max_length=20)


class MedicalProfileCreateSerializer(MedicalProfileWriteSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())


class ActionPlanUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text=_("A PDF, PNG or JPEG (checked by its content)."))


# ---- class needs ------------------------------------------------------------------------------------


class ConditionNeedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    severity = serializers.CharField()
    instructions = serializers.CharField()


class MedicationNeedSerializer(serializers.Serializer):
    name = serializers.CharField()
    dose = serializers.CharField()
    schedule = serializers.CharField()
    location = serializers.CharField()


class RestrictionNeedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    until = serializers.DateField(allow_null=True)


class ContactNeedSerializer(serializers.Serializer):
    name = serializers.CharField()
    relationship = serializers.CharField()
    phone = serializers.CharField()


class StudentNeedsSerializer(serializers.Serializer):
    student = serializers.IntegerField(source="student.pk")
    student_name = serializers.CharField(source="student.display_name")
    alert_level = serializers.ChoiceField(choices=["danger", "warning", "info"])
    conditions = ConditionNeedSerializer(many=True)
    instructions = serializers.ListField(child=serializers.CharField())
    medications = MedicationNeedSerializer(many=True)
    restrictions = serializers.ListField(child=serializers.CharField())
    restriction_details = RestrictionNeedSerializer(many=True, source="restriction_rows")
    contacts = ContactNeedSerializer(many=True)


class ClassNeedsSerializer(serializers.Serializer):
    pe_class = serializers.IntegerField()
    date = serializers.DateField()
    students_enrolled = serializers.IntegerField()
    students = StudentNeedsSerializer(many=True)
