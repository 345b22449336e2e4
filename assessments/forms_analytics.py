"""Filters of the fitness analytics pages (the same as the API's query parameters)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import FitnessTest
from physed.models import GRADE_CHOICES, Term


class DateInput(forms.DateInput):
    input_type = "date"


class AnalyticsFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    school_year = forms.IntegerField(label=_("School year"), required=False, min_value=2000, max_value=2100)
    term = forms.ChoiceField(label=_("Term"), required=False, choices=[("", _("Any")), *list(Term.choices)])
    grade = forms.TypedChoiceField(
        label=_("Grade"), required=False, coerce=int, empty_value=None, choices=[("", _("Any")), *GRADE_CHOICES]
    )
    test = forms.ModelChoiceField(label=_("Test"), queryset=FitnessTest.objects.none(), required=False)
    pre_window = forms.CharField(label=_("Pre-test window"), required=False, max_length=40)
    post_window = forms.CharField(label=_("Post-test window"), required=False, max_length=40)

    def __init__(self, *args, school=None, body_composition=False, **kwargs):
        super().__init__(*args, **kwargs)
        tests = FitnessTest.objects.filter(Q(school__isnull=True) | Q(school=school), active=True)
        if not body_composition:
            tests = tests.filter(is_body_composition=False)
        self.fields["test"].queryset = tests.order_by("position", "name")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
