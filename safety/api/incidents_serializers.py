"""Serializers for incident reports, follow-up actions, amendments, guardian notices and the
analytics answer. Writes check every id through ``visible_to`` (another school's id is "does not
exist"); the services then check that each row belongs to the report's school."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School, User
from config.api.serializers import StrictBooleanField, StrictModelSerializer, StrictSerializer
from physed.models import Activity, ClassSession, PEClass, Student
from safety.models import (
    EquipmentItem,
    GuardianNotice,
    Incident,
    IncidentAction,
    IncidentAmendment,
    IncidentStatus,
    IncidentStudent,
)
from safety.services.incidents_data import allowed_transitions, factor_codes, factor_labels


def _name(user) -> str | None:
    return (user.get_full_name() or user.email) if user is not None else None


class IncidentStudentSerializer(StrictModelSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    injured = StrictBooleanField(required=False)
    student_name = serializers.CharField(source="student.display_name", read_only=True)

    class Meta:
        model = IncidentStudent
        fields = ["student", "student_name", "injured", "body_area", "injury_type", "notes"]


class FactorCodeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=sorted(factor_codes()), **kwargs)


WRITE_FIELDS = [
    "kind",
    "severity",
    "occurred_at",
    "location",
    "space",
    "pe_class",
    "session",
    "activity",
    "equipment",
    "surface",
    "description",
    "contributing_factors",
    "contributing_notes",
    "first_aid_given",
    "first_aid_by",
    "witnesses",
    "staff_present",
    "supervision",
    "guardian_notified_at",
    "guardian_notified_by",
    "medical_referral",
    "emergency_services_called",
    "days_missed",
    "students",
]


class IncidentSerializer(StrictModelSerializer):
    """A report. On create ``school`` may be left out when the user reports for one school."""

    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all(), required=False, allow_null=True)
    session = ScopedPrimaryKeyRelatedField(queryset=ClassSession.objects.all(), required=False, allow_null=True)
    activity = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all(), required=False, allow_null=True)
    equipment = ScopedPrimaryKeyRelatedField(queryset=EquipmentItem.objects.all(), many=True, required=False)
    staff_present = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    emergency_services_called = StrictBooleanField(required=False)
    contributing_factors = serializers.ListField(child=FactorCodeField(), required=False)
    students = IncidentStudentSerializer(many=True, required=False)
    reported_by_name = serializers.SerializerMethodField()
    contributing_factor_labels = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "school",
            "status",
            *WRITE_FIELDS,
            "contributing_factor_labels",
            "reported_by",
            "reported_by_name",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "status", "reported_by", "closed_at", "created_at", "updated_at"]

    def get_reported_by_name(self, obj) -> str | None:
        return _name(obj.reported_by)

    def get_contributing_factor_labels(self, obj) -> list[str]:
        labels = factor_labels()
        return [labels.get(code, code) for code in obj.contributing_factors]


class IncidentListSerializer(serializers.ModelSerializer):
    student_count = serializers.IntegerField(read_only=True)
    open_actions = serializers.IntegerField(read_only=True)
    activity_name = serializers.CharField(source="activity.name", read_only=True, allow_null=True)
    class_name = serializers.CharField(source="pe_class.name", read_only=True, allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "school",
            "kind",
            "status",
            "severity",
            "occurred_at",
            "location",
            "space",
            "pe_class",
            "class_name",
            "activity",
            "activity_name",
            "student_count",
            "open_actions",
            "created_at",
        ]


class IncidentActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()
    incident_reference = serializers.CharField(source="incident.reference", read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = IncidentAction
        fields = [
            "id",
            "incident",
            "incident_reference",
            "description",
            "owner",
            "owner_name",
            "due_date",
            "is_open",
            "completed_at",
            "completed_by",
            "completion_note",
            "created_at",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner)

    def get_is_open(self, obj) -> bool:
        return obj.completed_at is None


class IncidentAmendmentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = IncidentAmendment
        fields = ["id", "kind", "author", "author_name", "reason", "changes", "created_at"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str | None:
        return _name(obj.author)


class GuardianNoticeSerializer(StrictModelSerializer):
    """What a guardian may read: the notice itself (no staff-only report fields)."""

    incident_reference = serializers.CharField(source="incident.reference", read_only=True)
    occurred_at = serializers.DateTimeField(source="incident.occurred_at", read_only=True)
    student_name = serializers.CharField(source="student.display_name", read_only=True)

    class Meta:
        model = GuardianNotice
        fields = [
            "id",
            "incident",
            "incident_reference",
            "occurred_at",
            "student",
            "student_name",
            "language",
            "subject",
            "body",
            "sent_at",
            "created_at",
        ]
        read_only_fields = ["incident", "student", "language", "sent_at", "created_at"]


class IncidentDetailSerializer(IncidentSerializer):
    actions = IncidentActionSerializer(many=True, read_only=True)
    amendments = IncidentAmendmentSerializer(many=True, read_only=True)
    guardian_notices = GuardianNoticeSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "actions", "amendments", "guardian_notices", "allowed_transitions"]

    def get_allowed_transitions(self, obj) -> list[str]:
        return allowed_transitions(obj.status)


class IncidentAmendSerializer(IncidentSerializer):
    """PATCH body: any report fields plus the required ``reason``."""

    reason = serializers.CharField(max_length=300, help_text=_("Why the report is corrected (required)."))

    class Meta(IncidentSerializer.Meta):
        fields = [*WRITE_FIELDS, "reason"]
        read_only_fields = []


class IncidentTransitionSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=IncidentStatus.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IncidentActionCreateSerializer(StrictSerializer):
    description = serializers.CharField(max_length=300)
    owner = ScopedPrimaryKeyRelatedField(queryset=User.objects.all())
    due_date = serializers.DateField()


class IncidentActionCompleteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IncidentAnalyticsQuerySerializer(serializers.Serializer):
    """``from``, ``to``, ``class`` (Python keywords, hence ``get_fields``) and ``school``; other
    query parameters (``page``, ``page_size``) are ignored."""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False, help_text=_("First day (default: a year before 'to').")),
            "to": serializers.DateField(required=False, help_text=_("Last day (default: today).")),
            "class": serializers.IntegerField(required=False, min_value=1, help_text=_("Only this class.")),
            "school": serializers.IntegerField(
                required=False, min_value=1, help_text=_("The school (default: the user's first).")
            ),
        }


class IncidentCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class IncidentRateSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    incidents = serializers.IntegerField()
    hours = serializers.FloatField()
    rate = serializers.FloatField(allow_null=True)


class BodyInjuryColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class BodyInjuryRowSerializer(BodyInjuryColumnSerializer):
    counts = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class BodyInjurySerializer(serializers.Serializer):
    columns = BodyInjuryColumnSerializer(many=True)
    rows = BodyInjuryRowSerializer(many=True)


class IncidentAnalyticsSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    incidents = serializers.IntegerField()
    near_misses = serializers.IntegerField()
    injured_students = serializers.IntegerField()
    participation_hours = serializers.FloatField()
    rate_per_1000_hours = serializers.FloatField(allow_null=True)
    by_kind = IncidentCountSerializer(many=True)
    by_severity = IncidentCountSerializer(many=True)
    by_location = IncidentCountSerializer(many=True)
    by_activity = IncidentCountSerializer(many=True)
    by_space = IncidentCountSerializer(many=True)
    by_month = IncidentCountSerializer(many=True)
    by_hour = IncidentCountSerializer(many=True)
    by_weekday = IncidentCountSerializer(many=True)
    body_injury = BodyInjurySerializer()
    rates_by_category = IncidentRateSerializer(many=True)
    rates_by_space = IncidentRateSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields
