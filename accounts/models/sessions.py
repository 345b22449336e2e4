"""Sign-in sessions (web and API) and the devices they come from."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")


class UserSessionQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)

    def visible_to(self, user):
        """A user sees their own sessions; school admins see those of their school's members
        through the security-monitoring selector, not through this path."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class UserSession(models.Model):
    """One sign-in. For the web it wraps a Django session (``session_key``); for the API it is a
    refresh-token family: rotation keeps the family and moves ``current_jti``; presenting an
    older jti of the family is reuse and revokes the whole family."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SessionKind.choices)
    family = models.UUIDField(_("family"), default=uuid.uuid4, unique=True, editable=False)
    session_key = models.CharField(_("web session key"), max_length=64, blank=True, db_index=True)
    current_jti = models.CharField(_("current refresh token id"), max_length=64, blank=True)
    previous_jti = models.CharField(_("previous refresh token id"), max_length=64, blank=True)
    rotated_at = models.DateTimeField(_("last rotated"), null=True, blank=True)
    device_label = models.CharField(_("device"), max_length=120, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    last_user_agent = models.CharField(_("latest user agent"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address (truncated)"), null=True, blank=True)
    seen_ips = models.JSONField(_("IP addresses seen (truncated)"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("revoked because"), max_length=64, blank=True)
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True)
    flagged_reason = models.CharField(_("flagged because"), max_length=200, blank=True)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [
            models.Index(fields=["user", "revoked_at", "expires_at"]),
            models.Index(fields=["flagged_at"], condition=Q(flagged_at__isnull=False), name="session_flagged_idx"),
        ]
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} — {self.device_label or '?'}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
