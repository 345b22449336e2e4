"""Forms for the protocol and procedure pages. Lists are typed one item per line: checks as plain
lines, steps as ``Who | what to do`` (or just what to do), contacts as ``Name | Role | Phone``.
The services validate everything again (limits, phone numbers, staff membership)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import members_of
from physed.models import ActivityCategory, EquipmentType, Space
from safety.models import EmergencyKind, ProtocolStatus
from safety.selectors.protocols import REVIEW_STATES

SEPARATOR = "|"
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _staff_choices(school, blank: bool):
    choices = [(str(user.pk), user.get_full_name() or user.email) for user in members_of(school)]
    return [("", _("Nobody (the department leads)")), *choices] if blank else choices


class ProtocolFilterForm(forms.Form):
    search = forms.CharField(label=_("Search protocols"), required=False, max_length=100)
    activity_category = forms.ChoiceField(
        label=_("Activity category"), required=False, choices=[("", _("Any")), *ActivityCategory.choices]
    )
    space = forms.ChoiceField(label=_("Space"), required=False, choices=[("", _("Any")), *Space.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *ProtocolStatus.choices])
    review_state = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[("", _("Any")), *zip(REVIEW_STATES, [_("Up to date"), _("Due soon"), _("Overdue")], strict=True)],
    )


class ProtocolForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    activity_category = forms.ChoiceField(
        label=_("Activity category"), required=False, choices=[("", _("Any activity")), *ActivityCategory.choices]
    )
    space = forms.ChoiceField(label=_("Space"), required=False, choices=[("", _("Any space")), *Space.choices])
    requirements = forms.CharField(label=_("Requirements"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    checks = forms.CharField(
        label=_("Pre-activity checks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One check per line."),
    )
    supervision_ratio = forms.IntegerField(
        label=_("Students per adult (at most)"), required=False, min_value=1, max_value=100
    )
    protective_equipment = forms.ModelMultipleChoiceField(
        label=_("Protective equipment"),
        queryset=EquipmentType.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    protective_equipment_notes = forms.CharField(label=_("Other protective equipment"), required=False, max_length=300)
    review_interval_days = forms.IntegerField(label=_("Review every (days)"), min_value=7, max_value=1095, initial=365)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ProtocolStatus.choices, initial=ProtocolStatus.ACTIVE)
    last_reviewed_on = forms.DateField(
        label=_("Last reviewed"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Only when you enter an existing protocol; afterwards reviews are signed off."),
    )

    def __init__(self, *args, school, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _staff_choices(school, blank=True)
        if not creating:
            del self.fields["last_reviewed_on"]

    def clean_last_reviewed_on(self):
        value = self.cleaned_data.get("last_reviewed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value

    @classmethod
    def initial_for(cls, protocol) -> dict:
        return {
            "title": protocol.title,
            "activity_category": protocol.activity_category,
            "space": protocol.space,
            "requirements": protocol.requirements,
            "checks": "\n".join(protocol.pre_activity_checks or []),
            "supervision_ratio": protocol.supervision_ratio,
            "protective_equipment": list(protocol.protective_equipment.all()),
            "protective_equipment_notes": protocol.protective_equipment_notes,
            "review_interval_days": protocol.review_interval_days,
            "owner": str(protocol.owner_id or ""),
            "status": protocol.status,
        }

    def values(self, owners) -> dict:
        """Service keyword arguments; ``owners`` maps a user id to the user."""
        data = self.cleaned_data
        values = {
            "title": data["title"],
            "activity_category": data["activity_category"],
            "space": data["space"],
            "requirements": data["requirements"],
            "pre_activity_checks": _lines(data["checks"]),
            "supervision_ratio": data["supervision_ratio"],
            "protective_equipment": list(data["protective_equipment"]),
            "protective_equipment_notes": data["protective_equipment_notes"],
            "review_interval_days": data["review_interval_days"],
            "owner": owners.get(int(data["owner"])) if data["owner"] else None,
            "status": data["status"],
        }
        if data.get("last_reviewed_on"):
            values["last_reviewed_on"] = data["last_reviewed_on"]
        return values


class SignOffForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=300, help_text=_("What you checked or changed (optional).")
    )
    confirm = forms.BooleanField(label=_("I have reviewed this protocol and confirm it is current"), required=True)


class ProcedureFilterForm(forms.Form):
    search = forms.CharField(label=_("Search procedures"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any")), *EmergencyKind.choices])
    overdue = forms.BooleanField(label=_("Only drills due or overdue"), required=False)


class ProcedureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=EmergencyKind.choices)
    title = forms.CharField(label=_("Title"), max_length=160)
    location = forms.CharField(
        label=_("Location"), required=False, max_length=120, help_text=_("Blank = the whole school.")
    )
    steps = forms.CharField(
        label=_("Steps, in order"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One step per line, as “Who | what to do” (or just what to do). "
            "The order of the lines is the order of the steps."
        ),
    )
    contacts = forms.CharField(
        label=_("Contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One contact per line, as “Name | Role | Phone”."),
    )
    aed_locations = forms.CharField(label=_("AED locations"), required=False, max_length=300)
    first_aid_locations = forms.CharField(label=_("First-aid kit locations"), required=False, max_length=300)
    drill_interval_days = forms.IntegerField(
        label=_("Drill every (days)"),
        required=False,
        min_value=7,
        max_value=730,
        help_text=_("Blank = no drill required."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_steps(self):
        steps = []
        for line in _lines(self.cleaned_data["steps"]):
            role, sep, instruction = line.partition(SEPARATOR)
            steps.append(
                {"role": role.strip(), "instruction": instruction.strip()} if sep else {"role": "", "instruction": line}
            )
        if not steps:
            raise forms.ValidationError(_("Write at least one step."))
        return steps

    def clean_contacts(self):
        contacts = []
        for number, line in enumerate(_lines(self.cleaned_data["contacts"]), start=1):
            parts = [part.strip() for part in line.split(SEPARATOR)]
            if len(parts) != 3:
                raise forms.ValidationError(_("Line %(n)d: write “Name | Role | Phone”.") % {"n": number})
            contacts.append({"name": parts[0], "role": parts[1], "phone": parts[2]})
        return contacts

    @classmethod
    def initial_for(cls, procedure) -> dict:
        steps = [f"{s.role} | {s.instruction}" if s.role else s.instruction for s in procedure.steps.all()]
        contacts = [
            f"{c.get('name', '')} | {c.get('role', '')} | {c.get('phone', '')}" for c in procedure.contacts or []
        ]
        return {
            "kind": procedure.kind,
            "title": procedure.title,
            "location": procedure.location,
            "steps": "\n".join(steps),
            "contacts": "\n".join(contacts),
            "aed_locations": procedure.aed_locations,
            "first_aid_locations": procedure.first_aid_locations,
            "drill_interval_days": procedure.drill_interval_days,
            "is_active": procedure.is_active,
        }


class DrillForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_INPUT)
    duration_minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1, max_value=600)
    participant_count = forms.IntegerField(
        label=_("People taking part"), min_value=0, max_value=100000, help_text=_("Everyone, students included.")
    )
    participants = forms.MultipleChoiceField(
        label=_("Staff taking part"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("What went well / to improve"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = _staff_choices(school, blank=False)

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A drill cannot be logged in the future."))
        return value
