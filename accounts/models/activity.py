"""Activity tracking and user analytics (user-system issue §4 and §6).

* ``ActivityEvent``: one row per tracked request (a sign-in, a feature used — by route group — or a
  key action). Written in batches from a cache buffer (``accounts.services.activity``), never the
  request body or content. Kept ``SchoolActivityPolicy.retention_days`` (default 13 months).
* ``ActivitySettings``: a user's own opt-out (1:1, created on first change).
* ``SchoolActivityPolicy``: per-school retention, whether students' feature use is tracked and how
  often satisfaction prompts may appear.
* ``SatisfactionResponse``: an answered (or dismissed) CSAT/NPS prompt.
* ``RiskModelFit``: one fitted disengagement-risk logistic regression per school and fit.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = [
    "ActivityEvent",
    "ActivityKind",
    "ActivitySettings",
    "RiskModelFit",
    "SatisfactionKind",
    "SatisfactionResponse",
    "SchoolActivityPolicy",
]


class ActivityKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign-in")
    FEATURE = "feature", _("Feature used")
    ACTION = "action", _("Key action")


class ActivityEventQuerySet(ScopedQuerySet):
    school_lookup = "school"


class ActivityEvent(models.Model):
    """One tracked request. ``route_group`` is derived from the resolved URL (namespace + name
    prefix, e.g. ``people`` or ``api:memberships``); ``action`` names the audited key action the
    request performed, if any. Timing feeds the performance analytics."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_events", verbose_name=_("user")
    )
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity_events",
        verbose_name=_("school"),
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices, default=ActivityKind.FEATURE)
    route_group = models.CharField(_("feature"), max_length=80, blank=True)
    action = models.CharField(_("key action"), max_length=80, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"), default=200)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address (truncated)"), null=True, blank=True)

    objects = ActivityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["user", "occurred_at"], name="activity_user_time_idx"),
            models.Index(fields=["school", "occurred_at"], name="activity_school_time_idx"),
        ]
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.route_group} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class ActivitySettings(models.Model):
    """A user's choice about activity tracking (absent row = tracking on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_settings", verbose_name=_("user")
    )
    tracking_enabled = models.BooleanField(
        _("record my activity"),
        default=True,
        help_text=_("When off, nothing about your use of the platform is recorded (sign-ins included)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity settings")
        verbose_name_plural = _("activity settings")

    def __str__(self):
        return f"{self.user} — {'on' if self.tracking_enabled else 'off'}"


class SchoolActivityPolicyQuerySet(ScopedQuerySet):
    school_lookup = "school"


class SchoolActivityPolicy(models.Model):
    """Per-school activity settings (absent row = the defaults from settings)."""

    school = models.OneToOneField(
        "accounts.School", on_delete=models.CASCADE, related_name="activity_policy", verbose_name=_("school")
    )
    retention_days = models.PositiveIntegerField(
        _("keep activity for (days)"),
        default=395,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
        help_text=_("Older activity events are deleted by a daily task (395 days ≈ 13 months)."),
    )
    track_student_features = models.BooleanField(
        _("record which features students use"),
        default=False,
        help_text=_("Off: for students only sign-ins are recorded."),
    )
    prompt_interval_days = models.PositiveIntegerField(
        _("days between satisfaction prompts"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    objects = SchoolActivityPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("school activity policy")
        verbose_name_plural = _("school activity policies")

    def __str__(self):
        return f"{self.school} — {self.retention_days} d"


class SatisfactionKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction (1–5)")
    NPS = "nps", _("Recommendation (0–10)")


class SatisfactionResponseQuerySet(ScopedQuerySet):
    school_lookup = "school"


class SatisfactionResponse(models.Model):
    """One answered or dismissed in-app prompt. ``score`` is 1–5 for CSAT, 0–10 for NPS and empty
    when dismissed; either way it counts for the per-user prompt rate limit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="satisfaction_responses",
        verbose_name=_("user"),
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="satisfaction_responses", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SatisfactionKind.choices)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    dismissed = models.BooleanField(_("dismissed"), default=False)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = SatisfactionResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(dismissed=True, score__isnull=True) | Q(dismissed=False, score__isnull=False))
                & (Q(score__isnull=True) | Q(kind="nps", score__lte=10) | Q(kind="csat", score__gte=1, score__lte=5)),
                name="satisfaction_score_range",
            )
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="satisfaction_user_time_idx")]
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.score if self.score is not None else '—'}"


class RiskModelFitQuerySet(ScopedQuerySet):
    school_lookup = "school"


class RiskModelFit(models.Model):
    """A disengagement-risk logistic regression fitted on one school's history: standardisation
    (means, stds) and coefficients per named feature, so every score can be explained as
    coefficient × standardised feature."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="risk_model_fits", verbose_name=_("school")
    )
    fitted_at = models.DateTimeField(_("fitted"), default=timezone.now)
    sample_size = models.PositiveIntegerField(_("training examples"))
    positives = models.PositiveIntegerField(_("examples that became inactive"))
    horizon_days = models.PositiveSmallIntegerField(_("inactivity horizon (days)"), default=28)
    features = models.JSONField(_("features"), default=list)
    means = models.JSONField(_("feature means"), default=list)
    stds = models.JSONField(_("feature standard deviations"), default=list)
    coefficients = models.JSONField(_("coefficients"), default=list)
    intercept = models.FloatField(_("intercept"), default=0.0)
    training_auc = models.FloatField(_("training AUC"), null=True, blank=True)

    objects = RiskModelFitQuerySet.as_manager()

    class Meta:
        ordering = ["-fitted_at", "-id"]
        get_latest_by = "fitted_at"
        verbose_name = _("risk model fit")
        verbose_name_plural = _("risk model fits")

    def __str__(self):
        return f"{self.school} — {self.fitted_at:%Y-%m-%d} (n={self.sample_size})"

    @property
    def coefficient_map(self) -> dict[str, float]:
        return dict(zip(self.features, self.coefficients, strict=False))
