"""Serializers of the privacy API: export jobs, erasure requests, imports, retention."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import DataExportJob, ErasureLedger, ErasureRequest, RetentionPolicy, School
from accounts.privacy import registry
from config.api.serializers import StrictSerializer


class DataExportJobSerializer(serializers.ModelSerializer):
    result_url = serializers.SerializerMethodField(help_text=_("Where to download the archive once done."))
    kind = serializers.SerializerMethodField()
    error = serializers.CharField(
        source="error_message", read_only=True, help_text=_("Why the export failed (empty unless it failed).")
    )

    class Meta:
        model = DataExportJob
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "subject",
            "size_bytes",
            "created_at",
            "finished_at",
            "expires_at",
            "result_url",
            "error",
        ]
        read_only_fields = fields

    def get_kind(self, obj) -> str:
        return "data_export"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_result_url(self, obj) -> str | None:
        if not obj.is_downloadable:
            return None
        url = reverse("privacy-job-download", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ErasureLedgerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErasureLedger
        fields = ["model", "action", "rows", "retained_reason"]
        read_only_fields = fields


class ErasureRequestSerializer(serializers.ModelSerializer):
    ledger = ErasureLedgerSerializer(many=True, read_only=True)

    class Meta:
        model = ErasureRequest
        fields = [
            "id",
            "school",
            "subject",
            "requested_by",
            "reason",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "completed_at",
            "created_at",
            "ledger",
        ]
        read_only_fields = fields


class ErasureRequestCreateSerializer(StrictSerializer):
    school = serializers.IntegerField(
        required=False, help_text=_("One of your schools (defaults to your main school); others are a 404.")
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ErasureDecisionSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MemberExportSerializer(StrictSerializer):
    school = serializers.IntegerField(required=False, help_text=_("The school the request came through."))


class ImportRequestSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text=_("CSV, UTF-8: external_id,email,first_name,last_name,role[,valid_from,valid_until]")
    )
    dry_run = serializers.BooleanField(default=True, help_text=_("Validate only (default); false writes if valid."))


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    external_id = serializers.CharField()
    email = serializers.CharField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", ""])
    errors = serializers.ListField(child=serializers.CharField())


class ImportSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    file_errors = serializers.ListField(child=serializers.CharField())
    summary = ImportSummarySerializer()
    rows = ImportRowSerializer(many=True)


class RetentionPolicySerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=[])

    class Meta:
        model = RetentionPolicy
        fields = ["id", "school", "category", "keep_days", "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = sorted({entry.category for entry in registry.retention_entries()})
        request = self.context.get("request")
        if "school" in self.fields and not self.fields["school"].read_only:
            self.fields["school"].queryset = School.objects.visible_to(request.user if request else None)


class RetentionPolicyUpdateSerializer(StrictSerializer):
    keep_days = serializers.IntegerField(min_value=1, max_value=36500)


class RetentionPolicyCreateSerializer(StrictSerializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    category = serializers.ChoiceField(choices=[])
    keep_days = serializers.IntegerField(min_value=1, max_value=36500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = sorted({entry.category for entry in registry.retention_entries()})
        request = self.context.get("request")
        self.fields["school"].queryset = School.objects.visible_to(request.user if request else None)


class RetentionReportRowSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    category = serializers.CharField()
    model = serializers.CharField()
    keep_days = serializers.IntegerField()
    due = serializers.IntegerField()
