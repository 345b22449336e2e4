"""Conversations with the assistant, their messages, attachments, proposed actions and feedback.

A conversation belongs to one person in one school; nobody else sees it (``OwnedQuerySet``).
A reply records how it was made: the recognised intent and its confidence, the reasons, the tools
called (``tool_calls``), the records cited (``citations``: label + link) and the cards shown
(tables, charts, links). Write actions are never done by a reply: they are ``ProposedAction`` rows
the person confirms or rejects. ``IntentExample`` holds phrasings learned from corrections, which
re-weight intent recognition for that person.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet
from config.uploads import private_storage


class OwnedQuerySet(ScopedQuerySet):
    """Rows of one person: only the owner sees them, in schools where they are still a member."""

    owner_lookup = "owner"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        from accounts.selectors import school_ids_for

        return self.filter(**{self.owner_lookup: user, f"{self.school_lookup}__in": school_ids_for(user)})


class ConversationQuerySet(OwnedQuerySet):
    pass


class MessageQuerySet(OwnedQuerySet):
    school_lookup = "conversation__school"
    owner_lookup = "conversation__owner"


class Conversation(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("owner")
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="conversations", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    persona = models.ForeignKey(
        "assistant.Persona",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("persona"),
        help_text=_("Empty: your chosen persona, else the school default."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-updated_at", "-pk"]
        permissions = [("use_assistant", "Can use the teaching assistant")]
        indexes = [models.Index(fields=["owner", "school", "-updated_at"], name="conversation_owner_recent")]

    def __str__(self):
        return self.title or f"#{self.pk}"


class MessageRole(models.TextChoices):
    USER = "user", _("You")
    ASSISTANT = "assistant", _("Assistant")


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(_("role"), max_length=10, choices=MessageRole.choices)
    text = models.TextField(_("text"))
    # how a reply was made (empty on the person's own messages)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    intent = models.CharField(_("intent"), max_length=40, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    tool_calls = models.JSONField(_("tool calls"), default=list, blank=True)
    citations = models.JSONField(_("citations"), default=list, blank=True)
    cards = models.JSONField(_("cards"), default=list, blank=True)
    context_tokens = models.PositiveIntegerField(_("context tokens"), default=0)
    persona_name = models.CharField(_("persona"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_conversation_time")]

    def __str__(self):
        return self.text[:60]


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    TABLE = "table", _("Table (CSV or Excel)")


class AttachmentQuerySet(OwnedQuerySet):
    school_lookup = "conversation__school"
    owner_lookup = "conversation__owner"


class Attachment(models.Model):
    """An image or a table sent in a conversation. Files are private; a table keeps its parsed
    preview (header + first rows) so the import can be confirmed without parsing again."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="assistant/%Y/%m/", storage=private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    table = models.JSONField(
        _("table preview"), default=dict, blank=True
    )  # {"columns": [...], "rows": [[...]], "total_rows": n}
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    import_summary = models.JSONField(_("import summary"), default=dict, blank=True)
    attached_to = models.CharField(_("attached to"), max_length=200, blank=True)  # "content.ContentItem:12"
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for your confirmation")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class ActionQuerySet(OwnedQuerySet):
    school_lookup = "message__conversation__school"
    owner_lookup = "message__conversation__owner"


class ProposedAction(models.Model):
    """A write the assistant proposes (create a goal, draft a lesson plan, record results); it is
    carried out only when the conversation's owner confirms it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=30)
    summary = models.CharField(_("summary"), max_length=300)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PROPOSED)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    result_label = models.CharField(_("result"), max_length=200, blank=True)
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed action")
        verbose_name_plural = _("proposed actions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.summary


class FeedbackQuerySet(OwnedQuerySet):
    school_lookup = "message__conversation__school"
    owner_lookup = "message__conversation__owner"


class Feedback(models.Model):
    """Thumbs up or down on a reply, with an optional correction ("I meant attendance")."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="feedback")
    rating = models.SmallIntegerField(_("rating"), choices=[(1, _("Helpful")), (-1, _("Not helpful"))])
    correction = models.TextField(_("correction"), max_length=2000, blank=True)
    expected_intent = models.CharField(_("what you meant"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.rating:+d} on {self.message_id}"


class IntentExample(models.Model):
    """A phrasing learned from a person's feedback, with a weight: a corrected reply adds its
    words under the intended intent; thumbs up strengthens, thumbs down weakens (``assistant.intents``)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intent_examples")
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    phrase = models.CharField(_("phrase"), max_length=300)
    intent = models.CharField(_("intent"), max_length=40)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(-5.0), MaxValueValidator(5.0)])
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("learned phrasing")
        verbose_name_plural = _("learned phrasings")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "school", "phrase", "intent"], name="intent_example_unique")
        ]

    def __str__(self):
        return f"{self.phrase} → {self.intent}"
