"""Sharing, comments and views (content §4–5).

Who may see or edit an item:
* its owner and co-authors (edit);
* a user it is shared with — a django-guardian object grant (``view_contentitem`` or
  ``change_contentitem``) stored in the direct-foreign-key tables below, so the visibility query
  joins them instead of guardian's generic table;
* everyone on the staff of the school when it is shared with the school (``ContentShare`` with no
  class), with view or edit rights;
* the teachers of a class it is shared with (view or edit), and the class's enrolled students once
  it is published (view);
* school staff holding ``content.manage_contentitem`` (department heads and school admins).
Audience shares (school, class) stay rows evaluated at query time rather than per-user grants, so
a student who joins a class later sees what was shared with it, and one who leaves stops seeing it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from content.models.common import ItemChildQuerySet


class ContentItemUserObjectPermission(UserObjectPermissionBase):
    """A guardian grant on one item to one user (a share with a user)."""

    content_object = models.ForeignKey("content.ContentItem", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("content share with a user")
        verbose_name_plural = _("content shares with users")


class ContentItemGroupObjectPermission(GroupObjectPermissionBase):
    """guardian's group grant table for items (guardian needs both when one is direct)."""

    content_object = models.ForeignKey("content.ContentItem", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("content share with a group")
        verbose_name_plural = _("content shares with groups")


class ShareAudience(models.TextChoices):
    SCHOOL = "school", _("The whole school")
    PE_CLASS = "class", _("A class")


class ContentShare(models.Model):
    """An item shared with the whole school's staff or with a class (its teachers, and its
    students once published)."""

    item = models.ForeignKey("content.ContentItem", on_delete=models.CASCADE, related_name="shares")
    audience = models.CharField(_("shared with"), max_length=8, choices=ShareAudience.choices)
    pe_class = models.ForeignKey(
        "physed.PEClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="content_shares",
        verbose_name=_("class"),
    )
    can_edit = models.BooleanField(_("may edit"), default=False)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["item", "audience", "pk"]
        verbose_name = _("content share")
        verbose_name_plural = _("content shares")
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(audience="school"), name="content_share_one_school_share"
            ),
            models.UniqueConstraint(
                fields=["item", "pe_class"], condition=Q(audience="class"), name="content_share_unique_class"
            ),
            models.CheckConstraint(
                condition=(Q(audience="school", pe_class__isnull=True) | Q(audience="class", pe_class__isnull=False)),
                name="content_share_audience_class",
            ),
        ]

    def __str__(self):
        return f"{self.item_id} → {self.audience}"


class ContentComment(models.Model):
    """A comment on an item; ``@name`` mentions of people who can see the item notify them."""

    item = models.ForeignKey("content.ContentItem", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="content_comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="content_mentions", verbose_name=_("mentioned")
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("content comment")
        verbose_name_plural = _("content comments")

    def __str__(self):
        return f"{self.item_id}: {self.body[:40]}"


class ContentView(models.Model):
    """Who opened which item, when last and how often: "recently viewed" and "popular in my
    school" read it (one row per user and item)."""

    item = models.ForeignKey("content.ContentItem", on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_views")
    first_viewed_at = models.DateTimeField(_("first viewed"), auto_now_add=True)
    last_viewed_at = models.DateTimeField(_("last viewed"), db_index=True)
    view_count = models.PositiveIntegerField(_("views"), default=1)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["-last_viewed_at", "pk"]
        verbose_name = _("content view")
        verbose_name_plural = _("content views")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="content_view_unique")]
        indexes = [models.Index(fields=["user", "-last_viewed_at"], name="content_view_user_recent")]

    def __str__(self):
        return f"{self.user_id} → {self.item_id}"
