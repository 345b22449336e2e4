"""Admin for the privacy area; imported from accounts/admin.py.

The roster/staff import in the admin uses django-import-export (``RosterResource``): a dry run
shows each row's action, the confirm step writes. Validation is the same code as the page/API
import (``accounts.privacy.importer``): a file with any error is refused as a whole.
"""

import csv
import io

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from accounts.models import DataExportJob, ErasureLedger, ErasureRequest, PersonExternalId, RetentionPolicy, School
from accounts.privacy import importer

COLUMNS = ("school", *importer.REQUIRED_COLUMNS, *importer.OPTIONAL_COLUMNS)


class RosterResource(resources.ModelResource):
    """CSV columns: school (slug), external_id, email, first_name, last_name, role, valid_from,
    valid_until. Idempotent by (school, external_id)."""

    school = fields.Field(attribute="school", column_name="school", widget=widgets.ForeignKeyWidget(School, "slug"))
    external_id = fields.Field(attribute="external_id", column_name="external_id")
    email = fields.Field(column_name="email", readonly=True)
    first_name = fields.Field(column_name="first_name", readonly=True)
    last_name = fields.Field(column_name="last_name", readonly=True)
    role = fields.Field(column_name="role", readonly=True)

    class Meta:
        model = PersonExternalId
        fields = ("school", "external_id", "email", "first_name", "last_name", "role")
        import_id_fields = ("school", "external_id")
        skip_unchanged = False
        clean_model_instances = False

    def dehydrate_email(self, obj):
        return obj.user.email

    def dehydrate_first_name(self, obj):
        return obj.user.first_name

    def dehydrate_last_name(self, obj):
        return obj.user.last_name

    def dehydrate_role(self, obj):
        membership = obj.user.memberships.filter(school=obj.school).order_by("pk").first()
        return membership.role if membership else ""

    def before_import(self, dataset, **kwargs):
        """Validates the whole file per school with the shared importer; any error refuses it."""
        self._planned = {}
        headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
        if "school" not in headers:
            raise ValidationError(_("Missing columns: %(columns)s.") % {"columns": "school"})
        by_school: dict[str, list[dict]] = {}
        for values in dataset.dict:
            row = {str(k or "").strip().lower(): ("" if v is None else str(v)) for k, v in values.items()}
            by_school.setdefault(row.get("school", "").strip(), []).append(row)
        problems = []
        for slug, rows in by_school.items():
            school = School.objects.filter(slug=slug).first()
            if school is None:
                problems.append(_("Unknown school “%(slug)s”.") % {"slug": slug})
                continue
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=[h for h in headers if h != "school"], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
            report = importer.parse(buffer.getvalue().encode(), school=school, dry_run=True)
            problems += report.file_errors
            for result in report.rows:
                problems += [f"{slug} #{result.external_id}: {error}" for error in result.errors]
                self._planned[(school.pk, result.external_id)] = (school, result)
        if problems:
            raise ValidationError(problems)

    def save_instance(self, instance, is_create, row, **kwargs):
        school, result = self._planned[(instance.school_id, instance.external_id)]
        user = importer.apply_row(result, school=school)
        link = PersonExternalId.objects.get(school=school, external_id=instance.external_id)
        instance.pk, instance.user, instance.created_at = link.pk, user, link.created_at


@admin.register(PersonExternalId)
class PersonExternalIdAdmin(ImportExportModelAdmin):
    resource_classes = [RosterResource]
    list_display = ["external_id", "user", "school", "created_at"]
    list_filter = ["school"]
    search_fields = ["external_id", "user__email"]
    list_select_related = ["user", "school"]
    raw_id_fields = ["user"]


@admin.register(DataExportJob)
class DataExportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "requested_by", "school", "status", "progress", "created_at", "expires_at"]
    list_filter = ["status", "school"]
    search_fields = ["subject__email", "requested_by__email"]
    list_select_related = ["subject", "requested_by", "school"]
    readonly_fields = [f.name for f in DataExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ErasureLedgerInline(admin.TabularInline):
    model = ErasureLedger
    extra = 0
    can_delete = False
    readonly_fields = ["model", "action", "rows", "retained_reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "school", "requested_by", "status", "created_at", "completed_at"]
    list_filter = ["status", "school"]
    search_fields = ["subject__email"]
    list_select_related = ["subject", "school", "requested_by"]
    readonly_fields = [f.name for f in ErasureRequest._meta.fields]
    inlines = [ErasureLedgerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureLedger)
class ErasureLedgerAdmin(admin.ModelAdmin):
    list_display = ["request", "model", "action", "rows", "retained_reason"]
    list_filter = ["action", "model"]
    search_fields = ["model"]
    readonly_fields = ["request", "model", "action", "rows", "retained_reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["school", "category", "keep_days", "updated_at"]
    list_filter = ["category", "school"]
    search_fields = ["school__name", "category"]
    list_select_related = ["school"]
