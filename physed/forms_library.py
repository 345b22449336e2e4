"""Forms for a school's own activities and exercises. They only parse input; the services
(``physed.services.library``) validate the domain rules and write, as for the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from physed.models import (
    ActivityCategory,
    ContactLevel,
    EquipmentType,
    ExerciseCategory,
    FitnessComponent,
    GradeBand,
    GradeSpanIndicator,
    Intensity,
    MuscleGroup,
    PEStandard,
    RiskLevel,
    Space,
)
from physed.services.library_rules import MAX_ITEM_LENGTH, MODIFICATION_KINDS

LINES_HELP = _("One per line.")


class LinesField(forms.CharField):
    """A textarea whose non-empty lines become a list of texts."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", LINES_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def _checkboxes(**kwargs):
    return forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


def _related(queryset, label, to_field="slug", **kwargs):
    return forms.ModelMultipleChoiceField(
        queryset=queryset,
        to_field_name=to_field,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=label,
        **kwargs,
    )


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Category"), choices=ActivityCategory.choices)
    grade_bands = _checkboxes(label=_("Grade spans"), choices=GradeBand.choices)
    difficulty = forms.IntegerField(label=_("Difficulty (1–5)"), min_value=1, max_value=5, initial=2)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=240, initial=15)
    min_group_size = forms.IntegerField(label=_("Smallest group"), min_value=1, max_value=200, initial=2)
    max_group_size = forms.IntegerField(label=_("Largest group"), min_value=1, max_value=200, initial=30)
    space = forms.ChoiceField(label=_("Space"), choices=Space.choices)
    intensity = forms.ChoiceField(label=_("Intensity"), choices=Intensity.choices, initial=Intensity.MODERATE)
    contact_level = forms.ChoiceField(label=_("Contact level"), choices=ContactLevel.choices)
    risk_level = forms.TypedChoiceField(label=_("Risk level"), choices=RiskLevel.choices, coerce=int)
    skills = LinesField(label=_("Skills"))
    fitness_components = _checkboxes(label=_("Fitness components"), choices=FitnessComponent.choices)
    equipment = _related(EquipmentType.objects.all(), _("Equipment"))
    standards = _related(PEStandard.objects.all(), _("SHAPE America standards"), to_field="number")
    indicators = _related(
        GradeSpanIndicator.objects.select_related("standard"), _("Grade-span indicators"), to_field="code"
    )
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 6}))
    teaching_cues = LinesField(label=_("Teaching cues"))
    progressions = LinesField(label=_("Progressions"), help_text=_("One step per line, easiest first."))

    def __init__(self, *args, initial_modifications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].label_from_instance = lambda indicator: f"{indicator.code} — {indicator.description}"
        self._kept_modifications = []
        first = {}
        for item in initial_modifications or []:
            if item["kind"] in first:
                self._kept_modifications.append(item)  # extra entries of a kind are kept as they are
            else:
                first[item["kind"]] = item
        for kind, label in MODIFICATION_KINDS.items():
            for side, side_label in (("easier", _("easier")), ("harder", _("harder"))):
                self.fields[f"mod_{kind}_{side}"] = forms.CharField(
                    label=f"{label}: {side_label}",
                    required=False,
                    max_length=MAX_ITEM_LENGTH,
                    initial=first.get(kind, {}).get(side, ""),
                )

    def modification_rows(self):
        """(label, easier field, harder field) per kind, for the template."""
        return [
            (label, self[f"mod_{kind}_easier"], self[f"mod_{kind}_harder"])
            for kind, label in MODIFICATION_KINDS.items()
        ]

    def clean(self):
        data = super().clean()
        modifications = []
        for kind in MODIFICATION_KINDS:
            easier = data.get(f"mod_{kind}_easier", "").strip()
            harder = data.get(f"mod_{kind}_harder", "").strip()
            if bool(easier) != bool(harder):
                self.add_error(f"mod_{kind}_easier", _("Describe both the easier and the harder version."))
            elif easier:
                modifications.append({"kind": kind, "easier": easier, "harder": harder})
        data["modifications"] = modifications + self._kept_modifications
        return data

    def service_fields(self) -> dict:
        names = [
            "name",
            "description",
            "category",
            "grade_bands",
            "difficulty",
            "duration_minutes",
            "min_group_size",
            "max_group_size",
            "space",
            "intensity",
            "contact_level",
            "risk_level",
            "skills",
            "fitness_components",
            "equipment",
            "standards",
            "indicators",
            "instructions",
            "teaching_cues",
            "progressions",
            "modifications",
        ]
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def initial_for(activity) -> dict:
        data = {
            field: getattr(activity, field)
            for field in (
                "name",
                "description",
                "category",
                "grade_bands",
                "difficulty",
                "duration_minutes",
                "min_group_size",
                "max_group_size",
                "space",
                "intensity",
                "contact_level",
                "risk_level",
                "skills",
                "fitness_components",
                "instructions",
                "teaching_cues",
                "progressions",
            )
        }
        data["equipment"] = list(activity.equipment.all())
        data["standards"] = list(activity.standards.all())
        data["indicators"] = list(activity.indicators.all())
        return data


class ExerciseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=ExerciseCategory.choices)
    difficulty = forms.IntegerField(label=_("Difficulty (1–5)"), min_value=1, max_value=5, initial=2)
    primary_muscles = _related(MuscleGroup.objects.all(), _("Primary muscles"))
    secondary_muscles = _related(MuscleGroup.objects.all(), _("Secondary muscles"))
    equipment = _related(EquipmentType.objects.all(), _("Equipment"))
    fitness_components = _checkboxes(label=_("Fitness components"), choices=FitnessComponent.choices)
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Numbered steps work best.")
    )
    default_sets = forms.IntegerField(label=_("Default sets"), min_value=1, max_value=20, required=False)
    default_reps = forms.IntegerField(label=_("Default reps"), min_value=1, max_value=500, required=False)
    default_duration_seconds = forms.IntegerField(
        label=_("Default duration (seconds)"), min_value=1, max_value=3600, required=False
    )
    contraindications = LinesField(label=_("Contraindications"), help_text=_("When not to do it; one per line."))
    media_links = LinesField(label=_("Media links"), help_text=_("Web addresses (https://…), one per line."))

    FIELDS = (
        "name",
        "category",
        "difficulty",
        "fitness_components",
        "instructions",
        "default_sets",
        "default_reps",
        "default_duration_seconds",
        "contraindications",
        "media_links",
    )

    def service_fields(self) -> dict:
        names = [*self.FIELDS, "primary_muscles", "secondary_muscles", "equipment"]
        return {name: self.cleaned_data[name] for name in names}

    @classmethod
    def initial_for(cls, exercise) -> dict:
        data = {field: getattr(exercise, field) for field in cls.FIELDS}
        for name in ("primary_muscles", "secondary_muscles", "equipment"):
            data[name] = list(getattr(exercise, name).all())
        return data
