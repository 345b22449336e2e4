"""Export idempotency and bounded retries, in-process (the real worker/broker faults are in
tests/test_faults.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from accounts.models import AuditEvent, DataExportJob, ExportError, JobStatus
from accounts.services import privacy as service

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(student):
    return DataExportJob.objects.create(requested_by=student, subject=student)


def test_a_done_job_is_not_rebuilt(job, monkeypatch):
    service.run_export(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1
    from accounts.privacy import exporter

    monkeypatch.setattr(exporter, "build_archive", lambda *a, **k: pytest.fail("rebuilt a finished job"))
    assert service.run_export(job_id=job.pk).status == JobStatus.DONE
    job.refresh_from_db()
    assert job.attempts == 1
    assert AuditEvent.objects.filter(action="privacy.export_completed", target_id=str(job.pk)).count() == 1


def test_a_running_job_with_a_live_lease_is_left_alone(job):
    DataExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, lease_token="busy", lease_expires_at=timezone.now() + timedelta(minutes=1)
    )
    with pytest.raises(service.ExportBusy) as busy:
        service.run_export(job_id=job.pk)
    assert 0 < busy.value.retry_in <= 60


def test_a_running_job_whose_lease_expired_is_taken_over(job):
    DataExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, lease_token="dead", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert service.run_export(job_id=job.pk).status == JobStatus.DONE
    job.refresh_from_db()
    assert job.attempts == 2 and job.lease_token != "dead"


def test_transient_errors_retry_until_the_attempts_run_out(job, monkeypatch, settings):
    from django.db import OperationalError

    from accounts.privacy import exporter

    settings.PRIVACY_EXPORT_MAX_ATTEMPTS = 2

    def flaky(*args, **kwargs):
        raise OperationalError("connection lost")

    monkeypatch.setattr(exporter, "build_archive", flaky)
    with pytest.raises(OperationalError):
        service.run_export(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.attempts == 1
    with pytest.raises(OperationalError):
        service.run_export(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 2 and job.error == ExportError.FAILED
    assert "could not be built" in job.error_message
    assert AuditEvent.objects.filter(action="privacy.export_failed", target_id=str(job.pk)).count() == 1


def test_the_task_backs_off_exponentially_within_a_cap(settings):
    from accounts.tasks.privacy import _backoff

    settings.PRIVACY_EXPORT_RETRY_BACKOFF_SECONDS = 10
    settings.PRIVACY_EXPORT_RETRY_BACKOFF_MAX_SECONDS = 30
    assert [_backoff(n) for n in range(4)] == [10, 20, 30, 30]


def test_a_broker_outage_fails_the_request_softly(student, monkeypatch, django_capture_on_commit_callbacks):
    from accounts.tasks import privacy as tasks

    def down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_export, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = service.request_export(actor=student, subject=student)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == ExportError.NOT_QUEUED
    assert "ask for it again" in job.error_message
