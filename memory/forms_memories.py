"""Forms of the memory pages. The service (``memory.services.memories``) checks the rules; its
errors are shown on the form (``add_service_error``). Links are offered only among the records the
person may see in the school they work in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from memory.models import MemoryKind

MAX_QUERY = 200


def add_service_error(form, exc) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class MemorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search my memories"), max_length=MAX_QUERY, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *MemoryKind.choices], required=False)
    pinned_first = forms.BooleanField(label=_("Pinned first"), required=False)


class MemoryForm(forms.Form):
    content = forms.CharField(
        label=_("What should the assistant remember?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MemoryKind.choices, initial=MemoryKind.FACT)
    key = forms.SlugField(
        label=_("Preference key"),
        max_length=50,
        required=False,
        help_text=_("Only for preferences, e.g. default_class, units or report_style."),
    )
    importance = forms.FloatField(
        label=_("Importance"),
        min_value=0.0,
        max_value=1.0,
        initial=0.5,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
        help_text=_("From 0 (trivia) to 1 (always keep in mind); important memories come up first."),
    )
    pinned = forms.BooleanField(
        label=_("Pinned"),
        required=False,
        help_text=_("Pinned memories are never decayed, merged or removed by clean-up."),
    )
    student = forms.ModelChoiceField(label=_("About a student"), queryset=None, required=False)
    pe_class = forms.ModelChoiceField(label=_("About a class"), queryset=None, required=False)
    content_item = forms.ModelChoiceField(label=_("About a content item"), queryset=None, required=False)

    def __init__(self, *args, user, school, **kwargs):
        super().__init__(*args, **kwargs)
        from content.models import ContentItem
        from physed.models import PEClass, Student

        self.fields["student"].queryset = (
            Student.objects.visible_to(user).filter(school=school).order_by("last_name", "first_name", "pk")
        )
        self.fields["pe_class"].queryset = PEClass.objects.visible_to(user).filter(school=school).order_by("name", "pk")
        self.fields["content_item"].queryset = (
            ContentItem.objects.visible_to(user).filter(school=school).order_by("title", "pk")
        )

    @staticmethod
    def initial_for(memory) -> dict:
        return {
            "content": memory.content,
            "kind": memory.kind,
            "key": memory.key,
            "importance": memory.importance,
            "pinned": memory.pinned,
            "student": memory.student_id,
            "pe_class": memory.pe_class_id,
            "content_item": memory.content_item_id,
        }
