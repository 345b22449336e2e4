"""Admin for the activity area; imported from accounts/admin.py. Events, answers and fits are
records of what happened: read-only here (events are deleted only by the retention task)."""

from django.contrib import admin

from accounts.models import ActivityEvent, ActivitySettings, RiskModelFit, SatisfactionResponse, SchoolActivityPolicy


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActivityEvent)
class ActivityEventAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "user",
        "school",
        "kind",
        "route_group",
        "action",
        "method",
        "status_code",
        "duration_ms",
    )
    list_filter = ("kind", "method", "school")
    search_fields = ("user__email", "route_group", "action")
    list_select_related = ("user", "school")
    date_hierarchy = "occurred_at"
    raw_id_fields = ("user", "school")


@admin.register(ActivitySettings)
class ActivitySettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "tracking_enabled", "updated_at")
    list_filter = ("tracking_enabled",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(SchoolActivityPolicy)
class SchoolActivityPolicyAdmin(admin.ModelAdmin):
    list_display = ("school", "retention_days", "track_student_features", "prompt_interval_days")
    list_filter = ("track_student_features",)
    search_fields = ("school__name",)
    list_select_related = ("school",)


@admin.register(SatisfactionResponse)
class SatisfactionResponseAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "school", "kind", "score", "dismissed")
    list_filter = ("kind", "dismissed", "school")
    search_fields = ("user__email",)
    list_select_related = ("user", "school")
    date_hierarchy = "created_at"


@admin.register(RiskModelFit)
class RiskModelFitAdmin(ReadOnlyAdmin):
    list_display = ("school", "fitted_at", "sample_size", "positives", "training_auc")
    list_filter = ("school",)
    search_fields = ("school__name",)
    list_select_related = ("school",)
    readonly_fields = (
        "school",
        "fitted_at",
        "sample_size",
        "positives",
        "horizon_days",
        "features",
        "means",
        "stds",
        "coefficients",
        "intercept",
        "training_auc",
    )
