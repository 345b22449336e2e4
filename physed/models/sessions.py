"""Sessions, attendance and performance (PE core §2 and §4).

A ``ClassSession`` is one meeting of a class on a date: planned as ordered ``SessionBlock`` rows
(activity or exercise + minutes), then run — attendance first, then per-student results.
Performance values are typed by the ``MetricType`` registry (unit, "higher is better", valid
range); the shipped metrics have ``school = NULL``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models.library import FitnessComponent, LibraryQuerySet
from physed.models.roster import ClassChildQuerySet

__all__ = [
    "AttendanceRecord",
    "AttendanceStatus",
    "ClassSession",
    "MetricType",
    "PerformanceResult",
    "SessionBlock",
    "SessionStatus",
    "ValueKind",
]


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ClassSession(models.Model):
    """One meeting of a class."""

    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("class")
    )
    date = models.DateField(_("date"))
    period = models.CharField(_("period"), max_length=20, blank=True)
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    title = models.CharField(_("planned lesson"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClassChildQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "start_time", "pk"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        indexes = [models.Index(fields=["pe_class", "date"])]
        permissions = [("run_session", "Run a session: start, finish, take attendance and record results")]

    def __str__(self):
        return f"{self.pe_class.name} {self.date:%Y-%m-%d}"

    @property
    def planned_minutes(self) -> int:
        return sum(block.planned_minutes for block in self.blocks.all())


class SessionChildQuerySet(ScopedQuerySet):
    school_lookup = "session__pe_class__school"


class SessionBlock(models.Model):
    """One block of a session plan: an activity or an exercise, in order, with its minutes."""

    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("session")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    activity = models.ForeignKey(
        "physed.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    exercise = models.ForeignKey(
        "physed.Exercise", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("exercise")
    )
    planned_minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MinValueValidator(1)])
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("session block")
        verbose_name_plural = _("session blocks")
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="physed_block_order"),
            models.CheckConstraint(
                condition=Q(activity__isnull=False, exercise__isnull=True)
                | Q(activity__isnull=True, exercise__isnull=False),
                name="physed_block_one_item",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.item} ({self.planned_minutes} min)"

    @property
    def item(self):
        """The activity or the exercise this block runs."""
        return self.activity or self.exercise


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    NOT_DRESSED = "not_dressed", _("Not dressed")
    SITTING_OUT = "sitting_out", _("Sitting out (injury)")
    MEDICAL = "medical", _("Medical")


# statuses in which the student takes part in the activity (participation hours, results)
PARTICIPATING_STATUSES = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
# statuses in which the student is in the room
ON_SITE_STATUSES = PARTICIPATING_STATUSES | {
    AttendanceStatus.NOT_DRESSED,
    AttendanceStatus.SITTING_OUT,
    AttendanceStatus.MEDICAL,
}


class AttendanceRecord(models.Model):
    """A student's attendance in one session (one row per student and session)."""

    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    student = models.ForeignKey(
        "physed.Student", on_delete=models.CASCADE, related_name="attendance", verbose_name=_("student")
    )
    status = models.CharField(_("status"), max_length=12, choices=AttendanceStatus.choices)
    minutes_late = models.PositiveSmallIntegerField(_("minutes late"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        ordering = ["session", "student__last_name", "student__first_name"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [models.UniqueConstraint(fields=["session", "student"], name="physed_attendance_unique")]
        indexes = [models.Index(fields=["student", "status"])]

    def __str__(self):
        return f"{self.student} {self.get_status_display()} {self.session}"


class ValueKind(models.TextChoices):
    COUNT = "count", _("Count")
    DECIMAL = "decimal", _("Decimal")
    DURATION = "duration", _("Duration (seconds)")
    SCALE = "scale", _("Scale")


class MetricType(models.Model):
    """The typed metric registry: what a performance value means. Shipped metrics (school empty)
    are loaded by a data migration; schools may add their own."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, null=True, blank=True, related_name="metric_types"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. reps, s, m, bpm"))
    value_kind = models.CharField(_("value kind"), max_length=10, choices=ValueKind.choices)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    min_value = models.DecimalField(_("lowest valid value"), max_digits=10, decimal_places=2, default=0)
    max_value = models.DecimalField(_("highest valid value"), max_digits=10, decimal_places=2)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    fitness_component = models.CharField(
        _("fitness component"),
        max_length=20,
        choices=FitnessComponent.choices,
        blank=True,
        help_text=_("The component this metric measures, if any (recommendations read it)."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("metric type")
        verbose_name_plural = _("metric types")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(school__isnull=True), name="physed_metric_shipped_code"
            ),
            models.UniqueConstraint(fields=["school", "code"], name="physed_metric_school_code"),
            models.CheckConstraint(condition=Q(min_value__lte=models.F("max_value")), name="physed_metric_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name


class PerformanceResult(models.Model):
    """One measured value for a student in a session (optionally for one block)."""

    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="results", verbose_name=_("session")
    )
    block = models.ForeignKey(
        SessionBlock, on_delete=models.SET_NULL, null=True, blank=True, related_name="results", verbose_name=_("block")
    )
    student = models.ForeignKey(
        "physed.Student", on_delete=models.CASCADE, related_name="results", verbose_name=_("student")
    )
    metric = models.ForeignKey(MetricType, on_delete=models.PROTECT, related_name="results", verbose_name=_("metric"))
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        ordering = ["-session__date", "student", "metric"]
        verbose_name = _("performance result")
        verbose_name_plural = _("performance results")
        constraints = [
            models.UniqueConstraint(fields=["session", "student", "metric"], name="physed_result_unique"),
        ]
        indexes = [models.Index(fields=["student", "metric"])]

    def __str__(self):
        return f"{self.student} {self.metric.code}={self.value}"
