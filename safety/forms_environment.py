"""Forms: a reading typed on a phone (°C or °F, km/h or mph), a rule set's editable fields (rules
as JSON, validated by the service), and the settings (rule set in use)."""

import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from physed.models import Space
from safety.models import SafetySettings

UNITS = [("C", "°C"), ("F", "°F")]
WIND_UNITS = [("kmh", "km/h"), ("mph", "mph")]


class ReadingForm(forms.Form):
    space = forms.ChoiceField(label=_("Space"), choices=Space.choices, initial=Space.FIELD)
    temperature = forms.FloatField(label=_("Air temperature"), widget=forms.NumberInput(attrs={"step": "0.1"}))
    temperature_unit = forms.ChoiceField(label=_("Temperature unit"), choices=UNITS, initial="C")
    relative_humidity = forms.FloatField(
        label=_("Relative humidity (%)"), required=False, widget=forms.NumberInput(attrs={"step": "1"})
    )
    wind_speed = forms.FloatField(label=_("Wind speed"), required=False, widget=forms.NumberInput(attrs={"step": "1"}))
    wind_unit = forms.ChoiceField(label=_("Wind unit"), choices=WIND_UNITS, initial="kmh")
    wbgt = forms.FloatField(
        label=_("WBGT, measured (same unit as the temperature)"),
        required=False,
        help_text=_("Only from a WBGT instrument; never estimated."),
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    aqi = forms.IntegerField(label=_("Air quality index"), required=False)
    precipitation = forms.BooleanField(label=_("Rain or snow"), required=False)
    lightning = forms.BooleanField(label=_("Lightning or thunder nearby"), required=False)
    location = forms.CharField(label=_("Location"), required=False, max_length=120)

    def reading_values(self) -> dict:
        from safety.services.environment import to_si

        data = self.cleaned_data
        values = to_si(
            temperature=data["temperature"],
            unit=data["temperature_unit"],
            wbgt=data.get("wbgt"),
            wind_speed=data.get("wind_speed"),
            wind_unit=data["wind_unit"],
        )
        values.update(
            relative_humidity=data.get("relative_humidity"),
            aqi=data.get("aqi"),
            precipitation=data.get("precipitation", False),
            lightning=data.get("lightning", False),
            space=data["space"],
            location=data.get("location", ""),
            recorded_at=timezone.now(),
        )
        return values


FIELD_FOR = {"temperature_c": "temperature", "wbgt_c": "wbgt", "wind_speed_kmh": "wind_speed"}


class JSONTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "env-json"})

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rules = JSONTextField(
        label=_("Rules (JSON)"),
        help_text=_(
            'Per measure: {"bands": [{"min": …, "max": …, "decision": "go|modify|indoors|stop", "label": …, '
            '"actions": […]}], "precision": 0, "source": …}. Bounds are inclusive.'
        ),
    )
    sources = JSONTextField(label=_("Sources (JSON)"), required=False)
    caveats = forms.CharField(
        label=_("Caveats (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_caveats(self):
        return [line.strip() for line in self.cleaned_data["caveats"].splitlines() if line.strip()]

    def clean_sources(self):
        return self.cleaned_data["sources"] or []


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SafetySettings
        fields = ["rule_set", "reading_max_age_minutes", "default_supervision_ratio"]

    def __init__(self, *args, rule_sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rule_sets is not None:
            self.fields["rule_set"].queryset = rule_sets
