"""Roster (PE core §1): students, guardians, classes, enrollments.

A ``Student`` is a school's record of a child; it need not have a user account (``user`` links one
when the student signs in). Guardians reach their child through ``Guardianship`` (and a
django-guardian object grant made by the roster service); teachers reach a class through
``PEClass.teachers`` (also object grants). Grades are integers, kindergarten = 0.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = [
    "GRADE_CHOICES",
    "ClassChildQuerySet",
    "ClassMeeting",
    "Enrollment",
    "EnrollmentStatus",
    "Guardianship",
    "PEClass",
    "RosterImport",
    "RosterImportKind",
    "RosterImportStatus",
    "Sex",
    "Space",
    "Student",
    "StudentChildQuerySet",
    "StudentStatus",
    "Term",
    "Weekday",
]

GRADE_CHOICES = [(0, _("Kindergarten"))] + [(grade, str(grade)) for grade in range(1, 13)]
grade_validators = [MinValueValidator(0), MaxValueValidator(12)]


class Sex(models.TextChoices):
    """Used only to pick sex-specific fitness standards (FitnessGram tables are published for
    girls and boys); "not specified" means no sex-specific zone is shown."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NOT_SPECIFIED = "U", _("Not specified")


class StudentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    GRADUATED = "graduated", _("Graduated")
    TRANSFERRED = "transferred", _("Transferred out")


class StudentQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=StudentStatus.ACTIVE)


class StudentChildQuerySet(ScopedQuerySet):
    """Rows that belong to a student (school through the student)."""

    school_lookup = "student__school"


class ClassChildQuerySet(ScopedQuerySet):
    """Rows that belong to a class (school through the class)."""

    school_lookup = "pe_class__school"


class Student(models.Model):
    """A student in one school's PE roster."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="students", verbose_name=_("school")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex for fitness standards"), max_length=1, choices=Sex.choices, default=Sex.NOT_SPECIFIED)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=GRADE_CHOICES, validators=grade_validators)
    external_id = models.CharField(
        _("external student id"), max_length=64, blank=True, help_text=_("The id in the school's information system.")
    )
    status = models.CharField(_("status"), max_length=12, choices=StudentStatus.choices, default=StudentStatus.ACTIVE)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student_record",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "external_id"],
                condition=~Q(external_id=""),
                name="physed_student_unique_external_id",
            )
        ]
        indexes = [models.Index(fields=["school", "status", "grade"])]
        permissions = [
            ("import_roster", "Import rosters (CSV and OneRoster)"),
            ("promote_grades", "Promote students to the next grade at year end"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}".strip()


class Guardianship(models.Model):
    """A guardian of a student: contact details always, a user account when the guardian signs in
    (the roster service then grants the guardian view rights on the student)."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        FOSTER = "foster", _("Foster parent")
        LEGAL_GUARDIAN = "guardian", _("Legal guardian")
        OTHER = "other", _("Other")

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("student")
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardianships",
        verbose_name=_("guardian account"),
    )
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(
        _("relationship"), max_length=12, choices=Relationship.choices, default=Relationship.PARENT
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StudentChildQuerySet.as_manager()

    class Meta:
        ordering = ["student", "-is_primary_contact", "name"]
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")

    def __str__(self):
        return f"{self.name} → {self.student}"


class Term(models.TextChoices):
    FULL_YEAR = "year", _("Full year")
    SEMESTER_1 = "s1", _("Semester 1")
    SEMESTER_2 = "s2", _("Semester 2")
    TRIMESTER_1 = "t1", _("Trimester 1")
    TRIMESTER_2 = "t2", _("Trimester 2")
    TRIMESTER_3 = "t3", _("Trimester 3")
    QUARTER_1 = "q1", _("Quarter 1")
    QUARTER_2 = "q2", _("Quarter 2")
    QUARTER_3 = "q3", _("Quarter 3")
    QUARTER_4 = "q4", _("Quarter 4")


class Space(models.TextChoices):
    GYM = "gym", _("Gym")
    FIELD = "field", _("Field")
    COURT = "court", _("Court")
    POOL = "pool", _("Pool")
    CLASSROOM = "classroom", _("Classroom")


class PEClassQuerySet(ScopedQuerySet):
    def taught_by(self, user):
        return self.filter(teachers=user)

    def active(self):
        return self.filter(is_active=True)


class PEClass(models.Model):
    """A PE class (section) for one term of a school year. ``school_year`` is the year the school
    year starts (2026 → 2026–27)."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="pe_classes", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=120)
    external_id = models.CharField(_("external class id"), max_length=64, blank=True)
    school_year = models.PositiveSmallIntegerField(
        _("school year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    term = models.CharField(_("term"), max_length=4, choices=Term.choices, default=Term.FULL_YEAR)
    grade_from = models.PositiveSmallIntegerField(_("lowest grade"), choices=GRADE_CHOICES, validators=grade_validators)
    grade_to = models.PositiveSmallIntegerField(_("highest grade"), choices=GRADE_CHOICES, validators=grade_validators)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="pe_classes_taught", verbose_name=_("teachers")
    )
    location = models.CharField(_("location"), max_length=120, blank=True, help_text=_("e.g. Main gym"))
    space = models.CharField(_("usual space"), max_length=12, choices=Space.choices, default=Space.GYM)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=30, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PEClassQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "name", "pk"]
        verbose_name = _("PE class")
        verbose_name_plural = _("PE classes")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "external_id"],
                condition=~Q(external_id=""),
                name="physed_peclass_unique_external_id",
            ),
            models.CheckConstraint(condition=Q(grade_from__lte=models.F("grade_to")), name="physed_peclass_grades"),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year_label})"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}–{(self.school_year + 1) % 100:02d}"

    def clean(self):
        if self.grade_from is not None and self.grade_to is not None and self.grade_from > self.grade_to:
            raise ValidationError({"grade_to": _("The highest grade cannot be below the lowest grade.")})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ClassMeeting(models.Model):
    """One slot of a class's weekly schedule."""

    pe_class = models.ForeignKey(PEClass, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("class"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    period = models.CharField(_("period"), max_length=20, blank=True)

    objects = ClassChildQuerySet.as_manager()

    class Meta:
        ordering = ["pe_class", "weekday", "start_time"]
        verbose_name = _("class meeting")
        verbose_name_plural = _("class meetings")
        constraints = [
            models.CheckConstraint(condition=Q(start_time__lt=models.F("end_time")), name="physed_meeting_times")
        ]

    def __str__(self):
        return f"{self.pe_class} {self.get_weekday_display()} {self.start_time:%H:%M}"


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class EnrollmentQuerySet(ClassChildQuerySet):
    def current(self):
        return self.filter(status=EnrollmentStatus.ACTIVE)


class Enrollment(models.Model):
    """A student in a class from ``start_date`` (to ``end_date`` once withdrawn or completed)."""

    pe_class = models.ForeignKey(PEClass, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("class"))
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("student")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["pe_class", "student__last_name", "student__first_name", "pk"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["pe_class", "student"], name="physed_enrollment_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=models.F("end_date")),
                name="physed_enrollment_dates",
            ),
        ]

    def __str__(self):
        return f"{self.student} in {self.pe_class}"


class RosterImportKind(models.TextChoices):
    CSV = "csv", _("CSV with column mapping")
    ONEROSTER = "oneroster", _("OneRoster 1.1 CSV")


class RosterImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Checked, waiting for confirmation")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class RosterImportQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status=RosterImportStatus.VALIDATED)


class RosterImport(models.Model):
    """One roster import: the history a school keeps of who imported what and what it changed.

    The page flow checks the upload first (a dry run) and applies it only once confirmed, so the
    uploaded files wait in ``payload`` between the two steps; the payload is cleared when the
    import is applied or discarded (only the counts stay)."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="roster_imports", verbose_name=_("school")
    )
    kind = models.CharField(_("format"), max_length=10, choices=RosterImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RosterImportStatus.choices, default=RosterImportStatus.VALIDATED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file_names = models.JSONField(_("files"), default=list, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True, help_text=_("Column mapping, school year."))
    payload = models.JSONField(_("uploaded files"), default=dict, blank=True)
    summary = models.JSONField(_("counts"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        when = f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
        return f"{self.get_kind_display()} {when}".strip()
