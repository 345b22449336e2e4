"""Safety protocols and emergency procedures (safety §2).

* ``SafetyProtocol`` — what must hold before and during an activity category or in a space:
  requirements, pre-activity checks, the supervision ratio, protective equipment; reviewed every
  ``review_interval_days`` and signed off (``ProtocolSignOff``).
* ``EmergencyProcedure`` — ordered ``EmergencyStep`` rows per school/location/type, with contacts,
  AED and first-aid locations; ``Drill`` logs rehearsals and gives the next drill due.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from physed.models import ActivityCategory, Space
from safety.models.common import SchoolQuerySet, Timestamped

__all__ = [
    "Drill",
    "EmergencyKind",
    "EmergencyProcedure",
    "EmergencyStep",
    "ProtocolSignOff",
    "ProtocolStatus",
    "SafetyProtocol",
]


class ProtocolStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class SafetyProtocol(Timestamped):
    """A protocol for an activity category, a space, or both (blank = any)."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="safety_protocols")
    title = models.CharField(_("title"), max_length=160)
    activity_category = models.CharField(
        _("activity category"), max_length=20, choices=ActivityCategory.choices, blank=True
    )
    space = models.CharField(_("space"), max_length=12, choices=Space.choices, blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    pre_activity_checks = models.JSONField(
        _("pre-activity checks"), default=list, blank=True, help_text=_("One check per line.")
    )
    supervision_ratio = models.PositiveSmallIntegerField(
        _("students per adult"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("At most this many students for each supervising adult."),
    )
    protective_equipment = models.ManyToManyField(
        "physed.EquipmentType", blank=True, related_name="+", verbose_name=_("protective equipment")
    )
    protective_equipment_notes = models.CharField(_("other protective equipment"), max_length=300, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        _("review every (days)"), default=365, validators=[MinValueValidator(7), MaxValueValidator(1095)]
    )
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProtocolStatus.choices, default=ProtocolStatus.ACTIVE)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)
    review_due_on = models.DateField(
        _("next review due"), null=True, blank=True, editable=False, db_index=True, help_text=_("Kept by save().")
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("safety protocol")
        verbose_name_plural = _("safety protocols")
        permissions = [("sign_off_safetyprotocol", "Sign off a safety protocol's review")]

    def __str__(self):
        return self.title

    @property
    def next_review_due(self) -> datetime.date | None:
        base = self.last_reviewed_on or (timezone.localdate(self.created_at) if self.created_at else None)
        return base + datetime.timedelta(days=self.review_interval_days) if base else None

    def save(self, *args, **kwargs):
        # the due date is stored so lists can filter and sort by review state in the database
        base = self.last_reviewed_on or (
            timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        )
        self.review_due_on = base + datetime.timedelta(days=self.review_interval_days or 0)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "review_due_on"}
        super().save(*args, **kwargs)


class ProtocolSignOffQuerySet(ScopedQuerySet):
    school_lookup = "protocol__school"


class ProtocolSignOff(models.Model):
    """A review sign-off: who confirmed the protocol is current, when, with what note."""

    protocol = models.ForeignKey(SafetyProtocol, on_delete=models.CASCADE, related_name="sign_offs")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_on = models.DateField(_("signed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtocolSignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("protocol sign-off")
        verbose_name_plural = _("protocol sign-offs")

    def __str__(self):
        return f"{self.protocol} — {self.signed_on}"


class EmergencyKind(models.TextChoices):
    FIRE = "fire", _("Fire")
    MEDICAL = "medical", _("Medical emergency")
    SEVERE_WEATHER = "severe_weather", _("Severe weather")
    LOCKDOWN = "lockdown", _("Lockdown")
    HEAT_ILLNESS = "heat_illness", _("Heat illness")
    CONCUSSION = "concussion", _("Concussion")
    OTHER = "other", _("Other")


class EmergencyProcedure(Timestamped):
    """An emergency procedure for one kind of emergency at a location (blank = whole school).
    ``contacts`` is a list of ``{"name", "role", "phone"}``."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="emergency_procedures")
    kind = models.CharField(_("type"), max_length=16, choices=EmergencyKind.choices)
    title = models.CharField(_("title"), max_length=160)
    location = models.CharField(_("location"), max_length=120, blank=True, help_text=_("Blank = the whole school."))
    contacts = models.JSONField(_("contacts"), default=list, blank=True)
    aed_locations = models.CharField(_("AED locations"), max_length=300, blank=True)
    first_aid_locations = models.CharField(_("first-aid kit locations"), max_length=300, blank=True)
    drill_interval_days = models.PositiveSmallIntegerField(
        _("drill every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_("Blank = no drill required."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_drilled_on = models.DateField(_("last drill"), null=True, blank=True, editable=False)
    next_drill_due = models.DateField(
        _("next drill due"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Blank with an interval = never drilled, due now. Kept by save()."),
    )
    drill_reminded_for = models.DateField(null=True, blank=True, editable=False)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title", "pk"]
        verbose_name = _("emergency procedure")
        verbose_name_plural = _("emergency procedures")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # stored so the "overdue drills" filter and the dashboard card are one indexed query
        if self.drill_interval_days and self.last_drilled_on:
            self.next_drill_due = self.last_drilled_on + datetime.timedelta(days=self.drill_interval_days)
        else:
            self.next_drill_due = None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "next_drill_due"}
        super().save(*args, **kwargs)


class ProcedureChildQuerySet(ScopedQuerySet):
    school_lookup = "procedure__school"


class EmergencyStep(models.Model):
    procedure = models.ForeignKey(EmergencyProcedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    instruction = models.CharField(_("instruction"), max_length=400)
    role = models.CharField(_("who"), max_length=80, blank=True, help_text=_("e.g. Teacher in charge"))

    objects = ProcedureChildQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "order"]
        verbose_name = _("emergency step")
        verbose_name_plural = _("emergency steps")
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="safety_step_order")]

    def __str__(self):
        return f"{self.order}. {self.instruction[:60]}"


class Drill(models.Model):
    """A rehearsal of a procedure. ``participants`` are the staff who took part;
    ``participant_count`` counts everyone (students included)."""

    procedure = models.ForeignKey(EmergencyProcedure, on_delete=models.CASCADE, related_name="drills")
    held_on = models.DateField(_("held on"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    participant_count = models.PositiveIntegerField(_("people taking part"), default=0)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff taking part")
    )
    notes = models.TextField(_("what went well / to improve"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProcedureChildQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")

    def __str__(self):
        return f"{self.procedure} drill {self.held_on}"
