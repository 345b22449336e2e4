"""Categories and tags (content §3).

``Category`` is a small tree per school (unit / subject area); ``path`` holds the ids from the root
(``/3/17/``) so a category filter includes its descendants with one ``startswith``.
Tags are django-taggit tags, one vocabulary per school (``ContentTag`` is taggit's ``TagBase``
with a school and names unique per school instead of globally, so one school never sees another's
tag names in suggestions).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import ItemBase, TagBase

from content.models.common import SchoolQuerySet

MAX_CATEGORY_DEPTH = 5


class Category(models.Model):
    """A node of the school's category tree."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="content_categories", verbose_name=_("school")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    path = models.CharField(_("path"), max_length=255, blank=True, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["path", "position", "name", "pk"]
        verbose_name = _("content category")
        verbose_name_plural = _("content categories")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "parent", "name"],
                name="content_category_unique_name",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return self.name


class ContentTag(TagBase):
    """A free tag of one school's library."""

    name = models.CharField(verbose_name=_("name"), max_length=100)
    slug = models.SlugField(verbose_name=_("slug"), max_length=100, allow_unicode=True)
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="content_tags", verbose_name=_("school")
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("content tag")
        verbose_name_plural = _("content tags")
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="content_tag_unique_name"),
            models.UniqueConstraint(fields=["school", "slug"], name="content_tag_unique_slug"),
        ]


class TaggedContentItem(ItemBase):
    """taggit's through row: one tag on one item."""

    tag = models.ForeignKey(ContentTag, on_delete=models.CASCADE, related_name="tagged_items")
    content_object = models.ForeignKey("content.ContentItem", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("tagged item")
        verbose_name_plural = _("tagged items")
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="content_tagged_unique")]
