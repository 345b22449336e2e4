"""Admin: equipment items (with their inspections and maintenance inline, read-only), inspections
and maintenance records. Staff edits here bypass the services; the pages and API are the
audited path."""

from django.contrib import admin

from safety.models import EquipmentItem, Inspection, MaintenanceRecord


class InspectionInline(admin.TabularInline):
    model = Inspection
    extra = 0
    fields = ["inspected_on", "kind", "outcome", "inspector", "next_due"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


class MaintenanceInline(admin.TabularInline):
    model = MaintenanceRecord
    extra = 0
    fields = ["performed_on", "kind", "description", "cost", "returns_to_service"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(EquipmentItem)
class EquipmentItemAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "equipment_type", "location", "quantity", "status", "next_inspection_due"]
    list_filter = ["status", "school", "equipment_type"]
    search_fields = ["name", "asset_tag", "location", "equipment_type__name"]
    list_select_related = ["school", "equipment_type"]
    raw_id_fields = ["school", "equipment_type"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [InspectionInline, MaintenanceInline]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "inspected_on", "outcome", "inspector", "next_due"]
    list_filter = ["kind", "outcome", "item__school"]
    search_fields = ["item__name", "item__asset_tag", "notes"]
    list_select_related = ["item", "inspector"]
    raw_id_fields = ["item", "inspector"]
    date_hierarchy = "inspected_on"
    readonly_fields = ["created_at"]


@admin.register(MaintenanceRecord)
class MaintenanceRecordAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "performed_on", "cost", "returns_to_service", "performed_by"]
    list_filter = ["kind", "returns_to_service", "item__school"]
    search_fields = ["item__name", "item__asset_tag", "description", "performed_by"]
    list_select_related = ["item"]
    raw_id_fields = ["item", "recorded_by"]
    date_hierarchy = "performed_on"
    readonly_fields = ["created_at"]
