"""Feedback (assessments §2): teacher comments on assessments and sessions, student reflections,
guardian comments. ``visibility`` decides who reads it besides its author and the school's staff
(``staff``: staff only; ``family``: also the student and their guardians)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = ["Feedback", "FeedbackKind", "FeedbackVisibility"]


class FeedbackKind(models.TextChoices):
    TEACHER_COMMENT = "teacher_comment", _("Teacher comment")
    STUDENT_REFLECTION = "student_reflection", _("Student reflection")
    GUARDIAN_COMMENT = "guardian_comment", _("Guardian comment")


class FeedbackVisibility(models.TextChoices):
    STAFF = "staff", _("Staff only")
    FAMILY = "family", _("Student and guardians too")


class FeedbackQuerySet(ScopedQuerySet):
    school_lookup = "student__school"


class Feedback(models.Model):
    student = models.ForeignKey("physed.Student", on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    visibility = models.CharField(
        _("who can read it"), max_length=8, choices=FeedbackVisibility.choices, default=FeedbackVisibility.FAMILY
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    skill_assessment = models.ForeignKey(
        "assessments.SkillAssessment", on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    session = models.ForeignKey(
        "physed.ClassSession", on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    test_event = models.ForeignKey(
        "assessments.TestEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    report = models.ForeignKey(
        "assessments.ProgressReport", on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["student", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.student}"
