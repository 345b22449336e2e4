"""Content items, their immutable versions, private attachments and lesson scheduling (content §1–2).

A ``ContentItem`` is the current state; every save through ``content.services.items`` writes an
immutable ``ContentVersion`` with a snapshot of the versioned fields (``VERSIONED_FIELDS``) and
bumps ``version``. An edit names the version it started from; a different current version is a
conflict (409), never a silent overwrite. We keep our own small version model rather than a
history library: the snapshot must include many-to-many fields (tags, standards, activities),
which row-history libraries do not version, and diff/restore work on the snapshot.

``search_vector`` is kept by the item services on PostgreSQL (title weight A, summary B, body C)
and indexed with GIN by a PostgreSQL-only migration; on SQLite it stays empty and search uses
the fallback path in ``content.selectors.search``.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from content.models.common import ItemChildQuerySet, private_storage
from content.models.visibility import ContentItemQuerySet
from physed.models.roster import GRADE_CHOICES

# the scalar fields a version snapshot holds, in form order; with the relations they are all the
# versioned fields (many-to-many as sorted ids/labels); diff, restore, forms and the API use them
SCALAR_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "status",
    "grade_min",
    "grade_max",
    "duration_minutes",
    "video_url",
    "language",
)
VERSIONED_FIELDS = (*SCALAR_FIELDS, "category", "tags", "standards", "indicators", "activities", "exercises")
# long text fields: the diff shows a line diff for these, old → new for the rest
LONG_TEXT_FIELDS = ("summary", "body")


class ContentKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    UNIT = "unit", _("Unit")
    ACTIVITY_CARD = "activity_card", _("Activity card")
    HANDOUT = "handout", _("Handout")
    VIDEO_LINK = "video_link", _("Video link")
    DOCUMENT = "document", _("Document")
    ASSESSMENT_TEMPLATE = "assessment_template", _("Assessment template")


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ContentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class ContentItem(models.Model):
    """A lesson plan, unit, card, handout, video link, document or assessment template of a
    school's library. Who sees it: ``ContentItemQuerySet.visible_to`` (content.visibility)."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="content_items", verbose_name=_("school")
    )
    kind = models.CharField(_("type"), max_length=24, choices=ContentKind.choices, default=ContentKind.LESSON_PLAN)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown"))
    status = models.CharField(_("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT)
    grade_min = models.PositiveSmallIntegerField(
        _("lowest grade"), choices=GRADE_CHOICES, default=0, validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    grade_max = models.PositiveSmallIntegerField(
        _("highest grade"), choices=GRADE_CHOICES, default=12, validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=ContentLanguage.choices, default=ContentLanguage.ENGLISH
    )
    category = models.ForeignKey(
        "content.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    tags = TaggableManager(through="content.TaggedContentItem", blank=True, verbose_name=_("tags"))
    standards = models.ManyToManyField(
        "physed.PEStandard", blank=True, related_name="content_items", verbose_name=_("standards")
    )
    indicators = models.ManyToManyField(
        "physed.GradeSpanIndicator", blank=True, related_name="content_items", verbose_name=_("grade-span indicators")
    )
    activities = models.ManyToManyField(
        "physed.Activity", blank=True, related_name="content_items", verbose_name=_("activities")
    )
    exercises = models.ManyToManyField(
        "physed.Exercise", blank=True, related_name="content_items", verbose_name=_("exercises")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="content_items_owned",
        verbose_name=_("owner"),
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="content_items_coauthored", verbose_name=_("co-authors")
    )
    forked_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="forks", verbose_name=_("copied from")
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        indexes = [
            models.Index(fields=["school", "status", "kind"], name="content_item_school_status"),
            models.Index(fields=["school", "-updated_at"], name="content_item_school_updated"),
            models.Index(fields=["owner"], name="content_item_owner"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(grade_min__lte=models.F("grade_max")), name="content_item_grades"),
        ]
        permissions = [
            ("manage_contentitem", "Manage every item of the school's content library"),
        ]

    def __str__(self):
        return self.title


class ContentVersion(models.Model):
    """One immutable saved state of an item (number 1 is the creation)."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    snapshot = models.JSONField(_("snapshot"))
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="content_version_unique_number")]

    def __str__(self):
        return f"{self.item_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Content versions are immutable.")
        super().save(*args, **kwargs)


def attachment_path(instance, filename):
    return f"content/attachments/{instance.item.school_id}/{instance.item_id}/{filename}"


class ContentAttachment(models.Model):
    """A private file attached to an item (PDF, PNG, JPEG or MP4, checked by its bytes); served
    only through a permission-checked, audited download."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("content attachment")
        verbose_name_plural = _("content attachments")

    def __str__(self):
        return self.original_name


class LessonSchedule(models.Model):
    """A lesson plan scheduled into a class session (the version it was scheduled at is kept)."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="schedules")
    session = models.ForeignKey(
        "physed.ClassSession", on_delete=models.CASCADE, related_name="lesson_schedules", verbose_name=_("session")
    )
    version_number = models.PositiveIntegerField(_("version"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("scheduled"), auto_now_add=True)

    objects = ItemChildQuerySet.as_manager()

    class Meta:
        ordering = ["session__date", "pk"]
        verbose_name = _("scheduled lesson")
        verbose_name_plural = _("scheduled lessons")
        constraints = [models.UniqueConstraint(fields=["item", "session"], name="content_schedule_unique")]

    def __str__(self):
        return f"{self.item_id} → {self.session_id}"
