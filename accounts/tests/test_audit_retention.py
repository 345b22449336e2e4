"""Retention: rows older than AUDIT_RETENTION_DAYS are purged by the one sanctioned deletion path,
which audits itself; a dry run only counts; the daily Celery task is scheduled."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from accounts.models import AuditEvent
from accounts.services.audit_retention import purge_expired_audit_events, retention_cutoff
from accounts.tasks.audit import PURGE_TASK_NAME, purge_expired_audit_events_task
from accounts.tests.factories_audit import AuditEventFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def aged(school, other_school, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    return {
        "ancient": AuditEventFactory(school=school, occurred_at=NOW - timedelta(days=400)),
        "old": AuditEventFactory(school=other_school, occurred_at=NOW - timedelta(days=31)),
        "platform_old": AuditEventFactory(school=None, occurred_at=NOW - timedelta(days=30, seconds=1)),
        "boundary": AuditEventFactory(school=school, occurred_at=NOW - timedelta(days=30)),
        "recent": AuditEventFactory(school=school, occurred_at=NOW - timedelta(days=1)),
    }


def _remaining(aged):
    present = set(AuditEvent.objects.values_list("pk", flat=True))
    return sorted(name for name, event in aged.items() if event.pk in present)


def test_default_retention_is_two_years():
    assert settings.AUDIT_RETENTION_DAYS == 730


def test_cutoff_follows_the_setting(settings):
    settings.AUDIT_RETENTION_DAYS = 10
    assert retention_cutoff(NOW) == NOW - timedelta(days=10)
    settings.AUDIT_RETENTION_DAYS = 0
    assert retention_cutoff(NOW) is None


def test_dry_run_counts_without_deleting_or_auditing(aged):
    assert purge_expired_audit_events(now=NOW, dry_run=True) == 3
    assert _remaining(aged) == ["ancient", "boundary", "old", "platform_old", "recent"]
    assert not AuditEvent.objects.filter(action="audit.purged").exists()


def test_purge_deletes_exactly_the_expired_rows_and_audits_itself(aged):
    assert purge_expired_audit_events(now=NOW) == 3
    assert _remaining(aged) == ["boundary", "recent"]
    purged = AuditEvent.objects.get(action="audit.purged")
    assert purged.changes == {
        "deleted": 3,
        "cutoff": (NOW - timedelta(days=30)).isoformat(),
        "retention_days": 30,
    }
    assert (purged.actor_id, purged.school_id, purged.target_type) == (None, None, "accounts.auditevent")


def test_dry_run_and_real_run_agree(aged):
    counted = purge_expired_audit_events(now=NOW, dry_run=True)
    assert purge_expired_audit_events(now=NOW) == counted


def test_second_purge_finds_nothing_but_still_records_the_run(aged):
    purge_expired_audit_events(now=NOW)
    assert purge_expired_audit_events(now=NOW) == 0
    runs = AuditEvent.objects.filter(action="audit.purged").order_by("pk")
    assert [run.changes["deleted"] for run in runs] == [3, 0]


def test_zero_days_keeps_everything(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 0
    assert purge_expired_audit_events(now=NOW) == 0
    assert len(_remaining(aged)) == 5
    assert not AuditEvent.objects.filter(action="audit.purged").exists()


def test_the_guards_still_hold_outside_the_purge(aged):
    from accounts.models import AuditEventImmutable

    purge_expired_audit_events(now=NOW)
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.all().delete()


def test_task_runs_the_purge_with_the_current_time(school, settings):
    settings.AUDIT_RETENTION_DAYS = 730
    old = AuditEventFactory(school=school, occurred_at=datetime.now(UTC) - timedelta(days=731))
    kept = AuditEventFactory(school=school, occurred_at=datetime.now(UTC) - timedelta(days=729))
    assert purge_expired_audit_events_task.delay().get() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert purge_expired_audit_events_task.delay(dry_run=True).get() == 0


def test_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-purge-expired"]
    assert entry["task"] == PURGE_TASK_NAME == purge_expired_audit_events_task.name
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({3}, {30})
    assert schedule.day_of_week == set(range(7))
