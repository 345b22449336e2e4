"""Admin: library. Platform staff edit the shipped library here (the only place it is writable);
``manage.py load_library`` and every migrate bring shipped rows back to ``physed/data``, so lasting
changes to shipped content belong in the data files."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from physed.models import Activity, EquipmentType, Exercise, GradeSpanIndicator, MuscleGroup, PEStandard


class ShippedFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("shipped", _("Shipped library")), ("school", _("A school's own"))]

    def queryset(self, request, queryset):
        if self.value() == "shipped":
            return queryset.filter(school__isnull=True)
        if self.value() == "school":
            return queryset.filter(school__isnull=False)
        return queryset


@admin.register(EquipmentType)
class EquipmentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MuscleGroup)
class MuscleGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class IndicatorInline(admin.TabularInline):
    model = GradeSpanIndicator
    extra = 0
    fields = ["code", "grade_band", "content_category", "description", "is_paraphrase", "source"]


@admin.register(PEStandard)
class PEStandardAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "source"]
    search_fields = ["short_name", "summary"]
    inlines = [IndicatorInline]


@admin.register(GradeSpanIndicator)
class GradeSpanIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "standard", "grade_band", "content_category", "is_paraphrase"]
    list_filter = ["standard", "grade_band", "is_paraphrase", "content_category"]
    search_fields = ["code", "description", "content_category"]
    list_select_related = ["standard"]
    autocomplete_fields = ["standard"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "category", "difficulty", "intensity", "space", "risk_level", "duration_minutes"]
    list_filter = [
        ShippedFilter,
        "category",
        "difficulty",
        "intensity",
        "space",
        "contact_level",
        "risk_level",
        "school",
    ]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["school"]
    autocomplete_fields = ["school", "created_by"]
    filter_horizontal = ["equipment", "standards", "indicators"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["school", "slug", "name", "description", "category", "created_by"]}),
        (
            _("Fit"),
            {
                "fields": [
                    "difficulty",
                    ("min_group_size", "max_group_size"),
                    "duration_minutes",
                    "space",
                    "intensity",
                    "contact_level",
                    "risk_level",
                    "grade_bands",
                    "skills",
                    "fitness_components",
                    "equipment",
                ]
            },
        ),
        (_("Standards"), {"fields": ["standards", "indicators"]}),
        (_("Teaching"), {"fields": ["instructions", "teaching_cues", "modifications", "progressions"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "school",
        "category",
        "difficulty",
        "default_sets",
        "default_reps",
        "default_duration_seconds",
    ]
    list_filter = [ShippedFilter, "category", "difficulty", "primary_muscles", "school"]
    search_fields = ["name", "slug", "instructions"]
    list_select_related = ["school"]
    autocomplete_fields = ["school", "created_by"]
    filter_horizontal = ["primary_muscles", "secondary_muscles", "equipment"]
    readonly_fields = ["created_at", "updated_at"]
