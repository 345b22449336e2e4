"""Admin: badge definitions and awards (awards read-only: they come from the rules)."""

from django.contrib import admin

from progress.models import Achievement, AchievementDefinition


@admin.register(AchievementDefinition)
class AchievementDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "school", "icon", "active"]
    list_filter = ["active", "icon", "school"]
    search_fields = ["name", "code", "description"]
    raw_id_fields = ["school"]

    def save_model(self, request, obj, form, change):
        from django.core.exceptions import ValidationError

        from progress.engines.achievements import validate_rule

        errors = validate_rule(obj.rule)
        if errors:
            raise ValidationError(errors)
        super().save_model(request, obj, form, change)


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["definition", "student", "awarded_on"]
    list_filter = ["definition"]
    search_fields = ["definition__name", "student__first_name", "student__last_name"]
    list_select_related = ["definition", "student"]
    raw_id_fields = ["definition", "student"]
    readonly_fields = ["definition", "student", "awarded_on", "evidence", "created_at"]
