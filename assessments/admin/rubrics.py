"""Admin: rubrics (criteria, levels and descriptors inline), skill assessments (scores and
evidence inline, read-only). Staff edits here bypass the services; the pages and API are the
audited path."""

from django.contrib import admin

from assessments.models import (
    CriterionScore,
    EvidenceFile,
    LevelDescriptor,
    PerformanceLevel,
    Rubric,
    RubricCriterion,
    SkillAssessment,
)


class CriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0
    fields = ["position", "name", "weight", "description"]


class LevelInline(admin.TabularInline):
    model = PerformanceLevel
    extra = 0
    fields = ["position", "name", "points"]


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "owner", "shared", "peer_mode", "archived", "updated_at"]
    list_filter = ["shared", "peer_mode", "archived", "school"]
    search_fields = ["title", "description"]
    list_select_related = ["school", "owner"]
    raw_id_fields = ["school", "owner", "activity"]
    filter_horizontal = ["standards", "indicators"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CriterionInline, LevelInline]


@admin.register(RubricCriterion)
class RubricCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "rubric", "weight", "position"]
    search_fields = ["name", "rubric__title"]
    list_select_related = ["rubric"]
    raw_id_fields = ["rubric"]
    filter_horizontal = ["indicators"]


@admin.register(PerformanceLevel)
class PerformanceLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "rubric", "points", "position"]
    search_fields = ["name", "rubric__title"]
    list_select_related = ["rubric"]
    raw_id_fields = ["rubric"]


@admin.register(LevelDescriptor)
class LevelDescriptorAdmin(admin.ModelAdmin):
    list_display = ["criterion", "level", "text"]
    search_fields = ["text", "criterion__name", "criterion__rubric__title"]
    list_select_related = ["criterion", "level"]
    raw_id_fields = ["criterion", "level"]


class ScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    fields = ["criterion", "level", "points", "note"]
    readonly_fields = fields
    can_delete = False


class EvidenceInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    fields = ["original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(SkillAssessment)
class SkillAssessmentAdmin(admin.ModelAdmin):
    list_display = ["rubric", "student", "mode", "date", "score", "assessor"]
    list_filter = ["mode", "date"]
    search_fields = ["rubric__title", "student__first_name", "student__last_name"]
    list_select_related = ["rubric", "student", "assessor"]
    raw_id_fields = ["rubric", "student", "pe_class", "session", "assessor", "peer"]
    readonly_fields = ["score", "created_at", "updated_at"]
    inlines = [ScoreInline, EvidenceInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(admin.ModelAdmin):
    list_display = ["assessment", "criterion", "level", "points"]
    list_select_related = ["assessment__rubric", "assessment__student", "criterion", "level"]
    raw_id_fields = ["assessment", "criterion", "level"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """Metadata only: the file itself is private and read through the audited download view."""

    list_display = ["original_name", "assessment", "content_type", "size_bytes", "uploaded_at"]
    search_fields = ["original_name"]
    list_select_related = ["assessment__rubric", "assessment__student"]
    raw_id_fields = ["assessment", "uploaded_by"]
    readonly_fields = ["file", "original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at"]
