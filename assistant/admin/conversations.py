"""Conversations, messages, attachments, proposed actions, feedback and learned phrasings in the
admin: read-only browse and delete. These rows are written only through the assistant's services
(``post_message``, ``confirm_action``, ``record_feedback``), which validate and audit; editing
them here would rewrite what a person said or what the assistant answered. Attachment files are
private: not offered for download here, removed from storage when their row is deleted."""

from django.contrib import admin
from django.db import transaction

from assistant.models import Attachment, Conversation, Feedback, IntentExample, Message, ProposedAction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields if f.name not in self.hidden]

    hidden: tuple = ()

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)


def _remove_files_on_commit(files):
    def remove():
        for file in files:
            if file:
                file.storage.delete(file.name)

    transaction.on_commit(remove)


class FileCleanupMixin:
    """Deleting a row takes its attachments' files out of storage once committed."""

    def files_of(self, queryset):  # pragma: no cover - overridden
        return []

    def delete_model(self, request, obj):
        files = self.files_of(type(obj)._base_manager.filter(pk=obj.pk))
        super().delete_model(request, obj)
        _remove_files_on_commit(files)

    def delete_queryset(self, request, queryset):
        files = self.files_of(queryset)
        super().delete_queryset(request, queryset)
        _remove_files_on_commit(files)


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["role", "text", "intent", "confidence", "persona_name", "created_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(FileCleanupMixin, ReadOnlyAdmin):
    list_display = ["__str__", "owner", "school", "updated_at", "archived_at"]
    list_filter = ["school"]
    search_fields = ["title", "owner__email"]
    list_select_related = ["owner", "school"]
    inlines = [MessageInline]

    def files_of(self, queryset):
        return [a.file for a in Attachment.objects.filter(conversation__in=queryset)]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "role", "conversation", "intent", "confidence", "provider", "created_at"]
    list_filter = ["role", "intent", "provider"]
    search_fields = ["text", "conversation__owner__email"]
    list_select_related = ["conversation"]


@admin.register(Attachment)
class AttachmentAdmin(FileCleanupMixin, ReadOnlyAdmin):
    list_display = ["original_name", "kind", "conversation", "size", "imported_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["original_name"]
    list_select_related = ["conversation"]
    hidden = ("file",)

    def files_of(self, queryset):
        return [a.file for a in queryset]


@admin.register(ProposedAction)
class ProposedActionAdmin(ReadOnlyAdmin):
    list_display = ["summary", "kind", "status", "decided_at", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["summary"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["message", "rating", "expected_intent", "created_at"]
    list_filter = ["rating"]
    list_select_related = ["message"]


@admin.register(IntentExample)
class IntentExampleAdmin(ReadOnlyAdmin):
    list_display = ["phrase", "intent", "weight", "owner", "school", "updated_at"]
    list_filter = ["intent"]
    search_fields = ["phrase", "owner__email"]
    list_select_related = ["owner", "school"]
