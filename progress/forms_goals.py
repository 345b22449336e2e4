"""Forms for the goal pages. They parse input; ``progress.services.goals`` checks the rules
(direction, dates, milestones) and its errors are shown on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from physed.models import PEClass, Student
from progress import metrics

DATE = forms.DateInput(attrs={"type": "date"})


def metric_choices(school) -> list[tuple[str, str]]:
    return [
        (info.key, f"{info.label} ({info.unit})" if info.unit else info.label) for info in metrics.catalogue(school)
    ]


class GoalForm(forms.Form):
    student = forms.ModelChoiceField(queryset=Student.objects.none(), label=_("Student"), required=False)
    pe_class = forms.ModelChoiceField(queryset=PEClass.objects.none(), label=_("Class"), required=False)
    title = forms.CharField(label=_("Title"), max_length=160)
    metric_key = forms.ChoiceField(label=_("Metric"), choices=())
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use the latest value before the start."),
    )
    target = forms.DecimalField(label=_("Target"), max_digits=10, decimal_places=2)
    start_date = forms.DateField(label=_("Start"), widget=DATE, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school, students=None, classes=None, for_student=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = metric_choices(school)
        if for_student is not None or editing:
            del self.fields["student"]
            del self.fields["pe_class"]
        else:
            self.fields["student"].queryset = students if students is not None else Student.objects.none()
            self.fields["pe_class"].queryset = classes if classes is not None else PEClass.objects.none()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=160, required=False)
    target_value = forms.DecimalField(label=_("Target"), max_digits=10, decimal_places=2, required=False)
    due_date = forms.DateField(label=_("Due"), widget=DATE, required=False)

    def row(self) -> dict | None:
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("title") and data.get("target_value") is None and not data.get("due_date"):
            return None
        return dict(data)


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=12)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note to the student"), max_length=300, required=False)


class EntryForm(forms.Form):
    metric_key = forms.ChoiceField(label=_("Metric"), choices=())
    value = forms.DecimalField(label=_("Value"), max_digits=10, decimal_places=2)
    date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [
            choice for choice in metric_choices(school) if choice[0] != "attendance.rate"
        ]


class GoalFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())
    pe_class = forms.ModelChoiceField(queryset=PEClass.objects.none(), label=_("Class"), required=False)
    student = forms.ModelChoiceField(queryset=Student.objects.none(), label=_("Student"), required=False)

    def __init__(self, *args, classes=None, students=None, **kwargs):
        from progress.models import GoalStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *GoalStatus.choices]
        self.fields["pe_class"].queryset = classes if classes is not None else PEClass.objects.none()
        self.fields["student"].queryset = students if students is not None else Student.objects.none()
