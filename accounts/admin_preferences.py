"""Admin for the preferences area; imported from accounts/admin.py."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, SchoolPreferenceDefaults, UserPreference
from accounts.services import preferences as service
from accounts.services.errors import ServiceError

EDITABLE = [name for name in service.FIELDS]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "title",
        "created_at",
        "read_at",
        "in_app",
        "emailed_at",
        "email_held",
        "digest_sent_at",
    ]
    list_filter = [
        "kind",
        "in_app",
        "email_held",
        ("read_at", admin.EmptyFieldListFilter),
        ("emailed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["user__email", "title"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"


class _PreferencesAdminForm(forms.ModelForm):
    """Validates through the same service rules as the API (choices, IANA time zone, channels)."""

    def clean(self):
        cleaned = super().clean()
        changes = {name: cleaned.get(name) for name in EDITABLE if name in cleaned}
        try:
            service._validate(changes)
        except ServiceError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)
        return cleaned


class _PreferencesAdmin(admin.ModelAdmin):
    form = _PreferencesAdminForm
    readonly_fields = ["updated_at"]
    fieldsets = [
        (_("Display and language"), {"fields": ["theme", "language", "timezone", "date_format", "number_format"]}),
        (_("Accessibility"), {"fields": ["font_size", "high_contrast", "reduced_motion", "dyslexia_font"]}),
        (
            _("Notifications"),
            {"fields": ["notification_channels", "quiet_hours_start", "quiet_hours_end", "daily_digest"]},
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        service.invalidate_all()


@admin.register(SchoolPreferenceDefaults)
class SchoolPreferenceDefaultsAdmin(_PreferencesAdmin):
    list_display = ["school", "theme", "language", "timezone", "font_size", "daily_digest", "updated_at"]
    list_filter = ["theme", "language", "font_size"]
    search_fields = ["school__name", "school__slug"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": ["school"]}), *super().get_fieldsets(request, obj)]


@admin.register(UserPreference)
class UserPreferenceAdmin(_PreferencesAdmin):
    list_display = ["user", "theme", "language", "timezone", "font_size", "daily_digest", "updated_at"]
    list_filter = ["theme", "language", "font_size", "high_contrast", "dyslexia_font"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": ["user"]}), *super().get_fieldsets(request, obj)]
