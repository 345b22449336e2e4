"""The settings page form: display, language, accessibility and notification choices.

Choice fields offer "school default" (empty) so a user can go back to not choosing. The channel
matrix is one checkbox per registered event × channel (``channel__<event>__<channel>``);
security events' in-app box is shown checked and disabled: those are always delivered in-app.
"""

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import DateFormat, FontSize, NumberFormat, Theme
from accounts.services.notification_events import CHANNELS, configurable_events

CHANNEL_LABELS = {"in_app": _("In the app"), "email": _("By email")}


def _with_default(choices):
    return [("", _("School default")), *choices]


def channel_field_name(event_key: str, channel: str) -> str:
    return f"channel__{event_key}__{channel}"


class PreferencesForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=_with_default(Theme.choices), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=_with_default(settings.LANGUAGES), required=False)
    timezone = forms.CharField(
        label=_("Time zone"),
        required=False,
        max_length=64,
        help_text=_("An IANA name such as Europe/Madrid or America/New_York."),
    )
    date_format = forms.ChoiceField(label=_("Date format"), choices=_with_default(DateFormat.choices), required=False)
    number_format = forms.ChoiceField(
        label=_("Number format"), choices=_with_default(NumberFormat.choices), required=False
    )
    font_size = forms.ChoiceField(label=_("Font size"), choices=_with_default(FontSize.choices), required=False)
    high_contrast = forms.BooleanField(label=_("High contrast"), required=False)
    reduced_motion = forms.BooleanField(label=_("Reduce motion"), required=False)
    dyslexia_font = forms.BooleanField(label=_("Dyslexia-friendly font"), required=False)
    quiet_hours_start = forms.TimeField(
        label=_("Quiet hours start"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet hours end"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    daily_digest = forms.BooleanField(label=_("Send me a daily digest email"), required=False)

    def __init__(self, *args, effective: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.events = configurable_events()
        channels = effective["notification_channels"]
        for event in self.events:
            for channel in CHANNELS:
                name = channel_field_name(event.key, channel)
                disabled = channel == "in_app" and event.mandatory_in_app
                self.fields[name] = forms.BooleanField(
                    label=f"{event.label} — {CHANNEL_LABELS[channel]}",
                    required=False,
                    disabled=disabled,
                    initial=True if disabled else channels.get(event.key, {}).get(channel, event.default(channel)),
                )

    def clean_timezone(self):
        value = self.cleaned_data["timezone"].strip()
        if value and value not in available_timezones():
            raise forms.ValidationError(_("Unknown time zone; use an IANA name such as Europe/Madrid."))
        return value

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_hours_start")) != bool(cleaned.get("quiet_hours_end")):
            raise forms.ValidationError(_("Give both the start and the end of your quiet hours, or neither."))
        return cleaned

    def matrix(self):
        """Rows for the template: (event, [bound field per channel])."""
        return [
            (event, [self[channel_field_name(event.key, channel)] for channel in CHANNELS]) for event in self.events
        ]

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.base_fields}
        data["notification_channels"] = {
            event.key: {
                channel: bool(self.cleaned_data[channel_field_name(event.key, channel)])
                for channel in CHANNELS
                if not (channel == "in_app" and event.mandatory_in_app)
            }
            for event in self.events
        }
        data["notification_channels"] = {k: v for k, v in data["notification_channels"].items() if v}
        return data


_TRI_STATE = [("", _("Not set")), ("true", _("Yes")), ("false", _("No"))]


def _tri_state(label):
    return forms.TypedChoiceField(
        label=label,
        choices=_TRI_STATE,
        required=False,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class SchoolDefaultsForm(PreferencesForm):
    """The same settings as a school's defaults: every field may stay "not set" (then the user's
    own choice, or the built-in default, applies)."""

    high_contrast = _tri_state(_("High contrast"))
    reduced_motion = _tri_state(_("Reduce motion"))
    dyslexia_font = _tri_state(_("Dyslexia-friendly font"))
    daily_digest = _tri_state(_("Daily digest email"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("theme", "language", "date_format", "number_format", "font_size"):
            self.fields[name].choices = [("", _("Not set")), *self.fields[name].choices[1:]]
