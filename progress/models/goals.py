"""Goals, milestones and progress entries (progress §3).

A goal tracks one *metric key* for a student or a whole class: ``fitness.<test code>`` (fitness
results, registered by the assessments app), ``metric.<metric code>`` (session performance metrics)
or ``attendance.rate``. Keys are strings so this app does not import the apps above it; the metric
catalogue (``progress.metrics``) turns a key into its label, unit and direction.

A ``ProgressEntry`` is one dated value of a metric for a student, written automatically from the
source record (a fitness result, a performance result) — ``(source, source_id)`` is unique so
re-saving a result updates its entry instead of adding another. Goal progress, milestones,
forecasts and achievements all read entries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = [
    "EntrySource",
    "Goal",
    "GoalStatus",
    "Milestone",
    "ProgressEntry",
]


class SchoolQuerySet(ScopedQuerySet):
    school_lookup = "school"


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed — waiting for teacher approval")
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not approved")


class Goal(models.Model):
    """A target for one student (``student``) or for a class (``pe_class``, every enrolled student
    measured by the class mean). Student-proposed goals start ``proposed`` and need a teacher."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="goals")
    student = models.ForeignKey(
        "physed.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("student"),
    )
    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.CASCADE, null=True, blank=True, related_name="goals", verbose_name=_("class")
    )
    title = models.CharField(_("title"), max_length=160)
    metric_key = models.CharField(_("metric"), max_length=60, help_text=_("e.g. fitness.pacer_20m"))
    metric_label = models.CharField(_("metric name"), max_length=120, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    baseline = models.DecimalField(_("baseline"), max_digits=10, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    start_date = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    proposed_by_student = models.BooleanField(_("proposed by the student"), default=False)
    note = models.TextField(_("note"), blank=True)
    decision_note = models.CharField(_("approval note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    achieved_at = models.DateTimeField(_("achieved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(student__isnull=False, pe_class__isnull=True) | Q(student__isnull=True, pe_class__isnull=False)
                ),
                name="progress_goal_one_subject",
            ),
            models.CheckConstraint(condition=Q(start_date__lte=models.F("deadline")), name="progress_goal_dates"),
        ]
        indexes = [
            models.Index(fields=["school", "status", "deadline"]),
            models.Index(fields=["student", "metric_key"]),
            models.Index(fields=["pe_class", "metric_key"]),
        ]
        permissions = [("approve_goal", "Approve or reject student-proposed goals")]

    def __str__(self):
        return self.title


class MilestoneQuerySet(ScopedQuerySet):
    school_lookup = "goal__school"


class Milestone(models.Model):
    """An intermediate target on the way to a goal; ``reached_at`` is set when an entry reaches it."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("goal"))
    title = models.CharField(_("title"), max_length=160)
    target_value = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    due_date = models.DateField(_("due"))
    reached_at = models.DateField(_("reached"), null=True, blank=True)
    reached_value = models.DecimalField(_("value reached"), max_digits=10, decimal_places=2, null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class EntrySource(models.TextChoices):
    FITNESS_RESULT = "fitness_result", _("Fitness test result")
    PERFORMANCE_RESULT = "performance_result", _("Session performance result")
    ATTENDANCE = "attendance", _("Attendance")
    MANUAL = "manual", _("Entered by hand")


class EntryQuerySet(ScopedQuerySet):
    school_lookup = "school"


class ProgressEntry(models.Model):
    """One dated value of a metric for a student (see the module docstring). ``zone`` carries the
    fitness zone code when the source is a fitness result (HFZ, NI, NI-HR, VERY_LEAN), so
    achievements and at-risk flags read zones without importing the assessments app."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="progress_entries")
    student = models.ForeignKey(
        "physed.Student", on_delete=models.CASCADE, related_name="progress_entries", verbose_name=_("student")
    )
    metric_key = models.CharField(_("metric"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    date = models.DateField(_("date"))
    zone = models.CharField(_("zone"), max_length=12, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=EntrySource.choices)
    source_id = models.CharField(_("source record"), max_length=40, blank=True)
    group_key = models.CharField(
        _("group"), max_length=60, blank=True, help_text=_("Results entered together, e.g. one fitness test event.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["student", "metric_key", "date", "pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="progress_entry_source_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["student", "metric_key", "date"]),
            models.Index(fields=["school", "metric_key", "date"]),
        ]

    def __str__(self):
        return f"{self.student} {self.metric_key}={self.value} ({self.date})"
