"""Medical and safety profile per student (safety §1) — sensitive.

Reading a whole profile needs ``safety.view_medicalprofile`` (or being the student's guardian) and
every read is audit-logged. Teachers see only what their classes need through
``safety.view_class_needs``: condition kinds and severities, the PE instructions ("inhaler before
PE"), medications to have at hand, active restrictions and the emergency contacts — never notes or
the action plan.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models import RestrictionKind
from safety.models.common import Timestamped, private_storage

__all__ = [
    "ActivityRestriction",
    "ConditionKind",
    "ConditionSeverity",
    "EmergencyContact",
    "MedicalCondition",
    "MedicalProfile",
    "Medication",
    "MedicationLocation",
    "MedicationSchedule",
]


class ProfileQuerySet(ScopedQuerySet):
    school_lookup = "student__school"


class ProfileChildQuerySet(ScopedQuerySet):
    school_lookup = "profile__student__school"


def action_plan_upload_to(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"medical/{uuid.uuid4().hex}.{extension}"


class MedicalProfile(Timestamped):
    """One student's medical and safety profile."""

    student = models.OneToOneField(
        "physed.Student", on_delete=models.CASCADE, related_name="medical_profile", verbose_name=_("student")
    )
    pe_instructions = models.CharField(
        _("what PE staff must do"),
        max_length=300,
        blank=True,
        help_text=_('Shown to the student\'s teachers, e.g. "Inhaler before PE; stop at first wheeze".'),
    )
    notes = models.TextField(_("confidential notes"), blank=True)
    action_plan = models.FileField(
        _("action plan"), storage=private_storage, upload_to=action_plan_upload_to, max_length=200, blank=True
    )
    action_plan_content_type = models.CharField(max_length=60, blank=True)
    action_plan_size = models.PositiveIntegerField(default=0)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["student__last_name", "student__first_name", "pk"]
        verbose_name = _("medical profile")
        verbose_name_plural = _("medical profiles")
        permissions = [("view_class_needs", "See what the students of one's classes need (no confidential notes)")]

    def __str__(self):
        return f"{self.student} medical profile"


class ConditionKind(models.TextChoices):
    ASTHMA = "asthma", _("Asthma")
    ALLERGY = "allergy", _("Allergy")
    EPILEPSY = "epilepsy", _("Epilepsy / seizures")
    DIABETES = "diabetes", _("Diabetes")
    CARDIAC = "cardiac", _("Cardiac condition")
    CONCUSSION = "concussion", _("Concussion history")
    OTHER = "other", _("Other")


class ConditionSeverity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    LIFE_THREATENING = "life_threatening", _("Life-threatening")


class MedicalCondition(models.Model):
    """A condition; for an allergy ``trigger`` names the allergen, for a concussion
    ``occurred_on`` is the date of the injury."""

    profile = models.ForeignKey(MedicalProfile, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("condition"), max_length=16, choices=ConditionKind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True, help_text=_("e.g. Exercise-induced asthma"))
    trigger = models.CharField(_("trigger / allergen"), max_length=120, blank=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=ConditionSeverity.choices, default=ConditionSeverity.MODERATE
    )
    occurred_on = models.DateField(_("diagnosed / occurred on"), null=True, blank=True)
    pe_instructions = models.CharField(_("what PE staff must do"), max_length=300, blank=True)
    notes = models.TextField(_("confidential notes"), blank=True)

    objects = ProfileChildQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "kind", "pk"]
        verbose_name = _("medical condition")
        verbose_name_plural = _("medical conditions")

    def __str__(self):
        return self.name or self.get_kind_display()


class MedicationSchedule(models.TextChoices):
    BEFORE_PE = "before_pe", _("Before PE")
    AS_NEEDED = "as_needed", _("As needed")
    EMERGENCY = "emergency", _("In an emergency")
    DAILY = "daily", _("Daily (at home)")


class MedicationLocation(models.TextChoices):
    STUDENT = "student", _("Carried by the student")
    TEACHER = "teacher", _("Kept by the PE teacher")
    NURSE = "nurse", _("Nurse's office")
    HOME = "home", _("At home")


class Medication(models.Model):
    profile = models.ForeignKey(MedicalProfile, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(_("medication"), max_length=120)
    dose = models.CharField(_("dose"), max_length=120, blank=True)
    schedule = models.CharField(
        _("when"), max_length=12, choices=MedicationSchedule.choices, default=MedicationSchedule.AS_NEEDED
    )
    location = models.CharField(
        _("kept"), max_length=12, choices=MedicationLocation.choices, default=MedicationLocation.STUDENT
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = ProfileChildQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "name", "pk"]
        verbose_name = _("medication")
        verbose_name_plural = _("medications")

    def __str__(self):
        return self.name


class ActivityRestriction(models.Model):
    """A dated activity restriction (e.g. "no contact until 12 March" after a concussion); read by
    the adaptation engine through the physed restriction-provider hook. ``end_date`` is inclusive;
    empty means until further notice."""

    profile = models.ForeignKey(MedicalProfile, on_delete=models.CASCADE, related_name="restrictions")
    kind = models.CharField(_("restriction"), max_length=20, choices=RestrictionKind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    documented_by = models.CharField(
        _("documented by"), max_length=120, blank=True, help_text=_("e.g. the doctor's note")
    )

    objects = ProfileChildQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "start_date", "pk"]
        verbose_name = _("activity restriction")
        verbose_name_plural = _("activity restrictions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="safety_restriction_dates"
            )
        ]

    def __str__(self):
        return self.get_kind_display()

    def active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class EmergencyContact(models.Model):
    profile = models.ForeignKey(MedicalProfile, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=120)
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40)
    alternate_phone = models.CharField(_("other phone"), max_length=40, blank=True)
    priority = models.PositiveSmallIntegerField(_("call order"), default=1)

    objects = ProfileChildQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "priority", "pk"]
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self):
        return f"{self.name} ({self.relationship})" if self.relationship else self.name
