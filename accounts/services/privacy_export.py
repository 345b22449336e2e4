"""Running a data export: claim the job (idempotency key = job id, attempts, lease), build the
archive, complete it once, or retry/fail it with a message the person sees."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from accounts.models import DataExportJob, ExportError, JobStatus
from accounts.services.audit import record_event
from accounts.services.notifications import notify

logger = logging.getLogger("accounts.services.privacy")

__all__ = ["TRANSIENT_EXPORT_ERRORS", "ExportBusy", "ExportLeaseLost", "queue_export", "run_export"]


def queue_export(job: DataExportJob) -> None:
    """Sends the job to the worker. The broker (Redis) may be down: the request still succeeds and
    the job ends FAILED with a message asking to try again, instead of a 500."""
    from accounts.tasks.privacy import run_export as task

    try:
        task.delay(str(job.pk))
    except (BrokerError, ConnectionError) as exc:  # the broker is unreachable
        logger.warning("export %s could not be queued: %s", job.pk, type(exc).__name__)
        DataExportJob.objects.filter(pk=job.pk, status=JobStatus.PENDING).update(
            status=JobStatus.FAILED, error=ExportError.NOT_QUEUED, finished_at=timezone.now()
        )
        job.refresh_from_db()


class ExportBusy(Exception):
    """Another worker holds a live lease on the job: try again once it may have expired."""

    def __init__(self, retry_in: float):
        super().__init__(f"export is running elsewhere; retry in {retry_in:.0f}s")
        self.retry_in = retry_in


class ExportLeaseLost(Exception):
    """This run's lease was taken over (it stalled past the lease): it must not complete the job."""


# errors worth another attempt (the database or storage may be back in a moment)
TRANSIENT_EXPORT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def _lease_until():
    return timezone.now() + timedelta(seconds=settings.PRIVACY_EXPORT_LEASE_SECONDS)


def _fail_export(job: DataExportJob, *, token: str, code: str, exc: BaseException | None = None) -> None:
    """Ends the job as FAILED with an error code the my-data page translates; audited and logged."""
    updated = (
        DataExportJob.objects.filter(pk=job.pk, lease_token=token)
        .exclude(status=JobStatus.DONE)
        .update(status=JobStatus.FAILED, error=code, finished_at=timezone.now(), lease_expires_at=None)
    )
    if not updated:
        return
    job.refresh_from_db()
    logger.error(
        "export %s failed for good after %d attempt(s): %s",
        job.pk,
        job.attempts,
        type(exc).__name__ if exc is not None else code,
    )
    record_event(
        "privacy.export_failed",
        actor=job.requested_by,
        school=job.school,
        target=job,
        changes={"subject": job.subject_id, "attempts": job.attempts, "error": code},
    )


def _claim(job_id, token: str) -> tuple[DataExportJob, bool]:
    """Claims the job for this run: (job, True) when this run must build it, (job, False) when it is
    already finished. A RUNNING job whose lease is still live raises ExportBusy; one whose lease
    expired (its worker died) is taken over."""
    now = timezone.now()
    with transaction.atomic():
        job = DataExportJob.objects.select_for_update().get(pk=job_id)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job, False
        if job.status == JobStatus.RUNNING and job.lease_expires_at and job.lease_expires_at > now:
            raise ExportBusy((job.lease_expires_at - now).total_seconds())
        if job.status == JobStatus.RUNNING:
            logger.warning("export %s: taking over from a run that stopped (attempt %d)", job.pk, job.attempts + 1)
        job.lease_token = token
        if job.subject_id is None:
            job.save(update_fields=["lease_token"])
            _fail_export(job, token=token, code=ExportError.SUBJECT_MISSING)
            return job, False
        if job.attempts >= settings.PRIVACY_EXPORT_MAX_ATTEMPTS:
            job.save(update_fields=["lease_token"])
            _fail_export(job, token=token, code=ExportError.FAILED)
            return job, False
        job.attempts += 1
        job.status, job.progress, job.lease_expires_at = JobStatus.RUNNING, 0, _lease_until()
        job.save(update_fields=["attempts", "status", "progress", "lease_token", "lease_expires_at"])
    return job, True


def _set_progress(job_id, value: int, token: str = "") -> None:
    """Records progress and renews the lease; a run whose lease was taken over stops here."""
    queryset = DataExportJob.objects.filter(pk=job_id)
    if token:
        queryset = queryset.filter(lease_token=token, status=JobStatus.RUNNING)
    if not queryset.update(progress=max(0, min(100, value)), lease_expires_at=_lease_until()) and token:
        raise ExportLeaseLost(str(job_id))


def run_export(*, job_id) -> DataExportJob:
    """Builds the archive (streamed, see ``accounts.privacy.exporter``) and stores it privately.

    Idempotent on the job id: a DONE (or FAILED) job is returned as is; two deliveries of the same
    job never both complete it (only the lease holder may). A transient error (database, network)
    puts the job back to PENDING and re-raises for the task to retry, until
    PRIVACY_EXPORT_MAX_ATTEMPTS runs; then, or on any other error, the job ends FAILED."""
    from accounts.privacy.exporter import build_archive

    token = uuid.uuid4().hex
    job, claimed = _claim(job_id, token)
    if not claimed:
        return job
    job = DataExportJob.objects.select_related("subject", "requested_by").get(pk=job.pk)
    stored_name = ""
    try:
        archive, manifest = build_archive(job.subject, progress=lambda value: _set_progress(job.pk, value, token))
        with archive:
            archive.seek(0, 2)
            size = archive.tell()
            archive.seek(0)
            job.archive.save(f"{job.pk}.zip", archive, save=False)
            stored_name = job.archive.name
        with transaction.atomic():
            current = DataExportJob.objects.select_for_update().get(pk=job.pk)
            if current.lease_token != token or current.status != JobStatus.RUNNING:
                raise ExportLeaseLost(str(job.pk))
            now = timezone.now()
            job.status, job.progress, job.size_bytes = JobStatus.DONE, 100, size
            job.finished_at, job.expires_at = now, now + timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
            job.attempts, job.lease_token, job.lease_expires_at = current.attempts, token, None
            job.save(
                update_fields=[
                    "archive",
                    "status",
                    "progress",
                    "size_bytes",
                    "finished_at",
                    "expires_at",
                    "lease_expires_at",
                ]
            )
            record_event(
                "privacy.export_completed",
                actor=job.requested_by,
                school=job.school,
                target=job,
                changes={"subject": job.subject_id, "files": len(manifest["files"]), "bytes": size},
            )
            if job.requested_by is not None:
                notify(
                    job.requested_by,
                    "data.export_ready",
                    _("Your data export is ready"),
                    _("The download link works until %(time)s.")
                    % {"time": job.expires_at.strftime("%Y-%m-%d %H:%M UTC")},
                    url=reverse("my-data"),
                )
    except ExportLeaseLost:
        logger.warning("export %s: lease lost to another run; this run's archive is discarded", job.pk)
        _discard(job, stored_name)
        job.refresh_from_db()
        return job
    except TRANSIENT_EXPORT_ERRORS as exc:
        _discard(job, stored_name)
        if job.attempts < settings.PRIVACY_EXPORT_MAX_ATTEMPTS:
            logger.warning("export %s: attempt %d hit %s; will retry", job.pk, job.attempts, type(exc).__name__)
            DataExportJob.objects.filter(pk=job.pk, lease_token=token).update(
                status=JobStatus.PENDING, lease_expires_at=None
            )
        else:
            _fail_export(job, token=token, code=ExportError.FAILED, exc=exc)
        raise
    except Exception as exc:
        _discard(job, stored_name)
        _fail_export(job, token=token, code=ExportError.FAILED, exc=exc)
        raise
    return job


def _discard(job: DataExportJob, name: str) -> None:
    """Removes an archive this run stored but may not keep (best effort)."""
    if name:
        try:
            job.archive.storage.delete(name)
        except Exception:
            logger.warning("export %s: could not remove %s", job.pk, name)
