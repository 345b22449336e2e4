"""Forms for the rubric pages. The grid is typed as lines (phone-friendly, no scripts):

* levels, one per line: ``Name = points`` (e.g. ``Proficient = 3``);
* criteria, one per line: ``Name | weight | descriptor per level; separated; by semicolons | indicator codes``.

The service checks the rules; its errors are shown on the form."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from physed.models import GradeSpanIndicator


def _indicators(codes: str, field: str):
    wanted = [code.strip() for code in codes.replace(";", ",").split(",") if code.strip()]
    if not wanted:
        return []
    found = {row.code: row for row in GradeSpanIndicator.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise forms.ValidationError(_("Unknown indicator codes: %(codes)s") % {"codes": ", ".join(missing)})
    return [found[code] for code in wanted]


class RubricForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    grade_from = forms.IntegerField(label=_("Lowest grade"), min_value=0, max_value=12, initial=0)
    grade_to = forms.IntegerField(label=_("Highest grade"), min_value=0, max_value=12, initial=12)
    indicator_codes = forms.CharField(
        label=_("SHAPE America grade-span indicators"),
        required=False,
        help_text=_("Codes separated by commas, e.g. S1.E14.2"),
    )
    shared = forms.BooleanField(label=_("Share as a school template"), required=False)
    peer_mode = forms.BooleanField(label=_("Students may assess classmates with it"), required=False)
    levels_text = forms.CharField(
        label=_("Performance levels"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, lowest first: Name = points"),
        required=False,
    )
    criteria_text = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: Name | weight | descriptors per level separated by ; | indicator codes"),
        required=False,
    )

    def clean_indicator_codes(self):
        return _indicators(self.cleaned_data.get("indicator_codes", ""), "indicator_codes")

    def clean_levels_text(self):
        levels = []
        for line in self.cleaned_data.get("levels_text", "").splitlines():
            if not line.strip():
                continue
            name, sep, points = line.rpartition("=")
            try:
                value = Decimal(points.strip())
            except InvalidOperation:
                value = None
            if not sep or not name.strip() or value is None:
                raise forms.ValidationError(_("Write each level as: Name = points (“%(line)s”).") % {"line": line})
            levels.append({"name": name.strip(), "points": value})
        return levels

    def clean_criteria_text(self):
        criteria = []
        for line in self.cleaned_data.get("criteria_text", "").splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            name = parts[0]
            try:
                weight = Decimal(parts[1]) if len(parts) > 1 and parts[1] else Decimal(1)
            except InvalidOperation:
                raise forms.ValidationError(_("The weight must be a number (“%(line)s”).") % {"line": line}) from None
            descriptors = [text.strip() for text in parts[2].split(";")] if len(parts) > 2 and parts[2] else []
            indicators = _indicators(parts[3], "criteria_text") if len(parts) > 3 else []
            criteria.append({"name": name, "weight": weight, "descriptors": descriptors, "indicators": indicators})
        return criteria

    @staticmethod
    def initial_for(rubric) -> dict:
        levels = list(rubric.levels.order_by("position", "points"))
        lines = []
        for criterion in rubric.criteria.order_by("position", "pk").prefetch_related("descriptors", "indicators"):
            texts = {d.level_id: d.text for d in criterion.descriptors.all()}
            codes = ", ".join(i.code for i in criterion.indicators.all())
            descriptors = "; ".join(texts.get(level.pk, "") for level in levels)
            lines.append(f"{criterion.name} | {criterion.weight.normalize()} | {descriptors} | {codes}".rstrip(" |"))
        return {
            "title": rubric.title,
            "description": rubric.description,
            "grade_from": rubric.grade_from,
            "grade_to": rubric.grade_to,
            "indicator_codes": ", ".join(i.code for i in rubric.indicators.all()),
            "shared": rubric.shared,
            "peer_mode": rubric.peer_mode,
            "levels_text": "\n".join(f"{lv.name} = {lv.points.normalize()}" for lv in levels),
            "criteria_text": "\n".join(lines),
        }


class RubricSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All rubrics")), ("templates", _("School templates")), ("mine", _("Mine"))],
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo, video or document"), help_text=_("PNG, JPEG, PDF or MP4"))
