"""Fitness testing (assessments §1): tests, versioned standards, test events and results.

* ``FitnessTest`` — one field test (PACER 20 m, one-mile run, curl-up, …). Shipped tests (school
  empty) come from ``assessments/data/fitness_tests.json`` with their plausible ranges and how each
  is scored; a school may add its own (scored against no standard unless it loads one).
* ``StandardSet`` + ``StandardBand`` — a versioned table of zone cut-points per measure, sex and
  age, with its source and effective dates. The shipped set is the FitnessGram Healthy Fitness Zone
  table as printed in the CDE PFT Reference Guide (January 2020), loaded from
  ``assessments/data/fitnessgram_hfz_2020.csv``. Admin imports further sets from CSV.
* ``SchoolFitnessSettings`` — the set a school uses, and whether it records body composition.
* ``TestEvent`` — a class's testing window on a date with the tests given; ``FitnessResult`` — one
  value per student and test, with the age at the test date, the zone and (aerobic tests) the
  estimated VO2max as classified when saved (re-classified if the school changes its set).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from assessments.models.common import SchoolQuerySet, SharedOrSchoolQuerySet

__all__ = [
    "FitnessResult",
    "FitnessTest",
    "SchoolFitnessSettings",
    "StandardBand",
    "StandardSet",
    "TestComponent",
    "TestEvent",
    "TestEventStatus",
    "Zone",
]


class TestComponent(models.TextChoices):
    __test__ = False  # "Test…" names are not pytest test classes
    AEROBIC = "aerobic", _("Aerobic capacity")
    ABDOMINAL = "abdominal", _("Abdominal strength and endurance")
    TRUNK = "trunk", _("Trunk extensor strength and flexibility")
    UPPER_BODY = "upper_body", _("Upper-body strength and endurance")
    FLEXIBILITY = "flexibility", _("Flexibility")
    BODY_COMPOSITION = "body_composition", _("Body composition")
    OTHER = "other", _("Other")


class Zone(models.TextChoices):
    """FitnessGram zone codes as printed in the standards (a test has only the zones its table has)."""

    HFZ = "HFZ", _("Healthy Fitness Zone")
    NI = "NI", _("Needs Improvement")
    NI_HR = "NI-HR", _("Needs Improvement – Health Risk")
    VERY_LEAN = "VERY_LEAN", _("Very lean")


class FitnessTest(models.Model):
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fitness_tests",
        help_text=_("Empty for the shipped tests."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    component = models.CharField(_("component"), max_length=20, choices=TestComponent.choices)
    unit = models.CharField(_("unit"), max_length=20)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    plausible_min = models.DecimalField(_("lowest plausible value"), max_digits=10, decimal_places=2)
    plausible_max = models.DecimalField(_("highest plausible value"), max_digits=10, decimal_places=2)
    standard_measure = models.CharField(
        _("standard measure"),
        max_length=40,
        blank=True,
        help_text=_("The measure in the standard tables this test is scored on, e.g. aerobic_capacity_vo2max."),
    )
    scoring = models.CharField(
        _("scoring"),
        max_length=30,
        blank=True,
        help_text=_("How a value becomes a standard measure: direct, pacer_20m, pacer_15m, mile_run, walk_test."),
    )
    is_body_composition = models.BooleanField(_("body composition"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    description = models.CharField(_("description"), max_length=400, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = SharedOrSchoolQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("fitness test")
        verbose_name_plural = _("fitness tests")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(school__isnull=True), name="assess_test_shipped_code"),
            models.UniqueConstraint(fields=["school", "code"], name="assess_test_school_code"),
            models.CheckConstraint(
                condition=Q(plausible_min__lte=models.F("plausible_max")), name="assess_test_plausible_range"
            ),
        ]

    def __str__(self):
        return self.name


class StandardSet(models.Model):
    """A versioned, sourced table of zone cut-points (see the module docstring)."""

    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="standard_sets",
        help_text=_("Empty for the shipped sets."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    version = models.CharField(_("version"), max_length=60)
    source = models.TextField(_("source"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedOrSchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-effective_from"]
        verbose_name = _("standard set")
        verbose_name_plural = _("standard sets")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(school__isnull=True), name="assess_set_shipped_code"
            ),
            models.UniqueConstraint(fields=["school", "code", "version"], name="assess_set_school_code"),
        ]

    def __str__(self):
        return f"{self.name} ({self.version})"


class BandQuerySet(ScopedQuerySet):
    school_lookup = "standard_set__school"


class StandardBand(models.Model):
    """One zone of one measure for one sex and age range. ``lower``/``upper`` empty mean the source
    prints a one-sided bound (e.g. HFZ "≥ 40.2")."""

    standard_set = models.ForeignKey(StandardSet, on_delete=models.CASCADE, related_name="bands")
    measure = models.CharField(_("measure"), max_length=40)
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("Girls")), ("M", _("Boys"))])
    age_from = models.PositiveSmallIntegerField(_("from age"))
    age_to = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True, help_text=_("Empty: and older."))
    zone = models.CharField(_("zone"), max_length=12, choices=Zone.choices)
    lower = models.DecimalField(_("lower bound"), max_digits=8, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(_("upper bound"), max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    source_note = models.CharField(_("source table"), max_length=300, blank=True)

    objects = BandQuerySet.as_manager()

    class Meta:
        ordering = ["standard_set", "measure", "sex", "age_from", "zone"]
        verbose_name = _("standard band")
        verbose_name_plural = _("standard bands")
        constraints = [
            models.UniqueConstraint(
                fields=["standard_set", "measure", "sex", "age_from", "zone"], name="assess_band_unique"
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=False) | Q(upper__isnull=False), name="assess_band_has_bound"
            ),
        ]
        indexes = [models.Index(fields=["standard_set", "measure", "sex", "age_from"])]

    def __str__(self):
        return f"{self.measure} {self.sex} {self.age_from} {self.zone}"


class SchoolFitnessSettings(models.Model):
    """Per school: the standard set in use and whether body composition is recorded at all."""

    school = models.OneToOneField("accounts.School", on_delete=models.CASCADE, related_name="fitness_settings")
    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("standard set")
    )
    record_body_composition = models.BooleanField(_("record body composition (BMI, body fat)"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school fitness settings")
        verbose_name_plural = _("school fitness settings")

    def __str__(self):
        return f"{self.school} fitness settings"


class TestEventStatus(models.TextChoices):
    __test__ = False
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Entering results")
    CLOSED = "closed", _("Closed")


class TestEventQuerySet(ScopedQuerySet):
    school_lookup = "pe_class__school"


class TestEvent(models.Model):
    """A class's fitness testing on a date (``window`` names the testing window, e.g. "Fall
    pre-test"), with the tests given."""

    __test__ = False

    pe_class = models.ForeignKey("physed.PEClass", on_delete=models.CASCADE, related_name="test_events")
    name = models.CharField(_("name"), max_length=120)
    window = models.CharField(_("testing window"), max_length=40, blank=True, help_text=_("e.g. Fall, Spring"))
    date = models.DateField(_("date"))
    tests = models.ManyToManyField(FitnessTest, related_name="events", verbose_name=_("tests"))
    status = models.CharField(_("status"), max_length=10, choices=TestEventStatus.choices, default=TestEventStatus.OPEN)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TestEventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("test event")
        verbose_name_plural = _("test events")
        indexes = [models.Index(fields=["pe_class", "-date"])]
        permissions = [("view_analytics", "See class and school fitness analytics")]

    def __str__(self):
        return f"{self.name} ({self.date})"


class ResultQuerySet(ScopedQuerySet):
    school_lookup = "event__pe_class__school"


class FitnessResult(models.Model):
    """One student's value on one test of an event, classified when saved (see module docstring).
    ``heart_rate`` and ``weight_kg``/``height_cm`` are inputs some equations need (walk test, mile
    run with BMI); body-composition results are private to staff with the permission, the student
    and their guardians."""

    event = models.ForeignKey(TestEvent, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey("physed.Student", on_delete=models.CASCADE, related_name="fitness_results")
    test = models.ForeignKey(FitnessTest, on_delete=models.PROTECT, related_name="results")
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    age_at_test = models.PositiveSmallIntegerField(_("age at test"), null=True, blank=True)
    zone = models.CharField(_("zone"), max_length=12, choices=Zone.choices, blank=True)
    estimated_vo2max = models.DecimalField(
        _("estimated VO2max (ml/kg/min)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    standard_set = models.ForeignKey(StandardSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    classification_note = models.CharField(_("how it was classified"), max_length=300, blank=True)
    heart_rate = models.PositiveSmallIntegerField(_("heart rate after (bpm)"), null=True, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    # kept by the fitness services (``assessments.services.fitness_latest``): the student's newest
    # result on this test (event date, then id) overall and within the event's testing window —
    # school analytics read these instead of ranking every result on every request
    is_latest = models.BooleanField(_("newest on this test"), default=False, editable=False)
    is_latest_in_window = models.BooleanField(_("newest on this test in its window"), default=False, editable=False)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["event", "student", "test__position"]
        verbose_name = _("fitness result")
        verbose_name_plural = _("fitness results")
        constraints = [models.UniqueConstraint(fields=["event", "student", "test"], name="assess_result_unique")]
        indexes = [
            models.Index(fields=["student", "test"]),
            models.Index(fields=["test", "zone"]),
            models.Index(fields=["test"], condition=Q(is_latest=True), name="assess_result_latest"),
            models.Index(fields=["test"], condition=Q(is_latest_in_window=True), name="assess_result_latest_window"),
        ]
        permissions = [("view_body_composition", "See body-composition results (BMI, body fat)")]

    def __str__(self):
        return f"{self.student} {self.test.code}={self.value}"
