"""Forms for the incident pages. Choices (classes, sessions, activities, equipment, staff,
students) are limited to the report's school; the services check everything again."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import members_of
from physed.models import Activity, ClassSession, PEClass, Space, Student
from safety.models import (
    BodyArea,
    EquipmentItem,
    IncidentKind,
    IncidentSeverity,
    IncidentStatus,
    InjuryType,
    MedicalReferral,
    NotificationMethod,
    Supervision,
    Surface,
)
from safety.services.incidents_data import factor_groups

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _blank(choices):
    return [("", "—"), *choices]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


def factor_choices():
    return [(group["label"], [(f["code"], f["label"]) for f in group["factors"]]) for group in factor_groups()]


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(IncidentStatus.choices), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(IncidentKind.choices), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=_blank(IncidentSeverity.choices), required=False)
    pe_class = forms.ModelChoiceField(label=_("Class"), queryset=PEClass.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pe_class"].queryset = PEClass.objects.visible_to(user).filter(is_active=True)


class IncidentForm(forms.Form):
    """The full report (students involved come from the formset next to it)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=IncidentSeverity.choices)
    occurred_at = forms.DateTimeField(
        label=_("Date and time"), input_formats=DATETIME_FORMATS, widget=LocalDateTimeInput()
    )
    location = forms.CharField(label=_("Location"), max_length=120, help_text=_("e.g. Main gym, north end"))
    space = forms.ChoiceField(label=_("Space"), choices=_blank(Space.choices), required=False)
    pe_class = forms.ModelChoiceField(label=_("Class"), queryset=PEClass.objects.none(), required=False)
    session = forms.ModelChoiceField(label=_("Session"), queryset=ClassSession.objects.none(), required=False)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none(), required=False)
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment involved"), queryset=EquipmentItem.objects.none(), required=False
    )
    surface = forms.ChoiceField(label=_("Surface"), choices=_blank(Surface.choices), required=False)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    contributing_factors = forms.MultipleChoiceField(
        label=_("Contributing factors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    contributing_notes = forms.CharField(
        label=_("Other contributing factors"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_aid_given = forms.CharField(
        label=_("First aid given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_aid_by = forms.CharField(label=_("First aid by"), required=False, max_length=120)
    witnesses = forms.CharField(label=_("Witnesses"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    staff_present = StaffMultipleChoiceField(label=_("Staff present"), queryset=None, required=False)
    supervision = forms.ChoiceField(label=_("Supervision"), choices=Supervision.choices)
    guardian_notified_at = forms.DateTimeField(
        label=_("Guardian notified at"), required=False, input_formats=DATETIME_FORMATS, widget=LocalDateTimeInput()
    )
    guardian_notified_by = forms.ChoiceField(
        label=_("Guardian notified how"), choices=_blank(NotificationMethod.choices), required=False
    )
    medical_referral = forms.ChoiceField(label=_("Medical referral"), choices=MedicalReferral.choices)
    emergency_services_called = forms.BooleanField(label=_("Emergency services called"), required=False)
    days_missed = forms.IntegerField(label=_("Days missed"), min_value=0, max_value=365, initial=0)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["pe_class"].queryset = PEClass.objects.filter(school=school, is_active=True)
        self.fields["session"].queryset = (
            ClassSession.objects.filter(
                pe_class__school=school, date__gte=timezone.localdate() - datetime.timedelta(days=120)
            )
            .select_related("pe_class")
            .order_by("-date", "pk")
        )
        self.fields["activity"].queryset = Activity.objects.filter(Q(school=school) | Q(school__isnull=True)).order_by(
            "name"
        )
        self.fields["equipment"].queryset = EquipmentItem.objects.filter(school=school)
        self.fields["staff_present"].queryset = members_of(school)
        self.fields["contributing_factors"].choices = factor_choices()
        if not self.is_bound and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def report_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["equipment"] = list(data["equipment"])
        data["staff_present"] = list(data["staff_present"])
        return data


class AmendForm(IncidentForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=300, help_text=_("Required: kept with the report's history.")
    )

    field_order = ["reason"]

    def report_values(self) -> dict:
        data = super().report_values()
        data.pop("reason")
        return data


class InvolvementForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Student.objects.none(), required=False)
    injured = forms.BooleanField(label=_("Injured"), required=False, initial=True)
    body_area = forms.ChoiceField(label=_("Body area"), choices=BodyArea.choices, initial=BodyArea.NONE)
    injury_type = forms.ChoiceField(label=_("Injury type"), choices=InjuryType.choices, initial=InjuryType.NONE)
    notes = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = Student.objects.filter(school=school).active()


InvolvementFormSet = forms.formset_factory(InvolvementForm, extra=2, max_num=30)


def involvement_values(formset) -> list[dict]:
    return [
        {key: form.cleaned_data[key] for key in ("student", "injured", "body_area", "injury_type", "notes")}
        for form in formset.forms
        if form.cleaned_data.get("student")
    ]


class NearMissForm(forms.Form):
    """The quick path on a phone: what nearly happened, where and when."""

    occurred_at = forms.DateTimeField(
        label=_("Date and time"), input_formats=DATETIME_FORMATS, widget=LocalDateTimeInput()
    )
    location = forms.CharField(label=_("Location"), max_length=120)
    space = forms.ChoiceField(label=_("Space"), choices=_blank(Space.choices), required=False)
    description = forms.CharField(label=_("What nearly happened"), widget=forms.Textarea(attrs={"rows": 3}))
    contributing_factors = forms.MultipleChoiceField(
        label=_("Contributing factors"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributing_factors"].choices = factor_choices()
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IncidentStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Note"), required=False, max_length=300)
    confirm = forms.BooleanField(label=_("Yes, I am sure"), required=True)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = StaffChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(school)


class CompleteActionForm(forms.Form):
    note = forms.CharField(label=_("Completion note"), required=False, max_length=300)


class NoticeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))


class AnalyticsForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    pe_class = forms.ModelChoiceField(label=_("Class"), queryset=PEClass.objects.none(), required=False)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pe_class"].queryset = PEClass.objects.filter(school=school)
