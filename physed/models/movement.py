"""Movement analysis (PE core §5): pose keypoint sequences and their analyses.

One ``MovementAnalysis`` is one recorded set (e.g. 8 squats) of one student. The analysis is
computed once by ``physed.services.movement`` with the rule set in force (``rules_version``) and
stored whole in ``results`` (per-repetition metrics, faults, score, chart series), so what a
teacher saw stays explainable later. The raw keypoints are kept compressed so the sequence can be
re-analysed when rules change; an optional video is stored under an unguessable name and served
only through permission-checked views.
"""

import secrets
import zlib

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from physed.models.roster import StudentChildQuerySet

__all__ = ["Movement", "MovementAnalysis", "PoseLayout"]

VIDEO_PREFIX = "movement-videos"


class Movement(models.TextChoices):
    SQUAT = "squat", _("Squat")
    PUSH_UP = "push_up", _("Push-up")
    LUNGE = "lunge", _("Lunge")
    JUMPING_JACK = "jumping_jack", _("Jumping jack")
    SIT_UP = "sit_up", _("Sit-up")


class PoseLayout(models.TextChoices):
    BLAZEPOSE33 = "blazepose33", _("BlazePose 33 (MediaPipe)")
    COCO17 = "coco17", _("COCO 17")


def video_upload_to(instance, filename: str) -> str:
    """An unguessable name; the extension is the checked container type, never the user's name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{VIDEO_PREFIX}/{secrets.token_urlsafe(24)}.{extension}"


class MovementAnalysis(models.Model):
    """One analysed keypoint sequence of one student doing one movement."""

    student = models.ForeignKey(
        "physed.Student", on_delete=models.CASCADE, related_name="movement_analyses", verbose_name=_("student")
    )
    movement = models.CharField(_("movement"), max_length=20, choices=Movement.choices)
    exercise = models.ForeignKey(
        "physed.Exercise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="movement_analyses",
        verbose_name=_("exercise"),
    )
    session = models.ForeignKey(
        "physed.ClassSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="movement_analyses",
        verbose_name=_("session"),
    )
    layout = models.CharField(_("keypoint layout"), max_length=20, choices=PoseLayout.choices)
    dimensions = models.PositiveSmallIntegerField(_("dimensions"), default=2)
    fps = models.FloatField(_("frames per second"))
    frame_count = models.PositiveIntegerField(_("frames"))
    duration_seconds = models.FloatField(_("duration (s)"))
    rules_version = models.CharField(_("rule set version"), max_length=20)
    score = models.PositiveSmallIntegerField(
        _("form score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    rep_count = models.PositiveSmallIntegerField(_("repetitions"), default=0)
    results = models.JSONField(_("results"), default=dict)
    keypoints_gz = models.BinaryField(_("keypoints (compressed JSON)"), editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    video = models.FileField(_("video"), upload_to=video_upload_to, max_length=200, blank=True)
    video_content_type = models.CharField(_("video type"), max_length=40, blank=True)
    video_size = models.PositiveBigIntegerField(_("video size (bytes)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StudentChildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("movement analysis")
        verbose_name_plural = _("movement analyses")
        indexes = [models.Index(fields=["student", "movement", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="physed_movement_score")
        ]

    def __str__(self):
        return f"{self.get_movement_display()} · {self.student}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("movement-analysis", args=[self.pk])

    @property
    def has_video(self) -> bool:
        return bool(self.video)

    def keypoints(self) -> dict:
        import json

        return json.loads(zlib.decompress(bytes(self.keypoints_gz)).decode("utf-8")) if self.keypoints_gz else {}
