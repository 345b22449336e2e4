from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import CustomRole, Role
from accounts.roles import CATALOGUE


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email of an existing account"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.TEACHER)
    valid_until = forms.DateTimeField(label=_("Ends (optional)"), required=False, widget=DateTimeLocalInput())


class ChangeMembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    valid_until = forms.DateTimeField(label=_("Ends (optional)"), required=False, widget=DateTimeLocalInput())


class AssignRoleForm(forms.Form):
    custom_role = forms.ModelChoiceField(label=_("Custom role"), queryset=CustomRole.objects.none())
    valid_until = forms.DateTimeField(label=_("Ends (optional)"), required=False, widget=DateTimeLocalInput())

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custom_role"].queryset = CustomRole.objects.filter(school=school).order_by("name")


def catalogue_choices():
    return [
        (codename, f"{area} — {text}")
        for codename, (area, text) in sorted(CATALOGUE.items(), key=lambda kv: (str(kv[1][0]), kv[0]))
    ]


class CustomRoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"), required=False, widget=forms.CheckboxSelectMultiple, choices=catalogue_choices
    )
