"""Admin: adaptation profiles, proposals and their decisions, recommendation feedback, learned
weights. Related rows use raw-id widgets so this module does not depend on the other areas'
admin search configuration."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from physed.models import AdaptationProfile, AdaptationProposal, EngineWeights, RecommendationFeedback


@admin.register(AdaptationProfile)
class AdaptationProfileAdmin(admin.ModelAdmin):
    list_display = ["student", "school", "has_iep", "has_504", "skill_level", "restriction_kinds", "updated_at"]
    list_filter = ["has_iep", "has_504", "skill_level", "student__school"]
    search_fields = ["student__first_name", "student__last_name", "student__external_id"]
    list_select_related = ["student__school"]
    raw_id_fields = ["student", "updated_by"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("school"), ordering="student__school__name")
    def school(self, obj):
        return obj.student.school

    @admin.display(description=_("restrictions"))
    def restriction_kinds(self, obj):
        return ", ".join(item.get("kind", "") for item in obj.restrictions or [])


@admin.register(AdaptationProposal)
class AdaptationProposalAdmin(admin.ModelAdmin):
    list_display = [
        "session",
        "student",
        "kind",
        "direction",
        "score",
        "required",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "kind", "direction", "required", "session__pe_class__school"]
    search_fields = ["student__first_name", "student__last_name", "text", "session__pe_class__name"]
    list_select_related = ["session__pe_class", "student", "decided_by"]
    raw_id_fields = ["session", "block", "activity", "student", "decided_by"]
    readonly_fields = ["factors", "score", "created_at", "updated_at"]
    date_hierarchy = "created_at"


@admin.register(RecommendationFeedback)
class RecommendationFeedbackAdmin(admin.ModelAdmin):
    list_display = ["activity", "pe_class", "action", "score", "actor", "created_at"]
    list_filter = ["action", "pe_class__school"]
    search_fields = ["activity__name", "pe_class__name", "reason"]
    list_select_related = ["activity", "pe_class", "actor"]
    raw_id_fields = ["pe_class", "activity", "session", "actor"]
    date_hierarchy = "created_at"


@admin.register(EngineWeights)
class EngineWeightsAdmin(admin.ModelAdmin):
    list_display = ["school", "engine", "key", "weight", "decisions", "positive", "updated_at"]
    list_filter = ["engine", "school"]
    search_fields = ["key", "school__name"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
