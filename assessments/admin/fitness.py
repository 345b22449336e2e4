"""Admin: fitness tests, standard sets (bands inline, read-only), standard bands with CSV import
(django-import-export; each row validated: a known zone and sex, at least one bound, lower ≤
upper, age_from ≤ age_to), school fitness settings, test events and results. Staff edits here
bypass the services; the pages and API are the audited path."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.admin import ImportExportMixin

from assessments.models import (
    FitnessResult,
    FitnessTest,
    SchoolFitnessSettings,
    StandardBand,
    StandardSet,
    TestEvent,
    Zone,
)


class StandardBandResource(resources.ModelResource):
    """Columns: standard_set (id), measure, sex (F/M), age_from, age_to, zone, lower, upper, unit,
    source_note. Rows are matched on (standard_set, measure, sex, age_from, zone)."""

    class Meta:
        model = StandardBand
        fields = (
            "id",
            "standard_set",
            "measure",
            "sex",
            "age_from",
            "age_to",
            "zone",
            "lower",
            "upper",
            "unit",
            "source_note",
        )
        import_id_fields = ("standard_set", "measure", "sex", "age_from", "zone")
        clean_model_instances = True
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        validate_band(instance)


def validate_band(band) -> None:
    errors = {}
    if band.zone not in Zone.values:
        errors["zone"] = _("Unknown zone.")
    if band.sex not in ("F", "M"):
        errors["sex"] = _("Use F or M.")
    if band.lower is None and band.upper is None:
        errors["lower"] = _("A band needs a lower or an upper bound.")
    if band.lower is not None and band.upper is not None and band.lower > band.upper:
        errors["upper"] = _("The upper bound is below the lower bound.")
    if band.age_to is not None and band.age_to < band.age_from:
        errors["age_to"] = _("The upper age is below the lower age.")
    if errors:
        raise ValidationError(errors)


class StandardBandInline(admin.TabularInline):
    model = StandardBand
    extra = 0
    fields = ["measure", "sex", "age_from", "age_to", "zone", "lower", "upper", "unit"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(FitnessTest)
class FitnessTestAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "school", "component", "unit", "plausible_min", "plausible_max", "active"]
    list_filter = ["component", "active", "is_body_composition"]
    search_fields = ["name", "code"]


@admin.register(StandardSet)
class StandardSetAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "code", "school", "effective_from", "effective_to"]
    search_fields = ["name", "code", "version"]
    inlines = [StandardBandInline]


@admin.register(StandardBand)
class StandardBandAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [StandardBandResource]
    list_display = ["standard_set", "measure", "sex", "age_from", "age_to", "zone", "lower", "upper", "unit"]
    list_filter = ["measure", "sex", "zone"]
    search_fields = ["measure", "standard_set__name"]

    def save_model(self, request, obj, form, change):
        validate_band(obj)
        super().save_model(request, obj, form, change)


@admin.register(SchoolFitnessSettings)
class SchoolFitnessSettingsAdmin(admin.ModelAdmin):
    list_display = ["school", "standard_set", "record_body_composition", "updated_at"]


class FitnessResultInline(admin.TabularInline):
    model = FitnessResult
    extra = 0
    fields = ["student", "test", "value", "zone", "estimated_vo2max"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(TestEvent)
class TestEventAdmin(admin.ModelAdmin):
    list_display = ["name", "pe_class", "date", "window", "status"]
    list_filter = ["status", "window"]
    search_fields = ["name", "pe_class__name"]
    date_hierarchy = "date"
    inlines = [FitnessResultInline]
    raw_id_fields = ["pe_class", "created_by"]


@admin.register(FitnessResult)
class FitnessResultAdmin(admin.ModelAdmin):
    list_display = ["student", "test", "value", "zone", "estimated_vo2max", "age_at_test", "event"]
    list_filter = ["zone", "test"]
    search_fields = ["student__last_name", "student__first_name", "test__code"]
    raw_id_fields = ["event", "student", "recorded_by"]
    readonly_fields = ["age_at_test", "zone", "estimated_vo2max", "standard_set", "classification_note"]
