"""Equipment (safety §5): the inventory, inspections and the maintenance log.

An ``EquipmentItem`` is a counted stock of one kind of equipment at a location (its
``equipment_type`` is the PE library's vocabulary, so session planning can tell which planned
activities use a flagged item). ``Inspection.results`` holds one ``{"check", "result", "note"}`` per
checklist item (checklists are data per equipment type, ``safety/data/inspection_checklists.json``);
the inspection's ``outcome`` is the worst of them. A failed inspection puts the item out of service.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from safety.models.common import SchoolQuerySet, Timestamped

__all__ = [
    "CheckResult",
    "EquipmentItem",
    "EquipmentStatus",
    "Inspection",
    "InspectionKind",
    "MaintenanceKind",
    "MaintenanceRecord",
]


class EquipmentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    FLAGGED = "flagged", _("Flagged — check before use")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")
    RETIRED = "retired", _("Retired")


class EquipmentItem(Timestamped):
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="equipment_items")
    equipment_type = models.ForeignKey(
        "physed.EquipmentType", on_delete=models.PROTECT, related_name="inventory_items", verbose_name=_("type")
    )
    name = models.CharField(_("name"), max_length=120)
    asset_tag = models.CharField(_("asset tag"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    purchase_date = models.DateField(_("purchased"), null=True, blank=True)
    expected_life_years = models.PositiveSmallIntegerField(
        _("expected life (years)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_SERVICE
    )
    status_reason = models.CharField(_("why"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_inspection_due = models.DateField(
        _("next formal inspection due"),
        null=True,
        blank=True,
        help_text=_("Kept by the inspection service: the latest formal inspection's next due date."),
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "asset_tag"], condition=~models.Q(asset_tag=""), name="safety_equipment_asset_tag"
            )
        ]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["school", "next_inspection_due"])]

    def __str__(self):
        return f"{self.name} ({self.location})"

    @property
    def past_expected_life(self) -> bool:
        end = self.end_of_life
        return end is not None and end <= timezone.localdate()

    @property
    def inspection_overdue(self) -> bool:
        """The periodic formal inspection is past due (a retired item is never due)."""
        return (
            self.status != EquipmentStatus.RETIRED
            and self.next_inspection_due is not None
            and self.next_inspection_due < timezone.localdate()
        )

    @property
    def end_of_life(self) -> datetime.date | None:
        if not (self.purchase_date and self.expected_life_years):
            return None
        try:
            return self.purchase_date.replace(year=self.purchase_date.year + self.expected_life_years)
        except ValueError:  # 29 February
            return self.purchase_date.replace(year=self.purchase_date.year + self.expected_life_years, day=28)


class ItemChildQuerySet(ScopedQuerySet):
    school_lookup = "item__school"


class InspectionKind(models.TextChoices):
    PRE_USE = "pre_use", _("Pre-use visual check")
    FORMAL = "formal", _("Periodic formal inspection")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FLAG = "flag", _("Flag")
    FAIL = "fail", _("Fail")


class Inspection(models.Model):
    item = models.ForeignKey(EquipmentItem, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(_("kind"), max_length=8, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("inspector")
    )
    results = models.JSONField(_("checklist results"), default=list)
    outcome = models.CharField(_("outcome"), max_length=4, choices=CheckResult.choices)
    notes = models.TextField(_("notes"), blank=True)
    next_due = models.DateField(_("next formal inspection due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.item} {self.get_kind_display()} {self.inspected_on}"


class MaintenanceKind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    SERVICE = "service", _("Service")
    CLEANING = "cleaning", _("Cleaning")
    REPLACEMENT = "replacement", _("Part replaced")
    RETIREMENT = "retirement", _("Retired / disposed")


class MaintenanceRecord(models.Model):
    item = models.ForeignKey(EquipmentItem, on_delete=models.CASCADE, related_name="maintenance")
    performed_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=MaintenanceKind.choices)
    description = models.TextField(_("what was done"))
    performed_by = models.CharField(_("done by"), max_length=120, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=9, decimal_places=2, null=True, blank=True)
    returns_to_service = models.BooleanField(_("back in service"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_on", "-pk"]
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")

    def __str__(self):
        return f"{self.item} {self.get_kind_display()} {self.performed_on}"
