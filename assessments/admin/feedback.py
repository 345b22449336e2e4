"""Admin: feedback on students (moderation)."""

from django.contrib import admin

from assessments.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["student", "kind", "visibility", "author", "created_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["body", "student__first_name", "student__last_name"]
    list_select_related = ["student", "author"]
    raw_id_fields = ["student", "author", "skill_assessment", "session", "test_event", "report"]
    readonly_fields = ["created_at", "updated_at"]
