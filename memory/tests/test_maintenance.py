"""Memory clean-up: merge, consolidate, decay, expire, cap; dry runs; pinned memories untouched."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role
from memory.models import Memory, MemoryKind, MemorySource
from memory.services.maintenance import (
    consolidate_episodes,
    decay_importance,
    enforce_cap,
    expire_memories,
    merge_duplicates,
    run_maintenance,
)
from memory.tasks import maintenance
from memory.tests.factories import MemoryFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def make(owner, school, content, *, days=0, **kwargs):
    memory = MemoryFactory(owner=owner, school=school, content=content, created_at=NOW - timedelta(days=days), **kwargs)
    Memory.objects.filter(pk=memory.pk).update(updated_at=memory.created_at)
    memory.refresh_from_db()
    return memory


def snapshot():
    return sorted(Memory.objects.values_list("pk", "content", "importance", "access_count", "kind"))


def test_merge_near_duplicates(teacher, school, school_admin):
    older = make(teacher, school, "Sam has asthma; inhaler in office", days=10, importance=0.8, access_count=2)
    newer = make(teacher, school, "Sam has asthma, inhaler in the office", days=1, importance=0.3, access_count=1)
    friday = make(teacher, school, "Grade 5 Blue runs the PACER on Friday", days=2)
    monday = make(teacher, school, "Grade 5 Blue runs the PACER on Monday", days=3)
    pinned = make(teacher, school, "Sam has asthma; inhaler in the office!", days=5, pinned=True)
    other_kind = make(teacher, school, "Sam has asthma; inhaler in office", kind=MemoryKind.EPISODE)
    someone_else = make(school_admin, school, "Sam has asthma; inhaler in office")
    before = snapshot()

    report = merge_duplicates(dry_run=True, now=NOW)
    assert snapshot() == before
    assert report.dry_run and report.task == "merge"
    assert [(c.memory_id, c.action) for c in report.changes] == [(older.pk, "delete"), (newer.pk, "merge")]
    assert report.changes[0].reason == f"near-duplicate of #{newer.pk} (similarity 1.00); merged into it"

    report = merge_duplicates(dry_run=False, now=NOW)
    assert report.count == 2
    assert not Memory.objects.filter(pk=older.pk).exists()
    newer.refresh_from_db()
    assert newer.content == "Sam has asthma, inhaler in the office"  # the newest text
    assert (newer.importance, newer.access_count) == (0.8, 3)
    for kept in (friday, monday, pinned, other_kind, someone_else):
        assert Memory.objects.filter(pk=kept.pk).exists()
    assert merge_duplicates(dry_run=False, now=NOW).count == 0


def test_consolidate_old_episodes_per_month(teacher, school):
    march_1 = make(teacher, school, "Asked about PACER results for Grade 5 Blue\nmore", kind=MemoryKind.EPISODE)
    march_2 = make(teacher, school, "Checked attendance of Grade 4 Red", kind=MemoryKind.EPISODE, importance=0.9)
    february = make(teacher, school, "Planned a volleyball unit", kind=MemoryKind.EPISODE)
    recent = make(teacher, school, "Asked for heat guidance", kind=MemoryKind.EPISODE)
    pinned = make(teacher, school, "Old pinned episode", kind=MemoryKind.EPISODE, pinned=True)
    fact = make(teacher, school, "An old fact")
    dates = {
        march_1: datetime(2026, 3, 5, 12, tzinfo=UTC),
        march_2: datetime(2026, 3, 20, 12, tzinfo=UTC),
        february: datetime(2026, 2, 10, 12, tzinfo=UTC),
        recent: datetime(2026, 6, 1, 12, tzinfo=UTC),
        pinned: datetime(2026, 1, 1, 12, tzinfo=UTC),
        fact: datetime(2026, 1, 1, 12, tzinfo=UTC),
    }
    for memory, when in dates.items():
        Memory.objects.filter(pk=memory.pk).update(created_at=when)
    Memory.objects.filter(pk=march_1.pk).update(access_count=2, last_accessed_at=datetime(2026, 4, 1, tzinfo=UTC))

    dry = consolidate_episodes(dry_run=True, now=NOW)
    assert sorted(dry.ids) == sorted([march_1.pk, march_2.pk, february.pk])
    assert dry.created_ids == []
    assert Memory.objects.filter(kind=MemoryKind.SUMMARY).count() == 0

    report = consolidate_episodes(dry_run=False, now=NOW)
    assert len(report.created_ids) == 2
    summaries = {m.created_at.month: m for m in Memory.objects.filter(kind=MemoryKind.SUMMARY)}
    assert summaries[3].content == (
        "Episodes from March 2026:\n- Asked about PACER results for Grade 5 Blue\n- Checked attendance of Grade 4 Red"
    )
    assert summaries[3].importance == 0.9
    assert summaries[3].access_count == 2
    assert summaries[3].source == MemorySource.CONSOLIDATION
    assert summaries[3].created_at == dates[march_2]
    assert summaries[3].owner == teacher and summaries[3].school == school
    assert summaries[2].content == "Episodes from February 2026:\n- Planned a volleyball unit"
    assert not Memory.objects.filter(pk__in=[march_1.pk, march_2.pk, february.pk]).exists()
    assert Memory.objects.filter(pk__in=[recent.pk, pinned.pk, fact.pk]).count() == 3


def test_decay_compounds_to_factor_per_week_unused(teacher, school):
    stale = make(teacher, school, "Stale fact", days=21, importance=0.5)
    floor = make(teacher, school, "Nearly forgotten", days=364, importance=0.06)
    at_floor = make(teacher, school, "Forgotten", days=364, importance=0.05)
    used = make(teacher, school, "Used recently", days=100, importance=0.5, last_accessed_at=NOW - timedelta(days=3))
    pinned = make(teacher, school, "Pinned", days=100, importance=0.5, pinned=True)

    dry = decay_importance(dry_run=True, now=NOW)
    assert sorted(dry.ids) == sorted([stale.pk, floor.pk])
    assert Memory.objects.get(pk=stale.pk).importance == 0.5

    report = decay_importance(dry_run=False, now=NOW)
    reasons = {change.memory_id: change.reason for change in report.changes}
    assert reasons[stale.pk] == "unused for 21 days: importance 0.500 → 0.429"
    assert reasons[floor.pk] == "unused for 364 days: importance 0.060 → 0.050"
    stale.refresh_from_db()
    assert stale.importance == pytest.approx(0.5 * 0.95**3, abs=1e-4)  # 0.4287
    assert Memory.objects.get(pk=floor.pk).importance == 0.05
    for untouched in (at_floor, used, pinned):
        assert Memory.objects.get(pk=untouched.pk).importance == untouched.importance
    # the same night again: nothing more
    assert decay_importance(dry_run=False, now=NOW).count == 0
    # a week later: one more week's factor — in total 0.95 ** 4 weeks unused
    decay_importance(dry_run=False, now=NOW + timedelta(days=7))
    stale.refresh_from_db()
    assert stale.importance == pytest.approx(0.5 * 0.95**4, abs=2e-4)


def test_expire(teacher, school):
    gone = make(teacher, school, "Expired", expires_at=NOW - timedelta(hours=1))
    pinned = make(teacher, school, "Expired but pinned", expires_at=NOW - timedelta(hours=1), pinned=True)
    later = make(teacher, school, "Later", expires_at=NOW + timedelta(hours=1))
    dry = expire_memories(dry_run=True, now=NOW)
    assert dry.ids == [gone.pk]
    assert dry.changes[0].reason == "expired on 2026-06-15 11:00"
    assert Memory.objects.filter(pk=gone.pk).exists()
    expire_memories(dry_run=False, now=NOW)
    assert set(Memory.objects.values_list("pk", flat=True)) == {pinned.pk, later.pk}


def test_cap_removes_lowest_scores(teacher, school, school_admin, settings):
    settings.MEMORY_MAX_PER_USER = 3
    low = make(teacher, school, "low", importance=0.1)  # 0.1 + 1.0 = 1.1
    old = make(teacher, school, "old", importance=0.6, days=60)  # 0.6 + 0.25 = 0.85
    mid = make(teacher, school, "mid", importance=0.5)  # 1.5
    high = make(teacher, school, "high", importance=0.9)  # 1.9
    pinned = make(teacher, school, "pinned", importance=0.0, days=300, pinned=True)
    others = [make(school_admin, school, f"admin {n}", importance=0.0) for n in range(3)]  # at the cap: kept
    dry = enforce_cap(dry_run=True, now=NOW)
    assert dry.ids == [old.pk, low.pk]  # 5 memories, cap 3: the two lowest unpinned
    assert dry.changes[0].reason == "over the cap of 3: score 0.85 (importance 0.60 + recency 0.25)"
    enforce_cap(dry_run=False, now=NOW)
    assert set(Memory.objects.filter(owner=teacher).values_list("pk", flat=True)) == {mid.pk, high.pk, pinned.pk}
    assert Memory.objects.filter(pk__in=[o.pk for o in others]).count() == 3


def test_run_maintenance_dry_run_and_scope(teacher, school, member, other_school):
    make(teacher, school, "Expired", expires_at=NOW - timedelta(days=1))
    other = member(other_school, Role.TEACHER)
    theirs = make(other, other_school, "Expired too", expires_at=NOW - timedelta(days=1))
    before = snapshot()
    reports = run_maintenance(dry_run=True, now=NOW)
    assert list(reports) == ["merge", "consolidate", "decay", "expire", "cap"]
    assert reports["expire"].count == 2
    assert snapshot() == before
    reports = run_maintenance(owner=teacher, dry_run=False, now=NOW)
    assert reports["expire"].count == 1
    assert list(Memory.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_command_and_task(teacher, school, capsys):
    make(teacher, school, "Expired", expires_at=NOW - timedelta(days=1))
    call_command("memory_maintenance", "--dry-run", "--user", teacher.email)
    out = capsys.readouterr().out
    assert "Dry run: nothing was changed." in out
    assert "expire: would change 1 memories" in out
    assert "Would change 1 memories in all." in out
    assert Memory.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("memory_maintenance", "--user", "nobody@example.org")
    assert maintenance.apply(kwargs={"dry_run": True}).get() == {
        "merge": 0,
        "consolidate": 0,
        "decay": 0,
        "expire": 1,
        "cap": 0,
    }
    assert maintenance.apply().get()["expire"] == 1
    assert Memory.objects.count() == 0
