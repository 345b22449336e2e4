"""Progress reports (assessments §5).

A ``ProgressReport`` is one student's report for one term: ``data`` is the snapshot of the numbers
it was generated from (fitness results with zones and trend, skills, goals, achievements,
attendance, teacher comments); ``generated_en``/``generated_es`` are the evaluation narratives the
generator wrote from those numbers, ``narrative_en``/``narrative_es`` what the teacher edited and
publishes. Guardians and the student read published reports only. A ``ReportBatch`` is the Celery
job that generates the reports of a whole class (status and progress to poll).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models.privacy import JobStatus
from accounts.visibility import ScopedQuerySet

__all__ = ["BatchStatus", "ProgressReport", "ReportBatch", "ReportStatus"]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ReportQuerySet(ScopedQuerySet):
    school_lookup = "student__school"

    def published(self):
        return self.filter(status=ReportStatus.PUBLISHED)


class ProgressReport(models.Model):
    student = models.ForeignKey("physed.Student", on_delete=models.CASCADE, related_name="progress_reports")
    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.SET_NULL, null=True, blank=True, related_name="progress_reports"
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    term = models.CharField(_("term"), max_length=4)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    data = models.JSONField(_("numbers"), default=dict, blank=True)
    generated_en = models.TextField(_("generated evaluation (English)"), blank=True)
    generated_es = models.TextField(_("generated evaluation (Spanish)"), blank=True)
    narrative_en = models.TextField(_("evaluation (English)"), blank=True)
    narrative_es = models.TextField(_("evaluation (Spanish)"), blank=True)
    teacher_comment = models.TextField(_("teacher comment"), blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "student"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["student", "pe_class", "school_year", "term"], name="assess_report_unique"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="assess_report_period"
            ),
        ]
        indexes = [models.Index(fields=["student", "status", "-period_end"])]
        permissions = [("publish_progressreport", "Publish progress reports to students and guardians")]

    def __str__(self):
        return f"{self.student} — {self.term} {self.school_year}"


# a batch is a job like a data export: one set of job states for both (and one enum in the schema)
BatchStatus = JobStatus


class BatchQuerySet(ScopedQuerySet):
    school_lookup = "pe_class__school"


class ReportBatch(models.Model):
    """Bulk generation of a class's reports (a Celery job): poll ``status`` and ``progress``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pe_class = models.ForeignKey("physed.PEClass", on_delete=models.CASCADE, related_name="report_batches")
    school_year = models.PositiveSmallIntegerField(_("school year"))
    term = models.CharField(_("term"), max_length=4)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("reports to generate"), default=0)
    done = models.PositiveIntegerField(_("reports generated"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")

    def __str__(self):
        return f"reports {self.pe_class} {self.term} {self.school_year} ({self.status})"
