"""Admin: risk assessments (hazards inline) and risk bands. A band saved here is checked against
the other bands of the same set (no overlap); the changelist warns about any set whose bands do
not cover 1..25 exactly once."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from safety.engines.risk_matrix import coverage_problems
from safety.models import Hazard, RiskAssessment, RiskBand


class HazardInline(admin.TabularInline):
    model = Hazard
    extra = 0
    fields = [
        "order",
        "description",
        "who_at_risk",
        "likelihood",
        "severity",
        "controls",
        "residual_likelihood",
        "residual_severity",
    ]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "subject", "status", "owner", "review_date", "decided_by", "decided_at"]
    list_filter = ["status", "subject", "school"]
    search_fields = ["title", "venue", "event_name", "description", "owner__email", "owner__last_name"]
    list_select_related = ["school", "owner", "decided_by"]
    raw_id_fields = ["school", "activity", "pe_class", "owner", "decided_by"]
    readonly_fields = ["created_by", "submitted_at", "review_reminded_on", "created_at", "updated_at"]
    date_hierarchy = "review_date"
    inlines = [HazardInline]


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    list_display = ["description", "assessment", "likelihood", "severity", "residual_likelihood", "residual_severity"]
    list_filter = ["likelihood", "severity", "assessment__school"]
    search_fields = ["description", "controls", "assessment__title"]
    list_select_related = ["assessment"]
    raw_id_fields = ["assessment"]


class RiskBandAdminForm(forms.ModelForm):
    class Meta:
        model = RiskBand
        fields = [
            "school",
            "code",
            "name",
            "min_score",
            "max_score",
            "colour",
            "required_action",
            "activity_allowed",
            "source",
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_score"), data.get("max_score")
        if low is None or high is None:
            return data
        if low > high:
            raise forms.ValidationError(_("'From score' must not be above 'to score'."))
        siblings = RiskBand.objects.filter(school=data.get("school")).exclude(pk=self.instance.pk)
        clash = siblings.filter(min_score__lte=high, max_score__gte=low).first()
        if clash is not None:
            raise forms.ValidationError(
                _("Scores %(low)d–%(high)d overlap the band “%(name)s” (%(a)d–%(b)d) of the same set.")
                % {"low": low, "high": high, "name": clash.name, "a": clash.min_score, "b": clash.max_score}
            )
        return data


@admin.register(RiskBand)
class RiskBandAdmin(admin.ModelAdmin):
    form = RiskBandAdminForm
    list_display = ["name", "school", "code", "min_score", "max_score", "activity_allowed", "colour"]
    list_filter = ["activity_allowed", "school"]
    search_fields = ["name", "code", "required_action", "school__name"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
    ordering = ["school", "min_score"]

    def changelist_view(self, request, extra_context=None):
        sets: dict = {}
        for band in RiskBand.objects.select_related("school").order_by("school_id", "min_score"):
            sets.setdefault(band.school, []).append(band)
        for school, bands in sets.items():
            problems = coverage_problems(bands)
            if problems:
                label = school.name if school else _("Shipped defaults")
                messages.warning(request, f"{label}: {'; '.join(problems)}")
        return super().changelist_view(request, extra_context)
