"""Admin: environment rule sets (shipped rows and schools' own), readings and the schools' safety
settings. Rule sets are validated by the model's ``clean`` (the rules engine's checks)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from safety.models import EnvironmentReading, EnvironmentRuleSet, SafetySettings


@admin.register(EnvironmentRuleSet)
class EnvironmentRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "school", "region", "version", "shipped", "updated_at"]
    list_filter = ["school", "region"]
    search_fields = ["name", "code", "region", "description"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "based_on"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("shipped"), boolean=True)
    def shipped(self, obj):
        return obj.is_shipped


@admin.register(EnvironmentReading)
class EnvironmentReadingAdmin(admin.ModelAdmin):
    list_display = [
        "recorded_at",
        "school",
        "space",
        "temperature_c",
        "relative_humidity",
        "heat_index_c",
        "wbgt_c",
        "aqi",
        "wind_chill_c",
        "lightning",
        "source",
    ]
    list_filter = ["source", "space", "lightning", "precipitation", "school"]
    search_fields = ["location", "provider", "school__name"]
    list_select_related = ["school", "recorded_by"]
    raw_id_fields = ["school", "recorded_by"]
    readonly_fields = ["heat_index_c", "wind_chill_c", "created_at"]
    date_hierarchy = "recorded_at"


@admin.register(SafetySettings)
class SafetySettingsAdmin(admin.ModelAdmin):
    list_display = ["school", "rule_set", "reading_max_age_minutes", "default_supervision_ratio", "updated_at"]
    list_filter = ["rule_set"]
    search_fields = ["school__name"]
    list_select_related = ["school", "rule_set"]
    raw_id_fields = ["school", "rule_set"]
