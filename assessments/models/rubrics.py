"""Rubrics and skill assessments (assessments §2).

A ``Rubric`` has weighted ``RubricCriterion`` rows and ``PerformanceLevel`` rows (points); a
``LevelDescriptor`` says what each level looks like for each criterion. Alignment is to the SHAPE
America 2024 standards and grade-span indicators of the PE library (``physed.PEStandard``,
``physed.GradeSpanIndicator``). A rubric with
``shared`` set is a template every teacher of the school can use and copy.

A ``SkillAssessment`` scores one student on a rubric (teacher, self or peer mode), one
``CriterionScore`` per criterion at one of the rubric's levels; ``score`` is the weighted mean of
the level points over the top level's points (0–100), computed by the service. Evidence files are
private.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from assessments.models.common import SchoolQuerySet, private_storage

__all__ = [
    "AssessmentMode",
    "CriterionScore",
    "EvidenceFile",
    "LevelDescriptor",
    "PerformanceLevel",
    "Rubric",
    "RubricCriterion",
    "SkillAssessment",
]


class Rubric(models.Model):
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="rubrics")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    activity = models.ForeignKey(
        "physed.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="rubrics"
    )
    grade_from = models.PositiveSmallIntegerField(_("lowest grade"), default=0)
    grade_to = models.PositiveSmallIntegerField(_("highest grade"), default=12)
    standards = models.ManyToManyField(
        "physed.PEStandard", blank=True, related_name="rubrics", verbose_name=_("SHAPE America standards")
    )
    indicators = models.ManyToManyField(
        "physed.GradeSpanIndicator", blank=True, related_name="rubrics", verbose_name=_("grade-span indicators")
    )
    shared = models.BooleanField(_("shared as a school template"), default=False)
    peer_mode = models.BooleanField(
        _("peer assessment allowed"),
        default=False,
        help_text=_("Students of a class where this rubric is used may assess their classmates with it."),
    )
    archived = models.BooleanField(_("archived"), default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.CheckConstraint(condition=Q(grade_from__lte=models.F("grade_to")), name="assess_rubric_grades")
        ]

    def __str__(self):
        return self.title


class RubricChildQuerySet(ScopedQuerySet):
    school_lookup = "rubric__school"


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    description = models.CharField(_("description"), max_length=400, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0.01)]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    indicators = models.ManyToManyField(
        "physed.GradeSpanIndicator", blank=True, related_name="rubric_criteria", verbose_name=_("grade-span indicators")
    )

    objects = RubricChildQuerySet.as_manager()

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self):
        return self.name


class PerformanceLevel(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("level"), max_length=60)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RubricChildQuerySet.as_manager()

    class Meta:
        ordering = ["rubric", "position", "points"]
        verbose_name = _("performance level")
        verbose_name_plural = _("performance levels")
        constraints = [models.UniqueConstraint(fields=["rubric", "name"], name="assess_level_name")]

    def __str__(self):
        return f"{self.name} ({self.points})"


class DescriptorQuerySet(ScopedQuerySet):
    school_lookup = "criterion__rubric__school"


class LevelDescriptor(models.Model):
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(PerformanceLevel, on_delete=models.CASCADE, related_name="descriptors")
    text = models.CharField(_("descriptor"), max_length=400)

    objects = DescriptorQuerySet.as_manager()

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        constraints = [models.UniqueConstraint(fields=["criterion", "level"], name="assess_descriptor_unique")]

    def __str__(self):
        return self.text[:60]


class AssessmentMode(models.TextChoices):
    TEACHER = "teacher", _("Teacher assessment")
    SELF = "self", _("Self-assessment")
    PEER = "peer", _("Peer assessment")


class SkillAssessmentQuerySet(ScopedQuerySet):
    school_lookup = "student__school"


class SkillAssessment(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="assessments")
    student = models.ForeignKey("physed.Student", on_delete=models.CASCADE, related_name="skill_assessments")
    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.SET_NULL, null=True, blank=True, related_name="skill_assessments"
    )
    session = models.ForeignKey(
        "physed.ClassSession", on_delete=models.SET_NULL, null=True, blank=True, related_name="skill_assessments"
    )
    mode = models.CharField(_("mode"), max_length=8, choices=AssessmentMode.choices, default=AssessmentMode.TEACHER)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    peer = models.ForeignKey(
        "physed.Student",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_assessments_given",
        help_text=_("The student who assessed (peer mode)."),
    )
    date = models.DateField(_("date"))
    score = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=1, default=0)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SkillAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        indexes = [models.Index(fields=["student", "-date"]), models.Index(fields=["rubric", "-date"])]

    def __str__(self):
        return f"{self.rubric} — {self.student} ({self.date})"


class ScoreQuerySet(ScopedQuerySet):
    school_lookup = "assessment__student__school"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(SkillAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="scores")
    level = models.ForeignKey(PerformanceLevel, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="assess_score_unique")]

    def __str__(self):
        return f"{self.criterion}: {self.level}"


def evidence_upload_to(instance, filename: str) -> str:
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assessments/evidence/{uuid.uuid4().hex}.{suffix}"


class EvidenceFile(models.Model):
    """A private photo, video or document attached to a skill assessment (checked by its bytes)."""

    assessment = models.ForeignKey(SkillAssessment, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size_bytes = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name
