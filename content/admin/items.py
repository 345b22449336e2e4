"""Content admin: items, versions, attachments and lesson schedules.

Decision: the admin is read-only for everything the item service owns. Items are created and
edited through the pages and the API (``content.services.items``), which write an immutable
``ContentVersion`` on every save, check Markdown and refuse stale edits; an admin form saving the
model directly would skip all of that, and replaying the admin's many-to-many save through the
service would not fit Django's save_model/save_related split. So here items, versions,
attachments and schedules can be browsed and searched, and deleted only through the services
(``delete_item``, ``delete_attachment``, ``unschedule_lesson``: audited, files removed). Versions
are immutable: no add, change or delete.
"""

from django.contrib import admin

from content.models import SCALAR_FIELDS, ContentAttachment, ContentItem, ContentVersion, LessonSchedule
from content.services.attachments import delete_attachment
from content.services.items import delete_item
from content.services.scheduling import unschedule_lesson


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ContentVersion
    extra = 0
    fields = ["number", "author", "created_at", "change_note", "restored_from"]
    readonly_fields = fields
    ordering = ["-number"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyMixin, admin.TabularInline):
    model = ContentAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceDeleteMixin:
    """Deletes one by one through the area's service (audited, files removed)."""

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)


@admin.register(ContentItem)
class ContentItemAdmin(ReadOnlyMixin, ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "school", "kind", "status", "owner", "version", "updated_at"]
    list_filter = ["school", "kind", "status", "language"]
    search_fields = ["title"]
    list_select_related = ["school", "owner"]
    readonly_fields = [
        "school",
        *SCALAR_FIELDS,
        "category",
        "owner",
        "forked_from",
        "version",
        "created_at",
        "updated_at",
        "published_at",
    ]
    exclude = ["tags", "standards", "indicators", "activities", "exercises", "co_authors", "search_vector"]
    inlines = [AttachmentInline, VersionInline]

    def delete_through_service(self, request, obj):
        delete_item(actor=request.user, item=obj)

    def get_deleted_objects(self, objs, request):
        """Versions go with their item (they cannot be deleted on their own)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(str(ContentVersion._meta.verbose_name))
        return deleted, counts, perms_needed, protected


@admin.register(ContentVersion)
class ContentVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["item", "number", "author", "created_at", "change_note"]
    list_filter = ["item__school"]
    search_fields = ["item__title", "change_note"]
    list_select_related = ["item", "author"]
    readonly_fields = ["item", "number", "author", "created_at", "change_note", "snapshot", "restored_from"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContentAttachment)
class ContentAttachmentAdmin(ReadOnlyMixin, ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["original_name", "item", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type", "item__school"]
    search_fields = ["original_name", "item__title"]
    list_select_related = ["item", "uploaded_by"]
    readonly_fields = ["item", "original_name", "content_type", "size", "uploaded_by", "created_at"]
    exclude = ["file"]  # private: downloaded only through the audited view

    def delete_through_service(self, request, obj):
        delete_attachment(actor=request.user, attachment=obj)


@admin.register(LessonSchedule)
class LessonScheduleAdmin(ReadOnlyMixin, ServiceDeleteMixin, admin.ModelAdmin):
    list_display = ["item", "session", "version_number", "scheduled_by", "created_at"]
    list_filter = ["item__school"]
    search_fields = ["item__title", "session__pe_class__name"]
    list_select_related = ["item", "session__pe_class", "scheduled_by"]
    readonly_fields = ["item", "session", "version_number", "scheduled_by", "created_at"]

    def delete_through_service(self, request, obj):
        unschedule_lesson(actor=request.user, schedule=obj)
