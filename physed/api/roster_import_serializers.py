"""Roster import API: the multipart request bodies and the report (per-row errors and counts)."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School
from config.api.serializers import StrictSerializer


class ImportTargetSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed when you may import into several schools.")
    )
    dry_run = serializers.BooleanField(default=True, help_text=_("Check only (default); false applies the valid rows."))


class CsvImportRequestSerializer(ImportTargetSerializer):
    file = serializers.FileField(help_text=_("A UTF-8 CSV file, at most 2 MB and 5,000 rows."))
    mapping = serializers.CharField(
        required=False,
        help_text=_(
            'JSON object: our field → your column, e.g. {"external_id": "Student ID", "grade": "Year"}. '
            "Fields: external_id, first_name, last_name, preferred_name, date_of_birth, sex, grade, "
            "class_external_id, class_name, guardian_name, guardian_email, guardian_phone. "
            "Left out: columns are matched by their usual names."
        ),
    )

    def validate_mapping(self, value):
        try:
            mapping = json.loads(value)
        except ValueError:
            raise serializers.ValidationError(_("Not valid JSON.")) from None
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise serializers.ValidationError(_("Must be a JSON object of field → column name."))
        return mapping


class OneRosterImportRequestSerializer(ImportTargetSerializer):
    file = serializers.FileField(required=False, help_text=_("A zip holding users.csv, classes.csv, enrollments.csv."))
    users = serializers.FileField(required=False, help_text=_("users.csv (instead of the zip)."))
    classes = serializers.FileField(required=False, help_text=_("classes.csv (instead of the zip)."))
    enrollments = serializers.FileField(required=False, help_text=_("enrollments.csv (instead of the zip)."))
    demographics = serializers.FileField(required=False, help_text=_("Optional demographics.csv (birth dates, sex)."))
    school_year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Year new classes start in; default: the current school year."),
    )

    def validate(self, attrs):
        if "file" not in attrs and not {"users", "classes", "enrollments"} <= set(attrs):
            raise serializers.ValidationError(
                {"file": [_("Send a zip as file, or users, classes and enrollments as separate files.")]}
            )
        return attrs


class RosterImportErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class RosterImportRowSerializer(serializers.Serializer):
    file = serializers.CharField()
    line = serializers.IntegerField(help_text=_("Line in the file (the header is line 1)."))
    key = serializers.CharField(help_text=_("The row's external id / sourcedId."))
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "skipped", ""])
    errors = RosterImportErrorSerializer(many=True)


class RosterImportSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    errors = serializers.IntegerField()


class RosterImportReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["csv", "oneroster"])
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    import_id = serializers.IntegerField(allow_null=True, help_text=_("The import history row, once applied."))
    summary = RosterImportSummarySerializer()
    warnings = serializers.ListField(child=serializers.CharField())
    rows = RosterImportRowSerializer(many=True)
