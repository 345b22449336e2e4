"""Forms of the privacy pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.privacy import registry


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("I understand my account will be anonymized and I will no longer be able to sign in"), required=True
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 with the columns external_id, email, first_name, last_name, role and optionally "
            "valid_from, valid_until (YYYY-MM-DD)."
        ),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class MemberExportForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["member"].queryset = User.objects.filter(memberships__school=school).distinct().order_by("email")


class RetentionForm(forms.Form):
    category = forms.ChoiceField(label=_("Data category"), choices=())
    keep_days = forms.IntegerField(label=_("Keep for (days)"), min_value=1, max_value=36500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (category, category) for category in sorted({e.category for e in registry.retention_entries()})
        ]
