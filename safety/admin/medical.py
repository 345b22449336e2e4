"""Admin: medical profiles with their conditions, medications, restrictions and contacts inline,
and each list on its own for platform staff searching across profiles. Related rows use raw-id
widgets so this module does not depend on other areas' admin search configuration."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from safety.models import ActivityRestriction, EmergencyContact, MedicalCondition, MedicalProfile, Medication


class ConditionInline(admin.TabularInline):
    model = MedicalCondition
    extra = 0


class MedicationInline(admin.TabularInline):
    model = Medication
    extra = 0


class RestrictionInline(admin.TabularInline):
    model = ActivityRestriction
    extra = 0


class ContactInline(admin.TabularInline):
    model = EmergencyContact
    extra = 0


@admin.register(MedicalProfile)
class MedicalProfileAdmin(admin.ModelAdmin):
    list_display = ["student", "school", "condition_kinds", "has_action_plan", "reviewed_on", "updated_at"]
    list_filter = ["conditions__kind", "reviewed_on", "student__school"]
    search_fields = ["student__first_name", "student__last_name", "student__external_id"]
    list_select_related = ["student__school"]
    raw_id_fields = ["student", "updated_by"]
    readonly_fields = ["action_plan_content_type", "action_plan_size", "created_at", "updated_at"]
    inlines = [ConditionInline, MedicationInline, RestrictionInline, ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    @admin.display(description=_("school"), ordering="student__school__name")
    def school(self, obj):
        return obj.student.school

    @admin.display(description=_("conditions"))
    def condition_kinds(self, obj):
        return ", ".join(str(c.get_kind_display()) for c in obj.conditions.all())

    @admin.display(description=_("action plan"), boolean=True)
    def has_action_plan(self, obj):
        return bool(obj.action_plan)


class ProfileChildAdmin(admin.ModelAdmin):
    search_fields = ["profile__student__first_name", "profile__student__last_name"]
    list_select_related = ["profile__student"]
    raw_id_fields = ["profile"]


@admin.register(MedicalCondition)
class MedicalConditionAdmin(ProfileChildAdmin):
    list_display = ["profile", "kind", "name", "trigger", "severity", "occurred_on"]
    list_filter = ["kind", "severity", "profile__student__school"]
    search_fields = [*ProfileChildAdmin.search_fields, "name", "trigger"]


@admin.register(Medication)
class MedicationAdmin(ProfileChildAdmin):
    list_display = ["profile", "name", "dose", "schedule", "location"]
    list_filter = ["schedule", "location", "profile__student__school"]
    search_fields = [*ProfileChildAdmin.search_fields, "name"]


@admin.register(ActivityRestriction)
class ActivityRestrictionAdmin(ProfileChildAdmin):
    list_display = ["profile", "kind", "start_date", "end_date", "documented_by"]
    list_filter = ["kind", "profile__student__school"]
    date_hierarchy = "start_date"


@admin.register(EmergencyContact)
class EmergencyContactAdmin(ProfileChildAdmin):
    list_display = ["profile", "name", "relationship", "phone", "priority"]
    list_filter = ["profile__student__school"]
    search_fields = [*ProfileChildAdmin.search_fields, "name", "phone"]
