"""Admin: incidents. Reports are never deleted (no delete permission on any incident model);
amendments are read-only history."""

from django.contrib import admin

from safety.models import GuardianNotice, Incident, IncidentAction, IncidentAmendment, IncidentStudent


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class IncidentStudentInline(admin.TabularInline):
    model = IncidentStudent
    extra = 0
    raw_id_fields = ["student"]
    can_delete = False


class IncidentActionInline(admin.TabularInline):
    model = IncidentAction
    extra = 0
    raw_id_fields = ["owner", "completed_by"]
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(NoDeleteAdmin):
    list_display = ["reference", "school", "kind", "severity", "status", "occurred_at", "location", "reported_by"]
    list_filter = ["status", "kind", "severity", "space", "school"]
    search_fields = ["reference", "location", "description"]
    list_select_related = ["school", "reported_by"]
    raw_id_fields = ["school", "pe_class", "session", "activity", "reported_by", "equipment", "staff_present"]
    readonly_fields = ["reference", "created_at", "updated_at", "closed_at"]
    date_hierarchy = "occurred_at"
    inlines = [IncidentStudentInline, IncidentActionInline]


@admin.register(IncidentStudent)
class IncidentStudentAdmin(NoDeleteAdmin):
    list_display = ["incident", "student", "injured", "body_area", "injury_type"]
    list_filter = ["injured", "body_area", "injury_type", "incident__school"]
    search_fields = ["incident__reference", "student__first_name", "student__last_name"]
    list_select_related = ["incident", "student"]
    raw_id_fields = ["incident", "student"]


@admin.register(IncidentAction)
class IncidentActionAdmin(NoDeleteAdmin):
    list_display = ["description", "incident", "owner", "due_date", "completed_at"]
    list_filter = ["incident__school"]
    search_fields = ["description", "incident__reference"]
    list_select_related = ["incident", "owner"]
    raw_id_fields = ["incident", "owner", "completed_by"]
    date_hierarchy = "due_date"


@admin.register(IncidentAmendment)
class IncidentAmendmentAdmin(NoDeleteAdmin):
    list_display = ["incident", "kind", "author", "reason", "created_at"]
    list_filter = ["kind", "incident__school"]
    search_fields = ["incident__reference", "reason"]
    list_select_related = ["incident", "author"]
    raw_id_fields = ["incident", "author"]
    readonly_fields = ["incident", "kind", "author", "reason", "changes", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GuardianNotice)
class GuardianNoticeAdmin(NoDeleteAdmin):
    list_display = ["subject", "incident", "student", "language", "sent_at"]
    list_filter = ["language", "incident__school"]
    search_fields = ["subject", "incident__reference", "student__last_name"]
    list_select_related = ["incident", "student"]
    raw_id_fields = ["incident", "student", "created_by"]
