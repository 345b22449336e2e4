"""Forms for item pages: the item form (choices limited to what the item's school may use),
attachment upload and scheduling into a session. Validation of the content itself stays in the
item service; the form only shapes the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import SCALAR_FIELDS, ContentItem, ContentStatus
from content.selectors import items as sel
from content.services.tags import normalize
from physed.models import Activity, Exercise, GradeSpanIndicator, PEStandard
from physed.models.roster import GRADE_CHOICES

SCALAR_FORM_FIELDS = SCALAR_FIELDS


class ItemForm(forms.ModelForm):
    """``version`` is the version the edit started from (hidden); a stale one is a 409 page."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    grade_min = forms.TypedChoiceField(label=_("Lowest grade"), choices=GRADE_CHOICES, coerce=int, initial=0)
    grade_max = forms.TypedChoiceField(label=_("Highest grade"), choices=GRADE_CHOICES, coerce=int, initial=12)
    video_url = forms.URLField(label=_("Video link"), required=False, max_length=500, assume_scheme="https")
    tag_names = forms.CharField(
        label=_("Tags"), required=False, max_length=2000, help_text=_("Separate tags with commas.")
    )
    change_note = forms.CharField(
        label=_("Change note"), required=False, max_length=300, help_text=_("What did you change? (shown in history)")
    )

    class Meta:
        model = ContentItem
        fields = [
            *SCALAR_FORM_FIELDS,
            "category",
            "standards",
            "indicators",
            "activities",
            "exercises",
            "co_authors",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "standards": forms.CheckboxSelectMultiple,
            "indicators": forms.SelectMultiple(attrs={"size": 8}),
            "activities": forms.SelectMultiple(attrs={"size": 8}),
            "exercises": forms.SelectMultiple(attrs={"size": 8}),
            "co_authors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, school, can_manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = sel.category_choices(school)
        self.fields["standards"].queryset = PEStandard.objects.order_by("number")
        self.fields["indicators"].queryset = GradeSpanIndicator.objects.select_related("standard")
        self.fields["activities"].queryset = sel.library_choices(Activity, school)
        self.fields["exercises"].queryset = sel.library_choices(Exercise, school)
        if can_manage:
            self.fields["co_authors"].queryset = sel.staff_choices(school)
            self.fields["co_authors"].label_from_instance = lambda user: user.get_full_name() or user.email
        else:
            del self.fields["co_authors"]
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(tag.name for tag in self.instance.tags.all())
            self.fields["version"].initial = self.instance.version
        self.fields["status"].choices = ContentStatus.choices

    def clean_tag_names(self):
        raw = self.cleaned_data.get("tag_names") or ""
        return [normalize(name) for name in raw.split(",") if normalize(name)]

    def service_fields(self) -> dict:
        """The editable fields for ``create_item`` / ``update_item``."""
        data = self.cleaned_data
        fields = {name: data[name] for name in SCALAR_FORM_FIELDS}
        fields["summary"] = fields["summary"] or ""
        fields["body"] = fields["body"] or ""
        fields["video_url"] = fields["video_url"] or ""
        fields["category"] = data.get("category")
        fields["tags"] = data["tag_names"]
        for name in ("standards", "indicators", "activities", "exercises"):
            fields[name] = list(data.get(name) or [])
        return fields

    def _post_clean(self):
        # the service is the one write path: skip ModelForm's instance update and model validation
        pass


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG or MP4."))


class ScheduleForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=None, empty_label=None)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = self._label

    @staticmethod
    def _label(session):
        start = f" {session.start_time:%H:%M}" if session.start_time else ""
        return f"{session.pe_class.name} · {session.date:%a %d %b %Y}{start}"
