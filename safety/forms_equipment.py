"""Forms for the equipment pages. They parse input; the service validates the rules (future
dates, asset tags, checklist coverage) and its errors are shown on the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from physed.models import EquipmentType
from safety.models import CheckResult, EquipmentStatus, InspectionKind, MaintenanceKind

DATE = forms.DateInput(attrs={"type": "date"})


class EquipmentItemForm(forms.Form):
    equipment_type = forms.ModelChoiceField(queryset=EquipmentType.objects.order_by("name"), label=_("Type"))
    name = forms.CharField(label=_("Name"), max_length=120)
    asset_tag = forms.CharField(label=_("Asset tag"), max_length=40, required=False)
    location = forms.CharField(label=_("Location"), max_length=120, help_text=_("e.g. Gym store, Field shed"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100000, initial=1)
    purchase_date = forms.DateField(label=_("Purchased"), required=False, widget=DATE)
    expected_life_years = forms.IntegerField(
        label=_("Expected life (years)"), min_value=1, max_value=50, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = (
        "equipment_type",
        "name",
        "asset_tag",
        "location",
        "quantity",
        "purchase_date",
        "expected_life_years",
        "notes",
    )

    @classmethod
    def initial_for(cls, item) -> dict:
        return {name: getattr(item, name) for name in cls.FIELDS}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class StatusForm(forms.Form):
    """Edit page, for leads: flag an item or take it out of service (retiring has its own page)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, label) for value, label in EquipmentStatus.choices if value != EquipmentStatus.RETIRED],
    )
    status_reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class FilterForm(forms.Form):
    search = forms.CharField(label=_("Search equipment"), required=False, max_length=100)
    equipment_type = forms.ModelChoiceField(
        queryset=EquipmentType.objects.order_by("name"), label=_("Type"), required=False, empty_label=_("Any")
    )
    location = forms.ChoiceField(label=_("Location"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *EquipmentStatus.choices])
    needs_attention = forms.BooleanField(label=_("Only items that need attention"), required=False)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("Any")), *((value, value) for value in locations)]


class InspectionForm(forms.Form):
    """One radio group (pass / flag / fail) per check, plus a note per check and overall."""

    inspected_on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()
        self.checks = list(checks)
        for check in self.checks:
            label = _(check.label)  # the checklist data's English label, shown translated
            self.fields[f"check_{check.key}"] = forms.ChoiceField(
                label=label,
                choices=CheckResult.choices,
                widget=forms.RadioSelect,
                initial=CheckResult.PASS,
            )
            self.fields[f"note_{check.key}"] = forms.CharField(
                label=_("Note on “%(check)s”") % {"check": label}, required=False, max_length=300
            )

    def rows(self):
        return [(self[f"check_{check.key}"], self[f"note_{check.key}"]) for check in self.checks]

    def results(self) -> list[dict]:
        return [
            {
                "check": check.key,
                "result": self.cleaned_data[f"check_{check.key}"],
                "note": self.cleaned_data[f"note_{check.key}"],
            }
            for check in self.checks
        ]


class KindForm(forms.Form):
    kind = forms.ChoiceField(choices=InspectionKind.choices, required=False)


class MaintenanceForm(forms.Form):
    performed_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in MaintenanceKind.choices if c[0] != "retirement"])
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    performed_by = forms.CharField(label=_("Done by"), required=False, max_length=120)
    cost = forms.DecimalField(label=_("Cost"), required=False, min_value=0, max_digits=9, decimal_places=2)
    returns_to_service = forms.BooleanField(
        label=_("Back in service"), required=False, help_text=_("The work fixed it: the item can be used again.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performed_on"].initial = timezone.localdate()


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Why is it retired?"), max_length=300)
    confirm = forms.BooleanField(label=_("Yes, retire this item"), required=True)
