"""Risk assessments (safety §3): hazards scored likelihood × severity on a 5×5 matrix, with
controls and the residual risk. The bands a score falls in, and what each band requires, are data
(``RiskBand``: the shipped default rows have no school; a school's own rows replace them).

Workflow: draft → submitted → approved (by a department head) → due for review once
``review_date`` has passed (derived, not stored); a returned assessment goes back to draft.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from safety.models.common import SchoolQuerySet, Timestamped

__all__ = ["Hazard", "RiskAssessment", "RiskAssessmentStatus", "RiskBand", "RiskSubject"]

score_validators = [MinValueValidator(1), MaxValueValidator(5)]


class RiskBandQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The shipped default bands (no school) are readable by every signed-in user."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.filter(Q(school__isnull=True) | Q(school__in=school_ids_for(user)))


class RiskBand(models.Model):
    """Scores ``min_score``..``max_score`` (1–25) fall in this band, which requires ``action``."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, null=True, blank=True, related_name="risk_bands"
    )
    code = models.SlugField(_("key"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    min_score = models.PositiveSmallIntegerField(
        _("from score"), validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("to score"), validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    colour = models.CharField(_("colour"), max_length=7, default="#888888")
    required_action = models.TextField(_("required action"))
    activity_allowed = models.BooleanField(_("activity may go ahead"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = RiskBandQuerySet.as_manager()

    class Meta:
        ordering = ["school_id", "min_score"]
        verbose_name = _("risk band")
        verbose_name_plural = _("risk bands")
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="safety_riskband_code"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(school__isnull=True), name="safety_riskband_default_code"
            ),
            models.CheckConstraint(condition=Q(min_score__lte=models.F("max_score")), name="safety_riskband_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.min_score}–{self.max_score})"


class RiskSubject(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    CLASS = "class", _("Class")
    VENUE = "venue", _("Venue")
    EVENT = "event", _("Event")


class RiskAssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")


class RiskAssessment(Timestamped):
    """A written assessment of one activity, class, venue or event (``subject`` says which field
    names it). Kept after approval as the school's record; changed only as a reopened draft."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="risk_assessments")
    title = models.CharField(_("title"), max_length=160)
    subject = models.CharField(_("assessment of"), max_length=10, choices=RiskSubject.choices)
    activity = models.ForeignKey(
        "physed.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("class")
    )
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    event_name = models.CharField(_("event"), max_length=160, blank=True)
    event_date = models.DateField(_("event date"), null=True, blank=True)
    description = models.TextField(_("scope and notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("owner")
    )
    # who wrote it: the approver must be someone else (four eyes)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("written by"),
    )
    review_date = models.DateField(_("review by"))
    status = models.CharField(
        _("status"), max_length=10, choices=RiskAssessmentStatus.choices, default=RiskAssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["review_date", "pk"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        permissions = [("approve_riskassessment", "Approve or return risk assessments")]
        indexes = [models.Index(fields=["school", "status", "review_date"])]

    def __str__(self):
        return self.title

    def is_due_for_review(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return self.status == RiskAssessmentStatus.APPROVED and self.review_date <= today


class HazardQuerySet(ScopedQuerySet):
    school_lookup = "assessment__school"


class Hazard(models.Model):
    """One hazard of an assessment: its risk before (likelihood × severity) and after the controls."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="hazards")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("hazard"), max_length=300)
    who_at_risk = models.CharField(_("who might be harmed"), max_length=160, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), validators=score_validators)
    severity = models.PositiveSmallIntegerField(_("severity (1–5)"), validators=score_validators)
    controls = models.TextField(_("controls"), blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), validators=score_validators)
    residual_severity = models.PositiveSmallIntegerField(_("residual severity"), validators=score_validators)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "order", "pk"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, severity__gte=1, severity__lte=5)
                & Q(residual_likelihood__gte=1, residual_likelihood__lte=5)
                & Q(residual_severity__gte=1, residual_severity__lte=5),
                name="safety_hazard_scores",
            )
        ]

    def __str__(self):
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.severity

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_severity
