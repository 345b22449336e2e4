"""Roster API serializers. The student list uses a flat, read-only serializer (plain fields, no
nested objects, no per-row queries) because it is the hot path; writes use the full one and go
through the roster services."""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictModelSerializer, StrictSerializer
from physed.api.fields import WallClockTimeField
from physed.models import ClassMeeting, Enrollment, Guardianship, PEClass, Student

User = get_user_model()


class StudentListSerializer(serializers.ModelSerializer):
    """Flat and cheap: one row per student, no relations."""

    class Meta:
        model = Student
        fields = [
            "id",
            "school",
            "external_id",
            "first_name",
            "last_name",
            "preferred_name",
            "grade",
            "sex",
            "status",
            "date_of_birth",
        ]
        read_only_fields = fields


class StudentClassSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="pk")
    pe_class = serializers.IntegerField(source="pe_class_id")
    name = serializers.CharField(source="pe_class.name")
    start_date = serializers.DateField()


class StudentSerializer(StrictModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    user = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("The student's own sign-in account (a student member of the school), or null."),
    )
    display_name = serializers.CharField(read_only=True)
    classes = serializers.SerializerMethodField(help_text=_("Current enrollments."))

    class Meta:
        model = Student
        fields = [
            "id",
            "school",
            "external_id",
            "first_name",
            "last_name",
            "preferred_name",
            "display_name",
            "date_of_birth",
            "sex",
            "grade",
            "status",
            "user",
            "classes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "display_name", "classes", "created_at", "updated_at"]
        validators: list = []  # the service checks the external id per school (a clear 400)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["school"].read_only = True
        return fields

    @extend_schema_field(StudentClassSerializer(many=True))
    def get_classes(self, student):
        rows = [e for e in student.enrollments.all() if e.status == "active"]
        return StudentClassSerializer(rows, many=True).data


class GuardianshipSerializer(StrictModelSerializer):
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    guardian = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("The guardian's sign-in account (a member of the school): it then sees the student's record."),
    )

    class Meta:
        model = Guardianship
        fields = [
            "id",
            "student",
            "guardian",
            "name",
            "relationship",
            "email",
            "phone",
            "is_primary_contact",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["student"].read_only = True
        return fields


class MeetingSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: WallClockTimeField,
    }

    class Meta:
        model = ClassMeeting
        fields = ["weekday", "start_time", "end_time", "period"]

    def validate(self, attrs):
        if attrs["start_time"] >= attrs["end_time"]:
            raise serializers.ValidationError({"end_time": [_("A meeting must end after it starts.")]})
        return attrs


class PEClassSerializer(StrictModelSerializer):
    """A class with its weekly meetings and teacher ids nested (one serializer, one round trip)."""

    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    teachers = ScopedPrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    meetings = MeetingSerializer(many=True, required=False)
    enrolled = serializers.IntegerField(read_only=True, help_text=_("Students currently enrolled."))

    class Meta:
        model = PEClass
        fields = [
            "id",
            "school",
            "name",
            "external_id",
            "school_year",
            "term",
            "grade_from",
            "grade_to",
            "location",
            "space",
            "capacity",
            "is_active",
            "teachers",
            "meetings",
            "enrolled",
            "created_at",
        ]
        read_only_fields = ["id", "enrolled", "created_at"]
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["school"].read_only = True
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("enrolled") is None:
            data["enrolled"] = instance.enrollments.filter(status="active").count()
        return data


class EnrollmentSerializer(StrictModelSerializer):
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all())
    student = ScopedPrimaryKeyRelatedField(queryset=Student.objects.all())
    warnings = serializers.SerializerMethodField(help_text=_("E.g. the student's grade is outside the class's range."))

    class Meta:
        model = Enrollment
        fields = ["id", "pe_class", "student", "start_date", "end_date", "status", "warnings"]
        read_only_fields = ["id", "end_date", "status", "warnings"]
        extra_kwargs = {"start_date": {"required": False}}
        validators: list = []

    def get_warnings(self, enrollment) -> list[str]:
        return getattr(enrollment, "warnings", [])


class WithdrawSerializer(StrictSerializer):
    end_date = serializers.DateField(required=False, help_text=_("Defaults to today."))


class RosterRowSerializer(serializers.ModelSerializer):
    """A class roster row: the enrollment with the student's flat fields."""

    student = StudentListSerializer(read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "student", "start_date", "end_date", "status"]
        read_only_fields = fields


class PromotionRequestSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed when you may promote in several schools.")
    )
    dry_run = serializers.BooleanField(default=True, help_text=_("Only count (default); false promotes."))


class GradeCountSerializer(serializers.Serializer):
    grade = serializers.IntegerField()
    students = serializers.IntegerField()


class PromotionReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    promoted = serializers.IntegerField(help_text=_("Active students moving up one grade."))
    graduated = serializers.IntegerField(help_text=_("Grade 12 students marked graduated."))
    enrollments_ended = serializers.IntegerField()
    by_grade = GradeCountSerializer(many=True, help_text=_("Active students per current grade."))
    last_promoted_at = serializers.DateTimeField(allow_null=True)
