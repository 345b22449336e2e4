"""Preferences: what a user chose (``UserPreference``) and what their school suggests when they have
not chosen (``SchoolPreferenceDefaults``).

Every user field is "not chosen" when blank/null; ``accounts.services.preferences.resolve`` falls
back to the school's defaults, then to the built-in defaults. Notification channels are stored as
``{event key: {"in_app": bool, "email": bool}}`` overrides over the event registry
(``accounts.services.notification_events``), so a new event type needs no migration.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = ["DateFormat", "FontSize", "NumberFormat", "SchoolPreferenceDefaults", "Theme", "UserPreference"]


class Theme(models.TextChoices):
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")
    SYSTEM = "system", _("Same as my device")


class FontSize(models.TextChoices):
    NORMAL = "normal", _("Normal")
    LARGE = "large", _("Large")
    X_LARGE = "x-large", _("Extra large")


class DateFormat(models.TextChoices):
    ISO = "iso", _("2026-03-31 (ISO)")
    DMY = "dmy", _("31/03/2026 (day first)")
    MDY = "mdy", _("03/31/2026 (month first)")


class NumberFormat(models.TextChoices):
    POINT = "point", _("1,234.5")
    COMMA = "comma", _("1.234,5")


class _PreferenceFields(models.Model):
    """Fields shared by a user's choices and a school's defaults."""

    theme = models.CharField(_("theme"), max_length=8, choices=Theme.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True, help_text=_("IANA name, e.g. Europe/Madrid"))
    date_format = models.CharField(_("date format"), max_length=8, choices=DateFormat.choices, blank=True)
    number_format = models.CharField(_("number format"), max_length=8, choices=NumberFormat.choices, blank=True)
    font_size = models.CharField(_("font size"), max_length=8, choices=FontSize.choices, blank=True)
    high_contrast = models.BooleanField(_("high contrast"), null=True, blank=True)
    reduced_motion = models.BooleanField(_("reduced motion"), null=True, blank=True)
    dyslexia_font = models.BooleanField(_("dyslexia-friendly font"), null=True, blank=True)
    notification_channels = models.JSONField(
        _("notification channels"), default=dict, blank=True, help_text=_('{"event": {"in_app": true, "email": false}}')
    )
    quiet_hours_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    daily_digest = models.BooleanField(_("daily digest"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class UserPreference(_PreferenceFields):
    """One user's display, language and notification choices (blank/null = use the school default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return str(self.user)


class SchoolPreferenceDefaults(_PreferenceFields):
    """A school's defaults for its members' preferences; language and time zone fall back to the
    school's own ``default_language`` and ``timezone`` when left blank here."""

    school = models.OneToOneField(
        "accounts.School", on_delete=models.CASCADE, related_name="preference_defaults", verbose_name=_("school")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("school preference defaults")
        verbose_name_plural = _("school preference defaults")

    def __str__(self):
        return str(self.school)
