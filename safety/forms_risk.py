"""Forms for the risk assessment pages: the assessment, its hazard rows, workflow notes, the
list filters and the school's band set."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import members_of
from physed.models import Activity, PEClass
from safety.models import RiskAssessmentStatus, RiskSubject

LEVELS = [(value, str(value)) for value in range(1, 6)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    subject = forms.ChoiceField(label=_("Assessment of"), choices=RiskSubject.choices)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none(), required=False)
    pe_class = forms.ModelChoiceField(label=_("Class"), queryset=PEClass.objects.none(), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=120, required=False)
    event_name = forms.CharField(label=_("Event"), max_length=160, required=False)
    event_date = forms.DateField(label=_("Event date"), required=False, widget=DATE)
    description = forms.CharField(label=_("Scope and notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    review_date = forms.DateField(
        label=_("Review by"), widget=DATE, help_text=_("Must be after today when you submit it.")
    )

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.visible_to(user).filter(Q(school=school) | Q(school__isnull=True)).order_by("name")
        )
        self.fields["pe_class"].queryset = PEClass.objects.visible_to(user).filter(school=school).order_by("name")
        self.fields["owner"].queryset = members_of(school)
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email

    def values(self) -> dict:
        return dict(self.cleaned_data)


class HazardForm(forms.Form):
    description = forms.CharField(label=_("Hazard"), max_length=300)
    who_at_risk = forms.CharField(label=_("Who might be harmed"), max_length=160, required=False)
    likelihood = forms.TypedChoiceField(label=_("Likelihood (1–5)"), choices=LEVELS, coerce=int)
    severity = forms.TypedChoiceField(label=_("Severity (1–5)"), choices=LEVELS, coerce=int)
    controls = forms.CharField(label=_("Controls"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    residual_likelihood = forms.TypedChoiceField(label=_("Likelihood after controls"), choices=LEVELS, coerce=int)
    residual_severity = forms.TypedChoiceField(label=_("Severity after controls"), choices=LEVELS, coerce=int)

    def clean(self):
        data = super().clean()
        names = ("likelihood", "severity", "residual_likelihood", "residual_severity")
        initial_known = all(data.get(name) for name in names)
        if (
            initial_known
            and data["residual_likelihood"] * data["residual_severity"] > data["likelihood"] * data["severity"]
        ):
            raise forms.ValidationError(_("The risk after controls cannot be higher than the risk before them."))
        return data


HazardFormSet = forms.formset_factory(HazardForm, extra=2, can_delete=True, max_num=60, validate_max=True)


def hazard_rows(formset) -> list[dict]:
    return [
        {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What needs to change"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    pass


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *RiskAssessmentStatus.choices], required=False
    )
    subject = forms.ChoiceField(
        label=_("Assessment of"), choices=[("", _("Any")), *RiskSubject.choices], required=False
    )
    due_for_review = forms.ChoiceField(
        label=_("Due for review"), choices=[("", _("Any")), ("true", _("Due")), ("false", _("Not due"))], required=False
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Anyone"))] + [
            (str(user.pk), user.get_full_name() or user.email) for user in members_of(school)
        ]


class BandForm(forms.Form):
    code = forms.SlugField(label=_("Key"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=60)
    min_score = forms.IntegerField(label=_("From score"), min_value=1, max_value=25)
    max_score = forms.IntegerField(label=_("To score"), min_value=1, max_value=25)
    colour = forms.RegexField(label=_("Colour"), regex=r"^#[0-9a-fA-F]{6}$", initial="#888888", max_length=7)
    required_action = forms.CharField(label=_("Required action"), widget=forms.Textarea(attrs={"rows": 2}))
    activity_allowed = forms.BooleanField(label=_("Activity may go ahead"), required=False, initial=True)


BandFormSet = forms.formset_factory(BandForm, extra=1, can_delete=True, max_num=25, validate_max=True)


def band_rows(formset) -> list[dict]:
    return [
        {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
