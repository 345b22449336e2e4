"""Personas in the admin: built-in and school personas are editable (name, tone, verbosity,
language, reading level, emoji, school default); the database keeps one default per school and
unique names. Persona choices are browsed read-only."""

from django.contrib import admin

from accounts.services.audit import record_event
from assistant.models import Persona, PersonaChoice


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "tone", "verbosity", "reading_level", "language", "emoji", "is_school_default"]
    list_filter = ["tone", "verbosity", "is_school_default", "school"]
    search_fields = ["name"]
    list_select_related = ["school"]
    fields = ["school", "name", "tone", "verbosity", "language", "reading_level", "emoji", "is_school_default"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        record_event(
            "assistant.persona_changed" if change else "assistant.persona_created",
            actor=request.user,
            school=obj.school,
            target=obj,
            changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )


@admin.register(PersonaChoice)
class PersonaChoiceAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "persona", "updated_at"]
    list_select_related = ["user", "school", "persona"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "school", "persona", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
