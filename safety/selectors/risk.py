"""Reads for risk assessments: the bands in force for a school (its own set, else the shipped
defaults), an assessment's matrix summary, the list filters (shared by the API and the pages),
assessments due for review, and an assessment's workflow history from the audit log.

Cross-area contract (monitoring, risk scoring): ``bands_for(school) -> list[RiskBand]`` and
``band_for_score(bands, score) -> RiskBand | None``."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import members_of
from config.api.filters import IdFilter, ScopedFilterSet, StrictBooleanFilter
from safety.engines import risk_matrix
from safety.models import RiskAssessment, RiskAssessmentStatus, RiskBand, RiskSubject

VIEW = "safety.view_riskassessment"
ADD = "safety.add_riskassessment"
CHANGE = "safety.change_riskassessment"
DELETE = "safety.delete_riskassessment"
APPROVE = "safety.approve_riskassessment"
CHANGE_BANDS = "safety.change_riskband"


def bands_for(school) -> list[RiskBand]:
    """The school's own bands when it has any, else the shipped defaults; lowest first (one query).
    Each band carries ``tone`` (1 lowest … 4 highest) for the pages' colour classes. A shipped
    band's name and required action (English in the data file and the row) come back in the
    active language; a school's own bands are shown as the school wrote them."""
    school_id = getattr(school, "pk", school)
    rows = list(RiskBand.objects.filter(Q(school_id=school_id) | Q(school__isnull=True)).order_by("min_score", "pk"))
    own = [band for band in rows if band.school_id is not None]
    bands = own or [band for band in rows if band.school_id is None]
    tone_of = risk_matrix.tones(bands) if bands else {}
    for band in bands:
        band.tone = tone_of[band.code]  # 1 (lowest) … 4 (highest): the CSS colour class on pages
        if band.school_id is None:  # display only: these instances are not saved
            band.name, band.required_action = pgettext("risk", band.name), gettext(band.required_action)
    return bands


def band_for_score(bands, score: int) -> RiskBand | None:
    return risk_matrix.band_for(bands, score)


def has_own_bands(school) -> bool:
    return RiskBand.objects.filter(school=school).exists()


class BandCache:
    """``bands_for`` once per school while listing many assessments (no query per row)."""

    def __init__(self):
        self._by_school: dict[int, list[RiskBand]] = {}

    def __call__(self, school_id: int) -> list[RiskBand]:
        if school_id not in self._by_school:
            self._by_school[school_id] = bands_for(school_id)
        return self._by_school[school_id]


def summary_for(assessment: RiskAssessment, bands=None) -> risk_matrix.Summary:
    """The matrix summary; ``assessment.hazards`` should be prefetched when called in a loop."""
    bands = bands if bands is not None else bands_for(assessment.school_id)
    return risk_matrix.summarise(list(assessment.hazards.all()), bands)


def matrix_for(assessment: RiskAssessment, bands=None):
    bands = bands if bands is not None else bands_for(assessment.school_id)
    summary = summary_for(assessment, bands)
    return summary, risk_matrix.matrix_rows(bands, summary), risk_matrix.tones(bands)


def due_for_review_q(today: datetime.date) -> Q:
    return Q(status=RiskAssessmentStatus.APPROVED, review_date__lte=today)


def assessments_due(school, today: datetime.date | None = None):
    """Approved assessments of ``school`` whose review date has come (review_date ≤ today)."""
    today = today or timezone.localdate()
    return (
        RiskAssessment.objects.filter(school=school)
        .filter(due_for_review_q(today))
        .select_related("owner", "created_by")
        .order_by("review_date", "pk")
    )


def list_queryset(queryset):
    return queryset.select_related(
        "school", "activity", "pe_class", "owner", "created_by", "decided_by"
    ).prefetch_related("hazards")


def is_staff_of(user, school) -> bool:
    return user is not None and members_of(school).filter(pk=user.pk).exists()


class RiskAssessmentFilterSet(ScopedFilterSet):
    """Filters for the API list and the list page: status, subject, owner, due for review,
    activity, class, and a text search on title, venue and event."""

    status = django_filters.ChoiceFilter(choices=RiskAssessmentStatus.choices, label=_("Status"))
    subject = django_filters.ChoiceFilter(choices=RiskSubject.choices, label=_("Assessment of"))
    owner = IdFilter(field_name="owner__id", label=_("Owner (id)"))
    activity = IdFilter(field_name="activity__id", label=_("Activity (id)"))
    pe_class = IdFilter(field_name="pe_class__id", label=_("Class (id)"))
    due_for_review = StrictBooleanFilter(method="filter_due", label=_("Due for review"))
    q = django_filters.CharFilter(method="filter_text", max_length=100, label=_("Search"))

    class Meta:
        model = RiskAssessment
        fields = ["status", "subject", "owner", "activity", "pe_class", "due_for_review", "q"]

    def filter_due(self, queryset, name, value):
        if value is None:
            return queryset
        condition = due_for_review_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(venue__icontains=value)
            | Q(event_name__icontains=value)
            | Q(activity__name__icontains=value)
            | Q(pe_class__name__icontains=value)
        )


WORKFLOW_ACTIONS = (
    "safety.risk_assessment_created",
    "safety.risk_assessment_changed",
    "safety.risk_assessment_submitted",
    "safety.risk_assessment_approved",
    "safety.risk_assessment_returned",
    "safety.risk_assessment_reopened",
)


def history(assessment: RiskAssessment, limit: int = 50):
    """The assessment's audit rows (creation, edits, submissions, decisions, reopenings), newest first."""
    from accounts.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            target_type=RiskAssessment._meta.label_lower, target_id=str(assessment.pk), action__in=WORKFLOW_ACTIONS
        )
        .select_related("actor")
        .order_by("-occurred_at", "-pk")[:limit]
    )
