"""Admin: sessions, blocks, attendance, the metric registry and results.

Cross-area foreign keys (class, student, activity, exercise) use raw id widgets so this module
does not depend on how other areas' admins are set up; sessions and metrics autocomplete."""

from django.contrib import admin

from physed.models import AttendanceRecord, ClassSession, MetricType, PerformanceResult, SessionBlock


class SessionBlockInline(admin.TabularInline):
    model = SessionBlock
    extra = 0
    fields = ["order", "activity", "exercise", "planned_minutes", "notes"]
    raw_id_fields = ["activity", "exercise"]
    ordering = ["order"]


@admin.register(ClassSession)
class ClassSessionAdmin(admin.ModelAdmin):
    list_display = ["date", "start_time", "pe_class", "title", "status", "created_by"]
    list_filter = ["status", "date", "pe_class__school"]
    search_fields = ["title", "notes", "pe_class__name"]
    list_select_related = ["pe_class", "created_by"]
    raw_id_fields = ["pe_class", "created_by"]
    date_hierarchy = "date"
    readonly_fields = ["created_at"]
    inlines = [SessionBlockInline]


@admin.register(SessionBlock)
class SessionBlockAdmin(admin.ModelAdmin):
    list_display = ["session", "order", "activity", "exercise", "planned_minutes"]
    list_filter = ["session__pe_class__school"]
    search_fields = ["session__title", "session__pe_class__name", "activity__name", "exercise__name", "notes"]
    list_select_related = ["session__pe_class", "activity", "exercise"]
    autocomplete_fields = ["session"]
    raw_id_fields = ["activity", "exercise"]


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(admin.ModelAdmin):
    list_display = ["session", "student", "status", "minutes_late", "recorded_by", "recorded_at"]
    list_filter = ["status", "session__date", "session__pe_class__school"]
    search_fields = ["student__first_name", "student__last_name", "student__external_id", "session__pe_class__name"]
    list_select_related = ["session__pe_class", "student", "recorded_by"]
    autocomplete_fields = ["session"]
    raw_id_fields = ["student", "recorded_by"]
    readonly_fields = ["recorded_at"]


@admin.register(MetricType)
class MetricTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "value_kind", "higher_is_better", "min_value", "max_value", "school"]
    list_filter = ["value_kind", "higher_is_better", "fitness_component", ("school", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name", "description"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]


@admin.register(PerformanceResult)
class PerformanceResultAdmin(admin.ModelAdmin):
    list_display = ["session", "student", "metric", "value", "recorded_by", "recorded_at"]
    list_filter = ["metric", "session__date", "session__pe_class__school"]
    search_fields = ["student__first_name", "student__last_name", "metric__code", "session__pe_class__name"]
    list_select_related = ["session__pe_class", "student", "metric", "recorded_by"]
    autocomplete_fields = ["session", "metric"]
    raw_id_fields = ["student", "block", "recorded_by"]
    readonly_fields = ["recorded_at"]
