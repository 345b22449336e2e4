"""In-app notifications. ``kind`` is the event key of the registry in
``accounts.services.notification_events`` (e.g. ``security.new_device``); ``emailed_at``,
``email_held`` and ``digest_sent_at`` record the email side (see ``accounts.services.notifications``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user, in_app=True)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message for one user, e.g. "new sign-in from Firefox on Windows"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    in_app = models.BooleanField(
        _("shown in-app"), default=True, help_text=_("False for a row that only carries an email.")
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    email_held = models.BooleanField(
        _("email held"), default=False, help_text=_("Email wanted but held for quiet hours: sent with the next digest.")
    )
    digest_sent_at = models.DateTimeField(_("included in digest"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title
