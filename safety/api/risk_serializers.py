"""Serializers for risk assessments (hazards nested; replaced as a whole on write) and risk bands."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import School, User
from config.api.serializers import StrictBooleanField, StrictModelSerializer, StrictSerializer
from physed.models import Activity, PEClass
from safety.models import Hazard, RiskAssessment, RiskBand
from safety.selectors import risk as selectors

LEVEL = {"min_value": 1, "max_value": 5}


class HazardSerializer(StrictModelSerializer):
    """One hazard: likelihood and severity 1–5 before and after the controls. ``score``,
    ``residual_score`` and the bands are computed."""

    likelihood = serializers.IntegerField(**LEVEL)
    severity = serializers.IntegerField(**LEVEL)
    residual_likelihood = serializers.IntegerField(**LEVEL)
    residual_severity = serializers.IntegerField(**LEVEL)
    score = serializers.IntegerField(read_only=True)
    residual_score = serializers.IntegerField(read_only=True)
    band = serializers.CharField(read_only=True, allow_null=True, default=None, help_text=_("Band key of the score."))
    residual_band = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "order",
            "description",
            "who_at_risk",
            "likelihood",
            "severity",
            "controls",
            "residual_likelihood",
            "residual_severity",
            "score",
            "residual_score",
            "band",
            "residual_band",
        ]
        read_only_fields = ["id", "order"]

    def validate(self, attrs):
        # hazards replace the existing ones, so each is complete even in a PATCH (whose partial
        # validation would otherwise let a hazard's required fields be left out)
        missing = {
            name: [field.error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        initial = attrs["likelihood"] * attrs["severity"]
        residual = attrs["residual_likelihood"] * attrs["residual_severity"]
        if residual > initial:
            raise serializers.ValidationError(
                _("The residual risk (%(residual)d) cannot be higher than the risk before controls (%(initial)d).")
                % {"residual": residual, "initial": initial}
            )
        return attrs


class SummarySerializer(serializers.Serializer):
    highest_initial = serializers.IntegerField(allow_null=True)
    highest_residual = serializers.IntegerField(allow_null=True)
    initial_band = serializers.CharField(allow_null=True)
    residual_band = serializers.CharField(allow_null=True)
    required_action = serializers.CharField(allow_blank=True)
    may_proceed = serializers.BooleanField()
    heat_map = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text=_("Residual positions: heat_map[likelihood − 1][severity − 1] = number of hazards."),
    )


class RiskAssessmentSerializer(StrictModelSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed only if you belong to several schools.")
    )
    activity = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all(), required=False, allow_null=True)
    pe_class = ScopedPrimaryKeyRelatedField(queryset=PEClass.objects.all(), required=False, allow_null=True)
    owner = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text=_("A staff member of the school (default: you).")
    )
    hazards = HazardSerializer(many=True, required=False)
    activity_name = serializers.CharField(source="activity.name", read_only=True, allow_null=True, default=None)
    class_name = serializers.CharField(source="pe_class.name", read_only=True, allow_null=True, default=None)
    owner_name = serializers.SerializerMethodField()
    due_for_review = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "school",
            "title",
            "subject",
            "activity",
            "activity_name",
            "pe_class",
            "class_name",
            "venue",
            "event_name",
            "event_date",
            "description",
            "owner",
            "owner_name",
            "review_date",
            "status",
            "due_for_review",
            "hazards",
            "summary",
            "created_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "created_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["school"].read_only = True
        return fields

    def get_owner_name(self, obj) -> str | None:
        return (obj.owner.get_full_name() or obj.owner.email) if obj.owner_id else None

    def get_due_for_review(self, obj) -> bool:
        return obj.is_due_for_review()

    def _summary(self, obj):
        cache = self.context.setdefault("band_cache", selectors.BandCache())
        key = ("summary", obj.pk, obj.updated_at)
        memo = self.context.setdefault("summaries", {})
        if key not in memo:
            memo[key] = selectors.summary_for(obj, cache(obj.school_id))
        return memo[key]

    @extend_schema_field(SummarySerializer)
    def get_summary(self, obj):
        summary = self._summary(obj)
        band = summary.residual_band
        return {
            "highest_initial": summary.highest_initial,
            "highest_residual": summary.highest_residual,
            "initial_band": summary.initial_band.code if summary.initial_band else None,
            "residual_band": band.code if band else None,
            "required_action": band.required_action if band else "",
            "may_proceed": summary.may_proceed,
            "heat_map": summary.residual_heat_map,
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        summary = self._summary(instance)
        for row, result in zip(data.get("hazards", []), summary.hazards, strict=False):
            row["score"], row["residual_score"] = result.score, result.residual_score
            row["band"] = result.band.code if result.band else None
            row["residual_band"] = result.residual_band.code if result.residual_band else None
        return data


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReturnSerializer(StrictSerializer):
    note = serializers.CharField(max_length=500, help_text=_("What needs to change."))


class RiskBandSerializer(serializers.ModelSerializer):
    is_default = serializers.SerializerMethodField()

    class Meta:
        model = RiskBand
        fields = [
            "id",
            "school",
            "is_default",
            "code",
            "name",
            "min_score",
            "max_score",
            "colour",
            "required_action",
            "activity_allowed",
            "source",
        ]
        read_only_fields = fields

    def get_is_default(self, obj) -> bool:
        return obj.school_id is None


class BandWriteSerializer(StrictSerializer):
    code = serializers.SlugField(max_length=30)
    name = serializers.CharField(max_length=60)
    min_score = serializers.IntegerField(min_value=1, max_value=25)
    max_score = serializers.IntegerField(min_value=1, max_value=25)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, max_length=7)
    required_action = serializers.CharField(max_length=2000)
    activity_allowed = StrictBooleanField(required=False)


class ReplaceBandsSerializer(StrictSerializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, help_text=_("Needed only if you belong to several schools.")
    )
    bands = BandWriteSerializer(
        many=True, allow_empty=True, max_length=25, help_text=_("The whole set; an empty list restores the defaults.")
    )
