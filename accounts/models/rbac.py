"""Custom roles a school defines from the permission catalogue, and their time-limited
assignment to memberships. Built-in roles and their codenames are data in ``accounts.roles``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet


class CustomRoleQuerySet(ScopedQuerySet):
    school_lookup = "school"


class CustomRole(models.Model):
    """A named set of catalogue codenames, defined by one school."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="custom_roles", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list, help_text=_("Codenames from the catalogue."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CustomRoleQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="custom_role_unique_name")]
        verbose_name = _("custom role")
        verbose_name_plural = _("custom roles")

    def __str__(self):
        return f"{self.name} @ {self.school}"


class RoleAssignmentQuerySet(ScopedQuerySet):
    school_lookup = "membership__school"

    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at))


class RoleAssignment(models.Model):
    """A custom role given to a membership, optionally until a time; an expired assignment stops
    granting at once (checked on read) and a scheduled task deletes it later."""

    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("membership"),
    )
    custom_role = models.ForeignKey(
        CustomRole, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("custom role")
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["membership", "custom_role"], name="role_assignment_unique")]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self):
        return f"{self.custom_role.name} → {self.membership.user}"


class PermissionDecisionStat(models.Model):
    """Allowed/denied counts per day, school, permission and role, flushed from cache counters."""

    day = models.DateField(_("day"))
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    permission = models.CharField(_("permission"), max_length=100)
    role = models.CharField(_("role"), max_length=100)
    allowed = models.PositiveIntegerField(_("allowed"), default=0)
    denied = models.PositiveIntegerField(_("denied"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "permission"]
        constraints = [
            models.UniqueConstraint(fields=["day", "school", "permission", "role"], name="permission_stat_unique")
        ]
        verbose_name = _("permission decision count")
        verbose_name_plural = _("permission decision counts")

    def __str__(self):
        return f"{self.day} {self.permission} {self.role}: +{self.allowed} -{self.denied}"
