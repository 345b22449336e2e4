"""Admin: shares (school/class rows and guardian grants to people), comments and views. Edits
here bypass the services (no checks, audit or notifications); the pages and API are the audited
path."""

from django.contrib import admin

from content.models import (
    ContentComment,
    ContentItemGroupObjectPermission,
    ContentItemUserObjectPermission,
    ContentShare,
    ContentView,
)


@admin.register(ContentShare)
class ContentShareAdmin(admin.ModelAdmin):
    list_display = ["item", "audience", "pe_class", "can_edit", "shared_by", "created_at"]
    list_filter = ["audience", "can_edit"]
    search_fields = ["item__title", "pe_class__name"]
    list_select_related = ["item", "pe_class", "shared_by"]
    raw_id_fields = ["item", "pe_class", "shared_by"]


@admin.register(ContentComment)
class ContentCommentAdmin(admin.ModelAdmin):
    list_display = ["item", "author", "created_at", "edited_at"]
    search_fields = ["item__title", "body", "author__email"]
    list_select_related = ["item", "author"]
    raw_id_fields = ["item", "author", "mentions"]
    date_hierarchy = "created_at"


@admin.register(ContentView)
class ContentViewAdmin(admin.ModelAdmin):
    list_display = ["item", "user", "view_count", "first_viewed_at", "last_viewed_at"]
    search_fields = ["item__title", "user__email"]
    list_select_related = ["item", "user"]
    raw_id_fields = ["item", "user"]
    readonly_fields = ["first_viewed_at"]


@admin.register(ContentItemUserObjectPermission)
class ContentItemUserObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["content_object", "user", "permission"]
    list_filter = ["permission"]
    search_fields = ["content_object__title", "user__email"]
    list_select_related = ["content_object", "user", "permission"]
    raw_id_fields = ["content_object", "user"]


@admin.register(ContentItemGroupObjectPermission)
class ContentItemGroupObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["content_object", "group", "permission"]
    list_filter = ["permission"]
    search_fields = ["content_object__title", "group__name"]
    list_select_related = ["content_object", "group", "permission"]
    raw_id_fields = ["content_object", "group"]
