"""Admin: goals (milestones inline), milestones and progress entries. Staff edits here bypass the
services (no validation, audit or hooks); the pages and API are the audited path."""

from django.contrib import admin

from progress.models import Goal, Milestone, ProgressEntry


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "target_value", "due_date", "reached_at", "reached_value"]
    readonly_fields = ["reached_at", "reached_value"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "student", "pe_class", "metric_key", "status", "deadline"]
    list_filter = ["status", "proposed_by_student", "school"]
    search_fields = ["title", "metric_key", "student__first_name", "student__last_name", "pe_class__name"]
    list_select_related = ["school", "student", "pe_class"]
    raw_id_fields = ["school", "student", "pe_class", "created_by", "approved_by"]
    date_hierarchy = "deadline"
    readonly_fields = ["created_at", "updated_at", "approved_at", "achieved_at"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "goal", "target_value", "due_date", "reached_at"]
    search_fields = ["title", "goal__title"]
    list_select_related = ["goal"]
    raw_id_fields = ["goal"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(admin.ModelAdmin):
    list_display = ["student", "metric_key", "value", "date", "zone", "source"]
    list_filter = ["source", "school"]
    search_fields = ["metric_key", "student__first_name", "student__last_name", "source_id", "group_key"]
    list_select_related = ["student"]
    raw_id_fields = ["school", "student", "recorded_by"]
    date_hierarchy = "date"
    readonly_fields = ["created_at"]
