"""The append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet


class AuditEventImmutable(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEventQuerySet(ScopedQuerySet):
    school_lookup = "school"

    def update(self, **kwargs):
        raise AuditEventImmutable("Audit events cannot be updated.")

    def delete(self):
        raise AuditEventImmutable("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which record, when, from where. Written by services in the same
    transaction as the change; never updated or deleted (model guard here, a trigger on
    PostgreSQL, a read-only admin). The actor and school are kept as ids without a database
    constraint, so erasing a user leaves a pseudonymous actor rather than rewriting history."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    school = models.ForeignKey(
        "accounts.School",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("school"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address (truncated)"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_label}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditEventImmutable("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable("Audit events cannot be deleted.")
