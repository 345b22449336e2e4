"""Privacy: export jobs, roster import ids, erasure requests and their ledger, retention policies."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import ScopedQuerySet

__all__ = [
    "DataExportJob",
    "ErasureLedger",
    "ErasureRequest",
    "ExportError",
    "JobStatus",
    "PersonExternalId",
    "RetentionPolicy",
]


def privacy_storage():
    """Private storage for export archives: the ``privacy`` alias when configured (never served
    from MEDIA_URL), else the default storage (tests use the in-memory one)."""
    from django.core.files.storage import storages

    alias = settings.PRIVACY_EXPORT_STORAGE
    return storages[alias] if alias in settings.STORAGES else storages["default"]


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportError(models.TextChoices):
    """Why an export failed (the ``error`` field stores the code; ``error_message`` translates it)."""

    FAILED = "export_failed", _("Export failed")
    SUBJECT_MISSING = "subject_missing", _("Subject no longer exists")
    NOT_QUEUED = "not_queued", _("Could not be queued")


class DataExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is seen only by whoever asked for it."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class DataExportJob(models.Model):
    """One export of a person's data (for themselves, or by a school admin for a guardian
    request). The archive lives in private storage and expires after PRIVACY_EXPORT_LINK_HOURS."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="data_exports",
        verbose_name=_("subject"),
    )
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("school")
    )
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    archive = models.FileField(_("archive"), storage=privacy_storage, upload_to="exports/", blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # idempotency: the job id is the key. Every run claims the job (attempts + 1, a lease token, a
    # lease that each progress step renews); a redelivered message takes the job over only once
    # the lease has expired, and only the lease holder may complete it.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_token = models.CharField(_("lease token"), max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)

    objects = DataExportJobQuerySet.as_manager()

    #: what the person who asked sees for each ``error`` code (stored as a code, translated on display)
    ERROR_MESSAGES = {
        ExportError.FAILED: _(
            "The export could not be built. Please try again later; if it keeps failing, contact your school."
        ),
        ExportError.SUBJECT_MISSING: _("The person whose data was requested no longer exists."),
        ExportError.NOT_QUEUED: _("The export could not be started just now. Please ask for it again in a moment."),
    }

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"export {self.pk} ({self.get_status_display()})"

    @property
    def error_message(self) -> str:
        """The translated failure message for the person who asked ("" unless FAILED)."""
        if self.status != JobStatus.FAILED:
            return ""
        return str(self.ERROR_MESSAGES.get(self.error, self.ERROR_MESSAGES[ExportError.FAILED]))

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == JobStatus.DONE
            and bool(self.archive)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class PersonExternalIdQuerySet(ScopedQuerySet):
    school_lookup = "school"


class PersonExternalId(models.Model):
    """The id a school's information system gives a person: makes roster imports idempotent."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="external_ids", verbose_name=_("school")
    )
    external_id = models.CharField(_("external id"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_ids", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PersonExternalIdQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "external_id"], name="person_external_id_unique"),
            models.UniqueConstraint(fields=["school", "user"], name="person_external_id_one_per_user"),
        ]
        verbose_name = _("external person id")
        verbose_name_plural = _("external person ids")

    def __str__(self):
        return f"{self.external_id} @ {self.school}"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    REFUSED = "refused", _("Refused")
    COMPLETED = "completed", _("Completed")


class ErasureRequestQuerySet(ScopedQuerySet):
    school_lookup = "school"


class ErasureRequest(models.Model):
    """A request to erase a person's data. The requester may differ from the subject (a guardian
    for a student); a school admin approves, then the registry anonymizes everything."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="erasure_requests", verbose_name=_("school")
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure_requests",
        verbose_name=_("subject"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ErasureStatus.choices, default=ErasureStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "subject"],
                condition=Q(status="pending"),
                name="erasure_request_one_pending",
            )
        ]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self):
        return f"erasure #{self.pk} ({self.get_status_display()})"


class ErasureLedger(models.Model):
    """What an erasure did to one registered model: how many rows, and how (anonymized, deleted,
    retained with the reason)."""

    request = models.ForeignKey(
        ErasureRequest, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("erasure request")
    )
    model = models.CharField(_("model"), max_length=100)
    action = models.CharField(_("action"), max_length=32)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    retained_reason = models.CharField(_("retained because"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["request", "model"]
        verbose_name = _("erasure ledger entry")
        verbose_name_plural = _("erasure ledger entries")

    def __str__(self):
        return f"{self.model}: {self.action} {self.rows}"


class RetentionPolicyQuerySet(ScopedQuerySet):
    school_lookup = "school"


class RetentionPolicy(models.Model):
    """How long a school keeps one category of personal data (a category of the registry)."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="retention_policies", verbose_name=_("school")
    )
    category = models.CharField(_("data category"), max_length=32)
    keep_days = models.PositiveIntegerField(_("keep for (days)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RetentionPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "category"]
        constraints = [models.UniqueConstraint(fields=["school", "category"], name="retention_policy_unique")]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return f"{self.category}: {self.keep_days} days @ {self.school}"
