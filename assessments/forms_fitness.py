"""Forms for the fitness pages: a test event, the school's fitness settings, the class filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import StandardSet, TestEvent


class TestEventForm(forms.ModelForm):
    __test__ = False

    class Meta:
        model = TestEvent
        fields = ["pe_class", "name", "window", "date", "tests", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "tests": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, classes=None, tests=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pe_class"].queryset = classes
        self.fields["pe_class"].label = _("Class")
        self.fields["tests"].queryset = tests
        if self.instance.pk:
            self.fields["pe_class"].disabled = True


class FitnessSettingsForm(forms.Form):
    standard_set = forms.ModelChoiceField(queryset=StandardSet.objects.none(), label=_("Standard set"))
    record_body_composition = forms.BooleanField(
        required=False,
        label=_("Record body composition (BMI, percent body fat)"),
        help_text=_(
            "Off by default. When on, only staff allowed to see body composition, the student and their "
            "guardians see these results."
        ),
    )

    def __init__(self, *args, sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_set"].queryset = sets


class ClassFilterForm(forms.Form):
    pe_class = forms.ModelChoiceField(queryset=None, required=False, label=_("Class"), empty_label=_("All classes"))

    def __init__(self, *args, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pe_class"].queryset = classes
