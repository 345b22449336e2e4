"""What the assistant remembers about a person: facts, preferences, episodes and summaries.

A memory belongs to one person (``owner``) in one school; nobody else sees it, whatever their
role (``MemoryQuerySet.visible_to``). Memories are searched by text, recency and importance
(``memory.selectors.search``), fed into the assistant's context within a token budget
(``memory.selectors.context``) and kept tidy by the maintenance services (merge near-duplicates,
consolidate old episodes, decay, expire, per-user cap).

``source_message_id`` names the assistant message a memory came from without a foreign key:
``memory`` sits below ``assistant`` in the dependency order (DESIGN §4), so it cannot point at
the assistant's tables; the assistant resolves the id when it shows the source.
``search_vector`` is kept by the memory services on PostgreSQL and indexed with GIN by a
PostgreSQL-only migration; on SQLite it stays empty and search uses the fallback path.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet


class MemoryKind(models.TextChoices):
    FACT = "fact", _("Fact")
    PREFERENCE = "preference", _("Preference")
    EPISODE = "episode", _("Episode")
    SUMMARY = "summary", _("Summary")


class MemorySource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    CONVERSATION = "conversation", _("From a conversation")
    FEEDBACK = "feedback", _("From feedback on a reply")
    CONSOLIDATION = "consolidation", _("Summary of older memories")


class MemoryQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Only the owner's own memories, in schools where they are still a member; a platform
        superuser is no exception (memories are personal; staff browse them in the admin)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        from accounts.selectors import school_ids_for

        return self.filter(owner=user, school__in=school_ids_for(user))

    def live(self, now=None):
        """Not expired."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Memory(models.Model):
    """One remembered thing about its owner's work (see the module docstring)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memories", verbose_name=_("owner")
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="memories", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MemoryKind.choices, default=MemoryKind.FACT)
    content = models.TextField(_("content"), max_length=2000)
    # a learned preference has a key (default_class, units, report_style, …): one live memory per key
    key = models.SlugField(_("preference key"), max_length=50, blank=True)
    student = models.ForeignKey(
        "physed.Student",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("student"),
    )
    pe_class = models.ForeignKey(
        "physed.PEClass", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("class")
    )
    content_item = models.ForeignKey(
        "content.ContentItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("content item"),
    )
    importance = models.FloatField(
        _("importance"), default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    source = models.CharField(_("source"), max_length=16, choices=MemorySource.choices, default=MemorySource.MANUAL)
    source_message_id = models.PositiveBigIntegerField(_("source message"), null=True, blank=True)
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned memories are never decayed, merged or removed by clean-up.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_accessed_at = models.DateTimeField(_("last used"), null=True, blank=True)
    access_count = models.PositiveIntegerField(_("times used"), default=0)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = MemoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("memory")
        verbose_name_plural = _("memories")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "school", "-created_at"], name="memory_owner_recent"),
            models.Index(fields=["owner", "school", "kind"], name="memory_owner_kind"),
            models.Index(fields=["expires_at"], name="memory_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(importance__gte=0) & Q(importance__lte=1), name="memory_importance_0_1"),
        ]

    def __str__(self):
        return self.content[:60]
