"""Admin: roster (students with their guardians and enrollments, classes with meetings, imports).

Student export uses django-import-export (CSV/XLSX of the filtered list). Imports go through the
roster import page/API instead of the admin: they validate per row, make the object grants and
audit the import, which a raw admin import would skip.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin

from accounts.models import School
from physed.models import ClassMeeting, Enrollment, Guardianship, PEClass, RosterImport, Student


class StudentResource(resources.ModelResource):
    school = fields.Field(attribute="school", column_name="school", widget=widgets.ForeignKeyWidget(School, "slug"))

    class Meta:
        model = Student
        fields = (
            "school",
            "external_id",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "grade",
            "status",
        )
        export_order = fields


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    fields = ["name", "relationship", "email", "phone", "is_primary_contact", "guardian"]
    autocomplete_fields = ["guardian"]


class StudentEnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ["pe_class", "start_date", "end_date", "status"]
    autocomplete_fields = ["pe_class"]


@admin.register(Student)
class StudentAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [StudentResource]
    list_display = ["last_name", "first_name", "preferred_name", "grade", "status", "external_id", "school", "user"]
    list_filter = ["school", "status", "grade", "sex"]
    search_fields = ["first_name", "last_name", "preferred_name", "external_id"]
    list_select_related = ["school", "user"]
    autocomplete_fields = ["user", "school"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [GuardianshipInline, StudentEnrollmentInline]
    list_per_page = 50


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["name", "relationship", "student", "email", "phone", "is_primary_contact", "guardian"]
    list_filter = ["relationship", "is_primary_contact", "student__school"]
    search_fields = ["name", "email", "student__first_name", "student__last_name", "student__external_id"]
    list_select_related = ["student", "guardian"]
    autocomplete_fields = ["student", "guardian"]


class ClassMeetingInline(admin.TabularInline):
    model = ClassMeeting
    extra = 0


@admin.register(PEClass)
class PEClassAdmin(admin.ModelAdmin):
    list_display = ["name", "school_year", "term", "grade_from", "grade_to", "capacity", "is_active", "school"]
    list_filter = ["school", "school_year", "term", "is_active", "space"]
    search_fields = ["name", "external_id", "location"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    filter_horizontal = ["teachers"]
    inlines = [ClassMeetingInline]


@admin.register(ClassMeeting)
class ClassMeetingAdmin(admin.ModelAdmin):
    list_display = ["pe_class", "weekday", "start_time", "end_time", "period"]
    list_filter = ["weekday", "pe_class__school"]
    search_fields = ["pe_class__name", "period"]
    list_select_related = ["pe_class"]
    autocomplete_fields = ["pe_class"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "pe_class", "start_date", "end_date", "status"]
    list_filter = ["status", "pe_class__school", "pe_class__school_year"]
    search_fields = ["student__first_name", "student__last_name", "student__external_id", "pe_class__name"]
    list_select_related = ["student", "pe_class"]
    autocomplete_fields = ["student", "pe_class"]
    date_hierarchy = "start_date"


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "school", "kind", "status", "created_by", "applied_at", "counts"]
    list_filter = ["kind", "status", "school"]
    search_fields = ["created_by__email", "school__name"]
    list_select_related = ["school", "created_by"]
    readonly_fields = [f.name for f in RosterImport._meta.fields if f.name != "payload"]
    exclude = ["payload"]

    @admin.display(description=_("counts"))
    def counts(self, obj):
        summary = obj.summary or {}
        return ", ".join(f"{key} {value}" for key, value in summary.items())

    def has_add_permission(self, request):
        return False
