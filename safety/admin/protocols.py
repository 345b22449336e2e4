"""Admin: safety protocols (with their sign-offs), emergency procedures (with their ordered steps)
and drills. Related rows use raw-id widgets so this module does not depend on other admins."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from safety.models import Drill, EmergencyProcedure, EmergencyStep, ProtocolSignOff, SafetyProtocol
from safety.services.protocols import refresh_drill_dates


class ProtocolSignOffInline(admin.TabularInline):
    model = ProtocolSignOff
    extra = 0
    raw_id_fields = ["signed_by"]
    fields = ["signed_on", "signed_by", "note"]


@admin.register(SafetyProtocol)
class SafetyProtocolAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "school",
        "activity_category",
        "space",
        "supervision_ratio",
        "status",
        "last_reviewed_on",
        "review_due_on",
        "owner",
    ]
    list_filter = ["status", "activity_category", "space", "school"]
    search_fields = ["title", "requirements", "school__name"]
    list_select_related = ["school", "owner"]
    raw_id_fields = ["school", "owner"]
    filter_horizontal = ["protective_equipment"]
    readonly_fields = ["review_due_on", "review_reminded_on", "created_at", "updated_at"]
    inlines = [ProtocolSignOffInline]
    date_hierarchy = "review_due_on"


@admin.register(ProtocolSignOff)
class ProtocolSignOffAdmin(admin.ModelAdmin):
    list_display = ["protocol", "school", "signed_on", "signed_by", "note"]
    list_filter = ["signed_on", "protocol__school"]
    search_fields = ["protocol__title", "note"]
    list_select_related = ["protocol__school", "signed_by"]
    raw_id_fields = ["protocol", "signed_by"]
    date_hierarchy = "signed_on"

    @admin.display(description=_("school"), ordering="protocol__school__name")
    def school(self, obj):
        return obj.protocol.school


class EmergencyStepInline(admin.TabularInline):
    model = EmergencyStep
    extra = 0
    fields = ["order", "role", "instruction"]


@admin.register(EmergencyProcedure)
class EmergencyProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "school",
        "kind",
        "location",
        "drill_interval_days",
        "last_drilled_on",
        "next_drill_due",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "school"]
    search_fields = ["title", "location", "school__name"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
    readonly_fields = ["last_drilled_on", "next_drill_due", "drill_reminded_for", "created_at", "updated_at"]
    inlines = [EmergencyStepInline]


@admin.register(EmergencyStep)
class EmergencyStepAdmin(admin.ModelAdmin):
    list_display = ["procedure", "order", "role", "instruction"]
    list_filter = ["procedure__kind", "procedure__school"]
    search_fields = ["instruction", "role", "procedure__title"]
    list_select_related = ["procedure"]
    raw_id_fields = ["procedure"]


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["procedure", "held_on", "duration_minutes", "participant_count", "recorded_by"]
    list_filter = ["procedure__kind", "procedure__school"]
    search_fields = ["procedure__title", "notes"]
    list_select_related = ["procedure", "recorded_by"]
    raw_id_fields = ["procedure", "participants", "recorded_by"]
    date_hierarchy = "held_on"

    # keep the procedure's last/next drill dates right when staff edit the log here
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_drill_dates(obj.procedure)

    def delete_model(self, request, obj):
        procedure = obj.procedure
        super().delete_model(request, obj)
        refresh_drill_dates(procedure)

    def delete_queryset(self, request, queryset):
        procedures = list(EmergencyProcedure.objects.filter(pk__in=queryset.values("procedure_id")))
        super().delete_queryset(request, queryset)
        for procedure in procedures:
            refresh_drill_dates(procedure)
