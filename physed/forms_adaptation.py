"""Forms for the adaptation pages: the profile editor, decisions, recommendation filters and feedback."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from physed.models import EquipmentType, FeedbackAction, ModificationKind, RestrictionKind, Space

SKILL_CHOICES = [(level, str(level)) for level in range(1, 6)]


class ProfileForm(forms.Form):
    """The profile; each restriction kind is a checkbox with an optional last day."""

    has_iep = forms.BooleanField(label=_("Has an IEP"), required=False)
    has_504 = forms.BooleanField(label=_("Has a 504 plan"), required=False)
    skill_level = forms.TypedChoiceField(
        label=_("Skill level (1 beginning – 5 advanced)"), choices=SKILL_CHOICES, coerce=int, initial=3
    )
    preferred_modifications = forms.MultipleChoiceField(
        label=_("Preferred modifications"),
        choices=ModificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assistance_needs = forms.CharField(label=_("Assistance needs"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes (sensitive)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by staff with access to adaptation profiles; every view is logged."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in RestrictionKind.choices:
            self.fields[f"restrict_{kind}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"until_{kind}"] = forms.DateField(
                label=_("Until (optional)"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    @classmethod
    def initial_for(cls, profile) -> dict:
        if profile is None:
            return {"skill_level": 3}
        initial = {
            "has_iep": profile.has_iep,
            "has_504": profile.has_504,
            "skill_level": profile.skill_level,
            "preferred_modifications": profile.preferred_modifications,
            "assistance_needs": profile.assistance_needs,
            "notes": profile.notes,
        }
        for item in profile.restrictions or []:
            initial[f"restrict_{item['kind']}"] = True
            if item.get("until"):
                initial[f"until_{item['kind']}"] = datetime.date.fromisoformat(item["until"])
        return initial

    def restriction_rows(self):
        return [(self[f"restrict_{kind}"], self[f"until_{kind}"]) for kind in RestrictionKind.values]

    def main_fields(self):
        return [self[name] for name in ("has_iep", "has_504", "skill_level", "assistance_needs")]

    def profile_values(self) -> dict:
        data = self.cleaned_data
        restrictions = [
            {"kind": kind, "until": data[f"until_{kind}"].isoformat() if data.get(f"until_{kind}") else None}
            for kind in RestrictionKind.values
            if data.get(f"restrict_{kind}")
        ]
        return {
            "has_iep": data["has_iep"],
            "has_504": data["has_504"],
            "skill_level": data["skill_level"],
            "preferred_modifications": data["preferred_modifications"],
            "assistance_needs": data["assistance_needs"],
            "notes": data["notes"],
            "restrictions": restrictions,
        }


class DecisionForm(forms.Form):
    proposal = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    next = forms.CharField(required=False)


class RecommendationFilterForm(forms.Form):
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment available"),
        queryset=EquipmentType.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to skip the equipment check."),
    )
    duration = forms.IntegerField(label=_("Minutes available"), min_value=1, max_value=240, required=False)
    space = forms.ChoiceField(
        label=_("Space"), choices=[("", _("The class's usual space")), *Space.choices], required=False
    )
    session = forms.TypedChoiceField(label=_("Plan for session"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", _("No session"))] + [
            (session.pk, f"{session.date:%Y-%m-%d} {session.title}".strip()) for session in sessions
        ]


class FeedbackForm(forms.Form):
    activity = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=FeedbackAction.choices)
    session = forms.IntegerField(min_value=1, required=False)
    score = forms.FloatField(required=False)
    reason = forms.CharField(max_length=300, required=False, label=_("Reason (optional)"))
    next = forms.CharField(required=False)
