"""Admin: progress reports and report batches (jobs). Staff edits here bypass the services; the
pages and API are the audited path (generate, edit, publish)."""

from django.contrib import admin

from assessments.models import ProgressReport, ReportBatch


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = [
        "student",
        "pe_class",
        "school_year",
        "term",
        "status",
        "period_start",
        "period_end",
        "published_at",
    ]
    list_filter = ["status", "term", "school_year", "student__school"]
    search_fields = ["student__first_name", "student__last_name", "pe_class__name"]
    list_select_related = ["student", "pe_class"]
    raw_id_fields = ["student", "pe_class", "created_by", "published_by"]
    readonly_fields = ["data", "generated_en", "generated_es", "generated_at", "published_at", "updated_at"]
    date_hierarchy = "period_end"


@admin.register(ReportBatch)
class ReportBatchAdmin(admin.ModelAdmin):
    list_display = ["pe_class", "school_year", "term", "status", "progress", "done", "total", "created_at"]
    list_filter = ["status", "term", "pe_class__school"]
    search_fields = ["pe_class__name", "error"]
    list_select_related = ["pe_class"]
    raw_id_fields = ["pe_class", "requested_by"]
    readonly_fields = ["status", "progress", "done", "total", "error", "created_at", "finished_at"]
