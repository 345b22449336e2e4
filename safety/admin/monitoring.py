"""Admin: live safety alerts and the schools' risk models (read-mostly: alerts are raised by the
panel and the task, models by the fit)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from safety.models import RiskModel, SafetyAlert


@admin.register(SafetyAlert)
class SafetyAlertAdmin(admin.ModelAdmin):
    list_display = ["message", "school", "session", "kind", "level", "created_at", "acknowledged_by", "acknowledged_at"]
    list_filter = ["level", "kind", "session__pe_class__school"]
    search_fields = ["message", "key", "session__pe_class__name"]
    list_select_related = ["session__pe_class__school", "acknowledged_by"]
    raw_id_fields = ["session", "student", "acknowledged_by"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"

    @admin.display(description=_("school"), ordering="session__pe_class__school__name")
    def school(self, obj):
        return obj.session.pe_class.school


@admin.register(RiskModel)
class RiskModelAdmin(admin.ModelAdmin):
    list_display = ["school", "method", "sessions", "incidents", "exposure_hours", "deviance", "fitted_at"]
    list_filter = ["method", "school"]
    search_fields = ["school__name", "notes"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
    readonly_fields = ["fitted_at"]
