"""Profiles (user-system issue §1): personal details, privacy settings, profile picture, and the
per-school staff record (staff id, staff verification by a school admin)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = ["FieldVisibility", "Profile", "StaffRecord"]


class FieldVisibility(models.TextChoices):
    """Who may see one profile field (the owner always does)."""

    ONLY_ME = "me", _("Only me")
    STAFF = "staff", _("Staff of my school")
    SCHOOL = "school", _("Everyone in my school")


phone_validator = RegexValidator(
    r"^\+?[0-9 ()./-]{3,32}$", _("Enter a phone number: digits, spaces and + ( ) . / - only.")
)


class ProfileQuerySet(ScopedQuerySet):
    school_lookup = "user__memberships__school"

    def visible_to(self, user):
        from accounts.models.core import User

        return self.filter(user__in=User.objects.visible_to(user))


class Profile(models.Model):
    """One per user: how they are addressed, contact details, and who may see what. Created on
    first use (``accounts.services.profiles.profile_for``). Avatar files live in the default
    storage under unguessable names and are served only through a permission-checked view."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    preferred_name = models.CharField(_("preferred name"), max_length=150, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. Head of PE"))
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    directory_opt_out = models.BooleanField(
        _("hide me from the school directory"), default=False, help_text=_("You still appear to school admins.")
    )
    email_visibility = models.CharField(
        _("who sees my email"), max_length=8, choices=FieldVisibility.choices, default=FieldVisibility.STAFF
    )
    phone_visibility = models.CharField(
        _("who sees my phone"), max_length=8, choices=FieldVisibility.choices, default=FieldVisibility.ONLY_ME
    )
    picture_visibility = models.CharField(
        _("who sees my picture"), max_length=8, choices=FieldVisibility.choices, default=FieldVisibility.SCHOOL
    )
    bio_visibility = models.CharField(
        _("who sees my bio"), max_length=8, choices=FieldVisibility.choices, default=FieldVisibility.SCHOOL
    )
    avatar_small = models.CharField(_("small picture file"), max_length=255, blank=True, editable=False)
    avatar_large = models.CharField(_("large picture file"), max_length=255, blank=True, editable=False)
    avatar_updated_at = models.DateTimeField(_("picture updated"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__email"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user}"

    @property
    def has_avatar(self) -> bool:
        return bool(self.avatar_small and self.avatar_large)

    def avatar_name(self, size: str) -> str:
        return {"small": self.avatar_small, "large": self.avatar_large}.get(size, "")

    def display_name(self) -> str:
        return self.preferred_name or self.user.get_full_name()


class StaffRecordQuerySet(ScopedQuerySet):
    school_lookup = "school"

    def verified(self):
        return self.filter(verified_at__isnull=False)


class StaffRecord(models.Model):
    """A person's staff details in one school: the school's own staff id and whether a school
    admin has verified them as staff (the badge; "verified staff only" actions check it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_records", verbose_name=_("user")
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="staff_records", verbose_name=_("school")
    )
    staff_id = models.CharField(_("staff id"), max_length=64, blank=True)
    verified_at = models.DateTimeField(_("verified as staff at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StaffRecordQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="staffrecord_unique_user_school"),
            models.UniqueConstraint(
                fields=["school", "staff_id"], condition=~Q(staff_id=""), name="staffrecord_unique_staff_id"
            ),
        ]
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")

    def __str__(self):
        return f"{self.user} @ {self.school}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
