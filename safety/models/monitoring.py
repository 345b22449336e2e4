"""Live monitoring and risk scoring (safety §6–7).

* ``SafetyAlert`` — an alert raised for a running session (heat band reached, restricted student
  present, failed equipment planned…), delivered once to the teacher and the department heads;
  ``key`` makes raising the same alert again a no-op.
* ``RiskModel`` — a school's fitted incident-rate model (Poisson regression of incidents per
  participation-hour on the session factors), or the documented priors when there is not enough
  history; the risk score of a planned session is computed from the latest one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from safety.models.common import SchoolQuerySet

__all__ = ["AlertLevel", "RiskModel", "SafetyAlert"]


class AlertLevel(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Danger")


class AlertQuerySet(ScopedQuerySet):
    school_lookup = "session__pe_class__school"


class SafetyAlert(models.Model):
    """An alert raised for a session; ``student`` is set when it is about one student (a medical
    need, a restriction conflict), so export and erasure find it."""

    session = models.ForeignKey("physed.ClassSession", on_delete=models.CASCADE, related_name="safety_alerts")
    key = models.CharField(max_length=120)
    student = models.ForeignKey(
        "physed.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("student"),
        help_text=_("The student the alert is about, if any (its message names them)."),
    )
    kind = models.CharField(_("kind"), max_length=30)
    level = models.CharField(_("level"), max_length=8, choices=AlertLevel.choices, default=AlertLevel.WARNING)
    message = models.CharField(_("message"), max_length=400)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        constraints = [models.UniqueConstraint(fields=["session", "key"], name="safety_alert_once")]

    def __str__(self):
        return self.message[:60]


class RiskModel(models.Model):
    """``coefficients`` = ``{factor: log rate ratio}`` plus ``"intercept"`` (log incidents per
    participation-hour); ``standard_errors`` alike; ``method`` is ``poisson`` (fitted) or
    ``prior`` (the documented defaults in ``safety/data/risk_priors.json``). ``deviance`` and
    ``details`` describe a fit (empty for priors)."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="risk_models")
    method = models.CharField(_("method"), max_length=10)
    coefficients = models.JSONField(_("coefficients"), default=dict)
    standard_errors = models.JSONField(_("standard errors"), default=dict, blank=True)
    incidents = models.PositiveIntegerField(_("incidents used"), default=0)
    exposure_hours = models.FloatField(_("participation-hours used"), default=0)
    sessions = models.PositiveIntegerField(_("sessions used"), default=0)
    deviance = models.FloatField(_("deviance"), null=True, blank=True)
    details = models.JSONField(
        _("fit details"),
        default=dict,
        blank=True,
        help_text=_("Iterations, convergence, null deviance, the thresholds and priors version used."),
    )
    notes = models.TextField(_("notes"), blank=True)
    fitted_at = models.DateTimeField(_("fitted"), auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["-fitted_at", "-pk"]
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")
        get_latest_by = "fitted_at"

    def __str__(self):
        return f"{self.school} {self.method} {self.fitted_at:%Y-%m-%d}"
