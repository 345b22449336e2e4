"""Incident reporting (safety §4), with the fields school injury report forms use.

An ``Incident`` (injury, illness or near miss) involves students (``IncidentStudent``: body area ×
injury type per injured student). Workflow: reported → under review → action required → closed,
with ``IncidentAction`` follow-ups. Reports are never deleted and never edited in place after
filing: a correction is an ``IncidentAmendment`` recording each field's old and new value (status
changes are recorded the same way). ``GuardianNotice`` is the letter generated for a student's
guardians from the report. Contributing-factor codes are data (``safety/data/incidents.json``).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models import Space
from safety.models.common import SchoolQuerySet, Timestamped

__all__ = [
    "AmendmentKind",
    "BodyArea",
    "GuardianNotice",
    "Incident",
    "IncidentAction",
    "IncidentAmendment",
    "IncidentKind",
    "IncidentSeverity",
    "IncidentStatus",
    "IncidentStudent",
    "InjuryType",
    "MedicalReferral",
    "NotificationMethod",
    "Supervision",
    "Surface",
]


class IncidentKind(models.TextChoices):
    INJURY = "injury", _("Injury")
    ILLNESS = "illness", _("Illness / medical episode")
    NEAR_MISS = "near_miss", _("Near miss")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    UNDER_REVIEW = "under_review", _("Under review")
    ACTION_REQUIRED = "action_required", _("Action required")
    CLOSED = "closed", _("Closed")


class IncidentSeverity(models.TextChoices):
    NONE = "none", _("No injury")
    MINOR = "minor", _("Minor (first aid only)")
    MODERATE = "moderate", _("Moderate (medical referral)")
    SERIOUS = "serious", _("Serious (hospital / emergency services)")


class Surface(models.TextChoices):
    HARDWOOD = "hardwood", _("Hardwood / sprung floor")
    SYNTHETIC_FLOOR = "synthetic_floor", _("Synthetic indoor floor")
    MATS = "mats", _("Mats")
    GRASS = "grass", _("Grass")
    ARTIFICIAL_TURF = "artificial_turf", _("Artificial turf")
    ASPHALT = "asphalt", _("Asphalt / concrete")
    TRACK = "track", _("Running track")
    WATER = "water", _("Water / pool deck")
    OTHER = "other", _("Other")


class Supervision(models.TextChoices):
    DIRECT = "direct", _("Direct (staff watching the activity)")
    IN_AREA = "in_area", _("In the area")
    REMOTE = "remote", _("Remote / intermittent")
    NONE = "none", _("No supervision")


class NotificationMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")
    APP = "app", _("App notice")


class MedicalReferral(models.TextChoices):
    NONE = "none", _("None")
    NURSE = "nurse", _("School nurse")
    DOCTOR = "doctor", _("Doctor")
    HOSPITAL = "hospital", _("Hospital / emergency department")


class Incident(Timestamped):
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="incidents")
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=IncidentSeverity.choices, default=IncidentSeverity.MINOR
    )
    occurred_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=120)
    space = models.CharField(_("space"), max_length=12, choices=Space.choices, blank=True)
    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("class")
    )
    session = models.ForeignKey(
        "physed.ClassSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    activity = models.ForeignKey(
        "physed.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    equipment = models.ManyToManyField(
        "safety.EquipmentItem", blank=True, related_name="incidents", verbose_name=_("equipment involved")
    )
    surface = models.CharField(_("surface"), max_length=16, choices=Surface.choices, blank=True)
    description = models.TextField(_("what happened"))
    contributing_factors = models.JSONField(_("contributing factors"), default=list, blank=True)
    contributing_notes = models.TextField(_("other contributing factors"), blank=True)
    first_aid_given = models.TextField(_("first aid given"), blank=True)
    first_aid_by = models.CharField(_("first aid by"), max_length=120, blank=True)
    witnesses = models.TextField(_("witnesses"), blank=True)
    staff_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff present")
    )
    supervision = models.CharField(
        _("supervision"), max_length=10, choices=Supervision.choices, default=Supervision.DIRECT
    )
    guardian_notified_at = models.DateTimeField(_("guardian notified at"), null=True, blank=True)
    guardian_notified_by = models.CharField(
        _("guardian notified how"), max_length=10, choices=NotificationMethod.choices, blank=True
    )
    medical_referral = models.CharField(
        _("medical referral"), max_length=10, choices=MedicalReferral.choices, default=MedicalReferral.NONE
    )
    emergency_services_called = models.BooleanField(_("emergency services called"), default=False)
    days_missed = models.PositiveSmallIntegerField(_("days missed"), default=0, validators=[MaxValueValidator(365)])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reported by")
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [("manage_incident", "Review incidents, assign follow-up actions and close them")]
        constraints = [models.UniqueConstraint(fields=["school", "reference"], name="safety_incident_reference")]
        indexes = [models.Index(fields=["school", "occurred_at"]), models.Index(fields=["school", "status"])]

    def __str__(self):
        return f"{self.reference} {self.get_kind_display()}"


class IncidentChildQuerySet(ScopedQuerySet):
    school_lookup = "incident__school"


class BodyArea(models.TextChoices):
    HEAD = "head", _("Head")
    FACE = "face", _("Face / eyes / teeth")
    NECK = "neck", _("Neck")
    SHOULDER = "shoulder", _("Shoulder")
    ARM = "arm", _("Arm / elbow")
    WRIST_HAND = "wrist_hand", _("Wrist / hand / fingers")
    CHEST_BACK = "chest_back", _("Chest / back")
    ABDOMEN = "abdomen", _("Abdomen / pelvis")
    HIP_THIGH = "hip_thigh", _("Hip / thigh")
    KNEE = "knee", _("Knee")
    LOWER_LEG = "lower_leg", _("Lower leg")
    ANKLE_FOOT = "ankle_foot", _("Ankle / foot / toes")
    MULTIPLE = "multiple", _("Multiple areas")
    NONE = "none", _("None / not applicable")


class InjuryType(models.TextChoices):
    BRUISE = "bruise", _("Bruise / contusion")
    CUT = "cut", _("Cut / abrasion")
    SPRAIN = "sprain", _("Sprain / strain")
    FRACTURE = "fracture", _("Fracture (suspected)")
    DISLOCATION = "dislocation", _("Dislocation")
    CONCUSSION = "concussion", _("Head injury / suspected concussion")
    DENTAL = "dental", _("Dental injury")
    NOSEBLEED = "nosebleed", _("Nosebleed")
    BURN = "burn", _("Burn / friction burn")
    HEAT_ILLNESS = "heat_illness", _("Heat illness")
    ASTHMA = "asthma", _("Asthma episode")
    ALLERGIC = "allergic", _("Allergic reaction")
    SEIZURE = "seizure", _("Seizure")
    FAINTING = "fainting", _("Fainting / dizziness")
    OTHER = "other", _("Other")
    NONE = "none", _("No injury")


class IncidentStudent(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="students")
    student = models.ForeignKey("physed.Student", on_delete=models.CASCADE, related_name="incident_involvements")
    injured = models.BooleanField(_("injured"), default=True)
    body_area = models.CharField(_("body area"), max_length=12, choices=BodyArea.choices, default=BodyArea.NONE)
    injury_type = models.CharField(_("injury type"), max_length=14, choices=InjuryType.choices, default=InjuryType.NONE)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = IncidentChildQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "pk"]
        verbose_name = _("student involved")
        verbose_name_plural = _("students involved")
        constraints = [models.UniqueConstraint(fields=["incident", "student"], name="safety_incident_student")]

    def __str__(self):
        return f"{self.student} — {self.get_injury_type_display()}"


class IncidentAction(models.Model):
    """A follow-up action (e.g. "re-anchor the goal posts") with an owner and a due date."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completion_note = models.CharField(_("completion note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IncidentChildQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.description[:60]


class IncidentAmendment(models.Model):
    """One change to a filed report: ``changes`` is ``{field: [old, new]}``; ``kind`` tells a
    correction from a status change. Append-only."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        STATUS = "status", _("Status change")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IncidentChildQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "created_at", "pk"]
        verbose_name = _("incident amendment")
        verbose_name_plural = _("incident amendments")

    def __str__(self):
        return f"{self.incident} {self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class GuardianNotice(models.Model):
    """The notice to a student's guardians generated from the report (in the language chosen),
    editable before it is marked sent; guardians read sent notices about their child."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="guardian_notices")
    student = models.ForeignKey("physed.Student", on_delete=models.CASCADE, related_name="incident_notices")
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = IncidentChildQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "student", "-created_at"]
        verbose_name = _("guardian notice")
        verbose_name_plural = _("guardian notices")

    def __str__(self):
        return self.subject


# module-level name for the amendment kinds (the OpenAPI enum override needs an importable path)
AmendmentKind = IncidentAmendment.Kind
