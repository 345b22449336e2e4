"""Activity and exercise library (PE core §3).

Rows with ``school = NULL`` are the shipped library (written by us, loaded from
``physed/data/library/*.json`` by a data migration and ``manage.py load_library``), visible to every
signed-in user and read-only outside the Django admin; a school adds its own rows (``school`` set),
visible only to its members. SHAPE America 2024 standards and grade-span indicators are data
(``physed/data/shape_america_2024.json``, with its source).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.visibility import ScopedQuerySet
from physed.models.roster import Space

__all__ = [
    "ACTIVITY_CONTENT_FIELDS",
    "ACTIVITY_RELATION_FIELDS",
    "EXERCISE_CONTENT_FIELDS",
    "EXERCISE_RELATION_FIELDS",
    "GRADE_BAND_RANGES",
    "Activity",
    "ActivityCategory",
    "ContactLevel",
    "EquipmentType",
    "Exercise",
    "ExerciseCategory",
    "FitnessComponent",
    "GradeBand",
    "GradeSpanIndicator",
    "Intensity",
    "LibraryQuerySet",
    "MuscleGroup",
    "PEStandard",
    "RiskLevel",
    "grade_band_for",
]


# What a teacher writes about an activity or exercise — and what the shipped data files carry: one
# list each for the API serializers, the services and the loader.
ACTIVITY_CONTENT_FIELDS = (
    "name",
    "description",
    "category",
    "skills",
    "fitness_components",
    "difficulty",
    "min_group_size",
    "max_group_size",
    "duration_minutes",
    "space",
    "intensity",
    "contact_level",
    "risk_level",
    "grade_bands",
    "instructions",
    "teaching_cues",
    "modifications",
    "progressions",
)
ACTIVITY_RELATION_FIELDS = ("equipment", "standards", "indicators")
EXERCISE_CONTENT_FIELDS = (
    "name",
    "category",
    "fitness_components",
    "difficulty",
    "instructions",
    "default_sets",
    "default_reps",
    "default_duration_seconds",
    "contraindications",
    "media_links",
)
EXERCISE_RELATION_FIELDS = ("primary_muscles", "secondary_muscles", "equipment")


class LibraryQuerySet(ScopedQuerySet):
    """Shipped rows (no school) for everyone signed in, plus the rows of the user's schools."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.selectors import school_ids_for

        return self.filter(Q(school__isnull=True) | Q(school__in=school_ids_for(user)))

    def shipped(self):
        return self.filter(school__isnull=True)


class ActivityCategory(models.TextChoices):
    INVASION = "invasion", _("Invasion games")
    NET_WALL = "net_wall", _("Net/wall games")
    STRIKING_FIELDING = "striking_fielding", _("Striking/fielding games")
    TARGET = "target", _("Target games")
    FITNESS = "fitness", _("Fitness")
    DANCE = "dance", _("Dance and rhythm")
    GYMNASTICS = "gymnastics", _("Gymnastics")
    OUTDOOR = "outdoor", _("Outdoor/adventure")
    AQUATICS = "aquatics", _("Aquatics")
    COOPERATIVE = "cooperative", _("Cooperative games")


class Intensity(models.TextChoices):
    LIGHT = "light", pgettext_lazy("intensity", "Light")
    MODERATE = "moderate", pgettext_lazy("intensity", "Moderate")
    VIGOROUS = "vigorous", pgettext_lazy("intensity", "Vigorous")


class ContactLevel(models.TextChoices):
    NONE = "none", _("No contact")
    LIMITED = "limited", _("Limited contact")
    CONTACT = "contact", _("Contact")


class RiskLevel(models.IntegerChoices):
    """Inherent risk of the activity, read by the safety module's risk scoring."""

    LOW = 1, pgettext_lazy("risk", "Low")
    MODERATE = 2, pgettext_lazy("risk", "Moderate")
    ELEVATED = 3, pgettext_lazy("risk", "Elevated")
    HIGH = 4, pgettext_lazy("risk", "High")


class GradeBand(models.TextChoices):
    """SHAPE America 2024 grade spans."""

    PREK_2 = "prek_2", _("PreK–2")
    G3_5 = "3_5", _("Grades 3–5")
    G6_8 = "6_8", _("Grades 6–8")
    G9_12 = "9_12", _("Grades 9–12")


GRADE_BAND_RANGES = {
    GradeBand.PREK_2: (0, 2),
    GradeBand.G3_5: (3, 5),
    GradeBand.G6_8: (6, 8),
    GradeBand.G9_12: (9, 12),
}


def grade_band_for(grade: int) -> str:
    for band, (low, high) in GRADE_BAND_RANGES.items():
        if low <= grade <= high:
            return band
    raise ValueError(f"grade {grade} is outside K–12")


class FitnessComponent(models.TextChoices):
    """Health- and skill-related fitness components an activity develops (recommendations match
    them against assessment gaps)."""

    AEROBIC = "aerobic", _("Aerobic capacity")
    MUSCULAR_STRENGTH = "muscular_strength", _("Muscular strength")
    MUSCULAR_ENDURANCE = "muscular_endurance", _("Muscular endurance")
    FLEXIBILITY = "flexibility", _("Flexibility")
    BODY_COMPOSITION = "body_composition", _("Body composition")
    AGILITY = "agility", _("Agility")
    BALANCE = "balance", _("Balance")
    COORDINATION = "coordination", _("Coordination")
    POWER = "power", _("Power")
    SPEED = "speed", _("Speed")
    REACTION_TIME = "reaction_time", _("Reaction time")


class PEStandard(models.Model):
    """One of SHAPE America's four 2024 National PE Standards."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True, validators=[MinValueValidator(1)])
    short_name = models.CharField(_("short name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("PE standard")
        verbose_name_plural = _("PE standards")

    def __str__(self):
        return f"{self.number}. {self.short_name}"


class GradeSpanIndicator(models.Model):
    """A grade-span learning indicator, coded standard.span-end.number (e.g. 1.5.2). Descriptions
    we wrote ourselves are flagged ``is_paraphrase``: SHAPE's full texts are in its Educator Kit."""

    standard = models.ForeignKey(PEStandard, on_delete=models.CASCADE, related_name="indicators")
    grade_band = models.CharField(_("grade span"), max_length=8, choices=GradeBand.choices)
    code = models.CharField(_("code"), max_length=12, unique=True)
    content_category = models.CharField(_("content category"), max_length=80, blank=True)
    description = models.TextField(_("description"))
    is_paraphrase = models.BooleanField(_("our paraphrase"), default=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["standard__number", "grade_band", "code"]
        verbose_name = _("grade-span indicator")
        verbose_name_plural = _("grade-span indicators")

    def __str__(self):
        return self.code


class EquipmentType(models.Model):
    """A kind of equipment an activity needs (safety's inventory items point here too)."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("equipment type")
        verbose_name_plural = _("equipment types")

    def __str__(self):
        return self.name


class MuscleGroup(models.Model):
    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("muscle group")
        verbose_name_plural = _("muscle groups")

    def __str__(self):
        return self.name


class Activity(models.Model):
    """A game, drill or movement experience a class can do."""

    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("school"),
        help_text=_("Empty for the shipped library."),
    )
    slug = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=ActivityCategory.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True, help_text=_("e.g. dribbling, passing"))
    fitness_components = models.JSONField(_("fitness components"), default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_group_size = models.PositiveSmallIntegerField(_("smallest group"), default=2)
    max_group_size = models.PositiveSmallIntegerField(_("largest group"), default=30)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    equipment = models.ManyToManyField(
        EquipmentType, blank=True, related_name="activities", verbose_name=_("equipment")
    )
    space = models.CharField(_("space"), max_length=12, choices=Space.choices, default=Space.GYM)
    intensity = models.CharField(_("intensity"), max_length=10, choices=Intensity.choices, default=Intensity.MODERATE)
    contact_level = models.CharField(
        _("contact level"), max_length=10, choices=ContactLevel.choices, default=ContactLevel.NONE
    )
    risk_level = models.PositiveSmallIntegerField(_("risk level"), choices=RiskLevel.choices, default=RiskLevel.LOW)
    grade_bands = models.JSONField(_("grade spans"), default=list, help_text=_("SHAPE America grade spans"))
    standards = models.ManyToManyField(PEStandard, blank=True, related_name="activities", verbose_name=_("standards"))
    indicators = models.ManyToManyField(
        GradeSpanIndicator, blank=True, related_name="activities", verbose_name=_("indicators")
    )
    instructions = models.TextField(_("instructions"))
    teaching_cues = models.JSONField(_("teaching cues"), default=list, blank=True)
    modifications = models.JSONField(
        _("modifications"),
        default=list,
        blank=True,
        help_text=_(
            '[{"kind": "equipment|space|rules|instruction|intensity|duration|group_size|assistance", '
            '"easier": "...", "harder": "..."}]'
        ),
    )
    progressions = models.JSONField(_("progressions"), default=list, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(school__isnull=True), name="physed_activity_shipped_slug"
            ),
            models.UniqueConstraint(fields=["school", "slug"], name="physed_activity_school_slug"),
            models.CheckConstraint(
                condition=Q(min_group_size__lte=models.F("max_group_size")), name="physed_activity_group_sizes"
            ),
        ]
        indexes = [models.Index(fields=["category", "difficulty"])]

    def __str__(self):
        return self.name

    @property
    def is_shipped(self) -> bool:
        return self.school_id is None


class ExerciseCategory(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    CARDIO = "cardio", _("Cardio")
    FLEXIBILITY = "flexibility", _("Flexibility")
    BALANCE = "balance", _("Balance")
    PLYOMETRIC = "plyometric", _("Plyometric")
    CORE = "core", _("Core")
    MOBILITY = "mobility", _("Mobility")


class Exercise(models.Model):
    """A single exercise (wger-style: muscles, equipment, instructions, defaults)."""

    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exercises",
        verbose_name=_("school"),
        help_text=_("Empty for the shipped library."),
    )
    slug = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=12, choices=ExerciseCategory.choices)
    primary_muscles = models.ManyToManyField(
        MuscleGroup, blank=True, related_name="primary_exercises", verbose_name=_("primary muscles")
    )
    secondary_muscles = models.ManyToManyField(
        MuscleGroup, blank=True, related_name="secondary_exercises", verbose_name=_("secondary muscles")
    )
    equipment = models.ManyToManyField(EquipmentType, blank=True, related_name="exercises", verbose_name=_("equipment"))
    fitness_components = models.JSONField(_("fitness components"), default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    instructions = models.TextField(_("instructions"))
    default_sets = models.PositiveSmallIntegerField(_("default sets"), null=True, blank=True)
    default_reps = models.PositiveSmallIntegerField(_("default reps"), null=True, blank=True)
    default_duration_seconds = models.PositiveIntegerField(_("default duration (s)"), null=True, blank=True)
    contraindications = models.JSONField(_("contraindications"), default=list, blank=True)
    media_links = models.JSONField(_("media links"), default=list, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(school__isnull=True), name="physed_exercise_shipped_slug"
            ),
            models.UniqueConstraint(fields=["school", "slug"], name="physed_exercise_school_slug"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_shipped(self) -> bool:
        return self.school_id is None
