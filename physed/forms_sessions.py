"""Forms for the session pages (plain forms: the pages work without JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from physed.models import ClassSession

KIND_CHOICES = [("activity", _("Activities")), ("exercise", _("Exercises"))]


class SessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["date", "period", "start_time", "title", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class CopyForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))


class GenerateForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Planned lesson (optional)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Show"), choices=KIND_CHOICES, required=False)


class AddBlockForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    item = forms.IntegerField(min_value=1)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240)
    notes = forms.CharField(required=False, max_length=300)


class BlockActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down")), ("remove", _("Remove"))])


class StatusForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[("start", _("Start")), ("finish", _("Finish")), ("cancel", _("Cancel")), ("reopen", _("Reopen"))]
    )
