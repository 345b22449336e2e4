"""Achievements and badges (progress §3): rules as data, awards idempotent.

An ``AchievementDefinition`` holds a ``rule`` (JSON, one of the rule types documented in
``progress/engines/achievements.py`` — e.g. ``{"type": "all_hfz"}``,
``{"type": "attendance_streak", "length": 10}``,
``{"type": "improvement", "metric_key": "fitness.pacer_20m", "delta": 10}``). Shipped definitions
(school empty) come from ``progress/data/achievements.json``; a school may add its own. An
``Achievement`` is one award: unique per (definition, student), so evaluating the same result twice
never awards twice.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models.library import LibraryQuerySet

__all__ = ["Achievement", "AchievementDefinition", "BadgeIcon"]


class BadgeIcon(models.TextChoices):
    HEART = "heart", _("Heart")
    STAR = "star", _("Star")
    FLAME = "flame", _("Flame")
    RUNNER = "runner", _("Runner")
    TROPHY = "trophy", _("Trophy")
    TARGET = "target", _("Target")


class AchievementDefinition(models.Model):
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="achievement_definitions",
        help_text=_("Empty for the shipped badges."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300)
    icon = models.CharField(_("icon"), max_length=10, choices=BadgeIcon.choices, default=BadgeIcon.STAR)
    rule = models.JSONField(_("rule"))
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = LibraryQuerySet.as_manager()  # shipped badges for every member, plus the school's own

    class Meta:
        ordering = ["name"]
        verbose_name = _("achievement definition")
        verbose_name_plural = _("achievement definitions")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(school__isnull=True), name="progress_badge_shipped_code"
            ),
            models.UniqueConstraint(fields=["school", "code"], name="progress_badge_school_code"),
        ]

    def __str__(self):
        return self.name


class AchievementQuerySet(ScopedQuerySet):
    school_lookup = "student__school"


class Achievement(models.Model):
    """One award of a badge to a student, with the evidence that triggered it."""

    definition = models.ForeignKey(
        AchievementDefinition, on_delete=models.CASCADE, related_name="awards", verbose_name=_("badge")
    )
    student = models.ForeignKey(
        "physed.Student", on_delete=models.CASCADE, related_name="achievements", verbose_name=_("student")
    )
    awarded_on = models.DateField(_("awarded on"))
    evidence = models.JSONField(_("why"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "pk"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [models.UniqueConstraint(fields=["definition", "student"], name="progress_award_once")]
        indexes = [models.Index(fields=["student", "-awarded_on"])]

    def __str__(self):
        return f"{self.definition} → {self.student}"
