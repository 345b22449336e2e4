"""Memory admin: browse and search memories for support, delete them — never rewrite them.

Decision: memories are personal notes of one person; platform staff may need to find and remove
one (a complaint, a mistaken record) but should not put words in somebody's assistant. So the
admin is read-only (no add, no change) and deletes one by one with an audit row naming the staff
member (``memory.deleted`` with ``by_admin``): ``memory.services.memories.delete_memory`` accepts
only the owner as actor, so the admin writes the same audit event itself. ``search_vector`` is
derived data and not shown.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.services.audit import record_event
from memory.models import Memory


@admin.register(Memory)
class MemoryAdmin(admin.ModelAdmin):
    list_display = ["owner", "school", "kind", "short_content", "importance", "pinned", "last_accessed_at"]
    list_filter = ["kind", "pinned", "source", "school"]
    search_fields = ["content", "key", "owner__email"]
    list_select_related = ["owner", "school"]
    date_hierarchy = "created_at"
    exclude = ["search_vector"]
    readonly_fields = [
        "owner",
        "school",
        "kind",
        "key",
        "content",
        "student",
        "pe_class",
        "content_item",
        "importance",
        "source",
        "source_message_id",
        "pinned",
        "created_at",
        "updated_at",
        "last_accessed_at",
        "access_count",
        "expires_at",
    ]

    @admin.display(description=_("content"))
    def short_content(self, obj):
        return Truncator(obj.content).chars(80)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def _delete(self, request, obj):
        record_event(
            "memory.deleted",
            actor=request.user,
            school=obj.school,
            target=obj,
            changes={"kind": obj.kind, "by_admin": True},
        )
        obj.delete()

    def delete_model(self, request, obj):
        self._delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._delete(request, obj)
