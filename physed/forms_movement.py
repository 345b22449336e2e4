"""Forms for the movement pages: upload a keypoint file (or paste it) with an optional video."""

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.selectors import schools_where
from accounts.services.errors import ServiceError
from physed.models import Exercise, Movement, Student
from physed.services.movement_video import check_video

ADD = "physed.add_movementanalysis"


def _reject_constant(name):
    raise ValueError(name)


def parse_keypoints_json(raw: bytes | str):
    """JSON with NaN/Infinity refused (Python's json would accept them)."""
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ValueError as exc:
        if str(exc) in ("NaN", "Infinity", "-Infinity"):
            raise forms.ValidationError(
                _("NaN and Infinity are not valid numbers in keypoints."), code="not_finite"
            ) from exc
        raise forms.ValidationError(_("The keypoints are not valid JSON."), code="invalid_json") from exc


class AnalysisUploadForm(forms.Form):
    student = forms.ModelChoiceField(queryset=Student.objects.none(), label=_("Student"))
    movement = forms.ChoiceField(choices=Movement.choices, label=_("Movement"))
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(),
        required=False,
        label=_("Exercise"),
        help_text=_("Leave empty to use the library exercise for the movement."),
    )
    keypoints_file = forms.FileField(
        required=False,
        label=_("Keypoints file (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    keypoints_text = forms.CharField(
        required=False,
        label=_("…or paste the keypoints JSON"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off"}),
    )
    video = forms.FileField(
        required=False,
        label=_("Video"),
        help_text=_("Optional, private: MP4, MOV or WebM."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/quicktime,video/webm"}),
    )
    note = forms.CharField(required=False, max_length=300, label=_("Note"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools_where(user, ADD) if not user.is_superuser else None
        students = Student.objects.visible_to(user).active()
        if schools is not None:
            students = students.filter(school__in=schools)
        self.fields["student"].queryset = students
        self.fields["exercise"].queryset = Exercise.objects.visible_to(user).order_by("name")

    def clean_video(self):
        upload = self.cleaned_data.get("video")
        if upload:
            try:
                check_video(upload)
            except ServiceError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload

    def clean(self):
        data = super().clean()
        upload, text = data.get("keypoints_file"), (data.get("keypoints_text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Upload a file or paste the JSON, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Upload a keypoints file or paste the JSON."))
        if upload:
            if upload.size > settings.MAX_UPLOAD_BODY_BYTES:
                self.add_error("keypoints_file", _("The file is too large."))
                return data
            raw = upload.read()
        else:
            raw = text
        try:
            data["keypoints"] = parse_keypoints_json(raw)
        except forms.ValidationError as exc:
            self.add_error("keypoints_file" if upload else "keypoints_text", exc)
        return data


class HistoryFilterForm(forms.Form):
    movement = forms.ChoiceField(
        choices=[("", _("All movements")), *Movement.choices], required=False, label=_("Movement")
    )


class ListFilterForm(HistoryFilterForm):
    q = forms.CharField(required=False, label=_("Student"), max_length=100)
