"""Forms of the progress-report pages: the period to generate for, the teacher's edits, and the
reason for unpublishing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from physed.models import Term


class PeriodForm(forms.Form):
    school_year = forms.IntegerField(label=_("School year (first calendar year)"), min_value=2000, max_value=2100)
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ReportEditForm(forms.Form):
    narrative_en = forms.CharField(
        label=_("Evaluation (English)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )
    narrative_es = forms.CharField(
        label=_("Evaluation (Spanish)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )
    teacher_comment = forms.CharField(
        label=_("Teacher comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class UnpublishForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, take this report back to draft"), required=True)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
