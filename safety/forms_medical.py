"""Forms for the medical pages: the list's search, the profile editor (the profile plus one formset
per list — existing rows and a few blank ones, a "remove" box per row, no JavaScript) and the
action plan upload."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from physed.models import RestrictionKind
from safety.models import ConditionKind, ConditionSeverity, MedicationLocation, MedicationSchedule

DATE = {"type": "date"}
EXTRA_ROWS = 2


class ProfileSearchForm(forms.Form):
    q = forms.CharField(label=_("Search students"), max_length=100, required=False)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=[("", _("Any condition")), *ConditionKind.choices], required=False
    )


class ProfileForm(forms.Form):
    pe_instructions = forms.CharField(
        label=_("What PE staff must do"),
        max_length=300,
        required=False,
        help_text=_('Shown to the student\'s teachers, e.g. "Inhaler before PE; stop at first wheeze".'),
    )
    reviewed_on = forms.DateField(label=_("Last reviewed"), required=False, widget=forms.DateInput(attrs=DATE))
    notes = forms.CharField(
        label=_("Confidential notes (staff only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Not shown to teachers' class lists or to guardians; every view is logged."),
    )

    def __init__(self, *args, staff_notes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff_notes:
            del self.fields["notes"]

    @classmethod
    def initial_for(cls, profile) -> dict:
        if profile is None:
            return {}
        return {"pe_instructions": profile.pe_instructions, "reviewed_on": profile.reviewed_on, "notes": profile.notes}

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class RowForm(forms.Form):
    """One row of a list; ``id`` keeps an existing row, DELETE (the formset's box) removes it.
    The first select of a row starts blank and the others at their initial value, so an
    untouched blank row is "unchanged" and skipped."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    fields_order: tuple[str, ...] = ()

    def item(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.fields_order if name in self.fields}
        if self.cleaned_data.get("id"):
            data["id"] = self.cleaned_data["id"]
        return data


class ConditionForm(RowForm):
    kind = forms.ChoiceField(label=_("Condition"), choices=[("", "—"), *ConditionKind.choices])
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    trigger = forms.CharField(label=_("Trigger / allergen"), max_length=120, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=ConditionSeverity.choices, initial="moderate")
    occurred_on = forms.DateField(
        label=_("Diagnosed / occurred on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    pe_instructions = forms.CharField(label=_("What PE staff must do"), max_length=300, required=False)
    notes = forms.CharField(label=_("Confidential notes (staff only)"), required=False)
    fields_order = ("kind", "name", "trigger", "severity", "occurred_on", "pe_instructions", "notes")

    def __init__(self, *args, staff_notes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff_notes:
            del self.fields["notes"]


class MedicationForm(RowForm):
    name = forms.CharField(label=_("Medication"), max_length=120)
    dose = forms.CharField(label=_("Dose"), max_length=120, required=False)
    schedule = forms.ChoiceField(label=_("When"), choices=MedicationSchedule.choices, initial="as_needed")
    location = forms.ChoiceField(label=_("Kept"), choices=MedicationLocation.choices, initial="student")
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
    fields_order = ("name", "dose", "schedule", "location", "notes")


class RestrictionForm(RowForm):
    kind = forms.ChoiceField(label=_("Restriction"), choices=[("", "—"), *RestrictionKind.choices])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    end_date = forms.DateField(label=_("Until (inclusive)"), required=False, widget=forms.DateInput(attrs=DATE))
    documented_by = forms.CharField(label=_("Documented by"), max_length=120, required=False)
    fields_order = ("kind", "reason", "start_date", "end_date", "documented_by")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class ContactForm(RowForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    relationship = forms.CharField(label=_("Relationship"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    alternate_phone = forms.CharField(label=_("Other phone"), max_length=40, required=False)
    priority = forms.IntegerField(label=_("Call order"), min_value=1, max_value=99, required=False)
    fields_order = ("name", "relationship", "phone", "alternate_phone", "priority")


FORMSETS = {
    "conditions": (ConditionForm, _("Conditions")),
    "medications": (MedicationForm, _("Medications")),
    "restrictions": (RestrictionForm, _("Activity restrictions")),
    "contacts": (ContactForm, _("Emergency contacts")),
}
ROW_FIELDS = {
    "conditions": ConditionForm.fields_order,
    "medications": MedicationForm.fields_order,
    "restrictions": RestrictionForm.fields_order,
    "contacts": ContactForm.fields_order,
}


def build_formsets(data=None, profile=None, *, staff_notes: bool = True) -> dict:
    """One formset per list, with the profile's rows as initial data and blank extra rows."""
    formsets = {}
    for name, (form_class, label) in FORMSETS.items():
        formset_class = formset_factory(form_class, extra=EXTRA_ROWS, can_delete=True)
        initial = []
        if profile is not None:
            fields = ("id", *ROW_FIELDS[name])
            initial = [
                {key: getattr(row, key) for key in fields if staff_notes or key != "notes" or name != "conditions"}
                for row in getattr(profile, name).all()
            ]
        form_kwargs = {"staff_notes": staff_notes} if name == "conditions" else {}
        formset = formset_class(data, initial=initial, prefix=name, form_kwargs=form_kwargs)
        formset.label = label
        formsets[name] = formset
    return formsets


def formset_items(formset) -> list[dict]:
    """The rows to keep: filled-in rows and existing rows not ticked for removal."""
    items = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        if not form.cleaned_data.get("id") and not form.has_changed():
            continue
        items.append(form.item())
    return items


class ActionPlanForm(forms.Form):
    file = forms.FileField(label=_("Action plan (PDF, PNG or JPEG)"))
