"""Forms for feedback on a student's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import FeedbackKind, FeedbackVisibility


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, widget=forms.HiddenInput)
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("Who can read it"), choices=FeedbackVisibility.choices, initial=FeedbackVisibility.FAMILY
    )
    skill_assessment = forms.IntegerField(required=False, widget=forms.HiddenInput)
