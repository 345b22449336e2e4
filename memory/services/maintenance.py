"""Keeping memories tidy: merge near-duplicates, consolidate old episodes, decay, expire, cap.

Every function takes ``owner`` / ``school`` (None = everyone / every school) and ``dry_run``
(default True: report what *would* change, write nothing) and returns a ``MaintenanceReport``
listing each affected memory with the action and the reason. Pinned memories are never touched:
pinning is the person's "keep this as it is". Expired memories are left to ``expire``.

Rules
* merge: within one owner, school, kind (and preference key), two memories whose normalised word
  sets (``memory.selectors.text.word_set``) have a Jaccard similarity ≥ ``DUPLICATE_SIMILARITY``
  are one memory: the newest text is kept, importance = the maximum, access counts summed, last
  use = the latest; the others are deleted.
* consolidate: episodes created more than ``MEMORY_CONSOLIDATE_AFTER_DAYS`` ago become one
  ``summary`` memory per owner, school and calendar month listing each episode's first line
  (importance = the maximum, created = the newest episode's time, so its recency stays honest);
  the episodes are deleted.
* decay: a memory not used (or created) for ≥ ``DECAY_AFTER_DAYS`` days loses importance:
  importance × ``MEMORY_DECAY_PER_WEEK`` ** weeks, counting weeks since the later of its last use
  and its last change (a decay stamps ``updated_at``, so nightly runs compound to exactly
  factor ** weeks-unused), never below ``DECAY_FLOOR``.
* expire: memories past ``expires_at`` are deleted.
* cap: beyond ``MEMORY_MAX_PER_USER`` memories per owner and school, the unpinned ones with the
  lowest ``importance + recency`` (recency as in search) are deleted.
"""

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import dateformat, timezone

from memory.models import Memory, MemoryKind, MemorySource
from memory.selectors.search import SECONDS_PER_DAY, recency_of
from memory.selectors.text import jaccard, word_set
from memory.services.memories import MAX_CONTENT_CHARS, refresh_search_vectors

logger = logging.getLogger(__name__)

# 0.85: rewordings of one fact ("Sam has asthma; inhaler in office" / "Sam has asthma, inhaler in
# the office") share almost all content words, while two facts about the same student or class
# that differ in one meaningful word of six ("runs the PACER on Friday" vs "on Monday") score
# 5/7 ≈ 0.71 and are kept apart.
DUPLICATE_SIMILARITY = 0.85
DECAY_AFTER_DAYS = 7
DECAY_FLOOR = 0.05
SUMMARY_LINE_CHARS = 120


@dataclass
class MaintenanceChange:
    memory_id: int
    action: str  # "delete", "merge", "update", "consolidate"
    reason: str


@dataclass
class MaintenanceReport:
    task: str
    dry_run: bool
    changes: list[MaintenanceChange] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.changes)

    @property
    def ids(self) -> list[int]:
        return [change.memory_id for change in self.changes]

    def add(self, memory_id, action, reason) -> None:
        self.changes.append(MaintenanceChange(memory_id, action, reason))

    def as_dict(self) -> dict:
        return {**asdict(self), "count": self.count}

    def lines(self) -> list[str]:
        verb = "would change" if self.dry_run else "changed"
        head = f"{self.task}: {verb} {self.count} memories"
        if self.created_ids:
            head += f", created {len(self.created_ids)} (#{', #'.join(map(str, self.created_ids))})"
        return [head] + [f"  #{c.memory_id} {c.action}: {c.reason}" for c in self.changes]


def _scope(owner=None, school=None, now=None):
    queryset = Memory.objects.filter(pinned=False).live(now)
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if school is not None:
        queryset = queryset.filter(school=school)
    return queryset


def _last_used(memory):
    return memory.last_accessed_at or memory.created_at


def merge_duplicates(*, owner=None, school=None, dry_run=True, now=None) -> MaintenanceReport:
    """Merges near-duplicates (rule in the module docstring)."""
    now = now or timezone.now()
    report = MaintenanceReport("merge", dry_run)
    groups = defaultdict(list)
    for memory in _scope(owner, school, now).order_by("-created_at", "-pk"):
        words = word_set(memory.content)
        if words:
            groups[(memory.owner_id, memory.school_id, memory.kind, memory.key)].append((memory, words))
    updates, deletions = [], []
    for members in groups.values():
        keepers: list[tuple[Memory, frozenset, list]] = []
        for memory, words in members:  # newest first: the first of a cluster is kept
            for keeper, keeper_words, absorbed in keepers:
                similarity = jaccard(words, keeper_words)
                if similarity >= DUPLICATE_SIMILARITY:
                    absorbed.append(memory)
                    report.add(
                        memory.pk,
                        "delete",
                        f"near-duplicate of #{keeper.pk} (similarity {similarity:.2f}); merged into it",
                    )
                    break
            else:
                keepers.append((memory, words, []))
        for keeper, _words, absorbed in keepers:
            if not absorbed:
                continue
            cluster = [keeper, *absorbed]
            keeper.importance = max(m.importance for m in cluster)
            keeper.access_count = sum(m.access_count for m in cluster)
            used = [m.last_accessed_at for m in cluster if m.last_accessed_at]
            keeper.last_accessed_at = max(used) if used else None
            report.add(
                keeper.pk,
                "merge",
                f"kept (newest text) for {len(absorbed)} near-duplicate(s): importance {keeper.importance:.2f}, "
                f"used {keeper.access_count} times",
            )
            updates.append(keeper)
            deletions.extend(m.pk for m in absorbed)
    if not dry_run and updates:
        with transaction.atomic():
            Memory.objects.bulk_update(updates, ["importance", "access_count", "last_accessed_at"])
            Memory.objects.filter(pk__in=deletions).delete()
    return report


def _first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= SUMMARY_LINE_CHARS else line[: SUMMARY_LINE_CHARS - 1].rstrip() + "…"


def _summary_text(month_start, episodes) -> str:
    head = f"Episodes from {dateformat.format(month_start, 'F Y')}:"
    lines = [head]
    for index, episode in enumerate(episodes):
        line = f"- {_first_line(episode.content)}"
        rest = len(episodes) - index - 1
        tail = f"\n… and {rest} more" if rest else ""
        if len("\n".join([*lines, line])) + len(tail) > MAX_CONTENT_CHARS:
            lines.append(f"… and {len(episodes) - index} more")
            break
        lines.append(line)
    return "\n".join(lines)


def consolidate_episodes(*, owner=None, school=None, dry_run=True, now=None) -> MaintenanceReport:
    """One summary per owner/school/month for old episodes (rule in the module docstring)."""
    now = now or timezone.now()
    report = MaintenanceReport("consolidate", dry_run)
    cutoff = now - timedelta(days=settings.MEMORY_CONSOLIDATE_AFTER_DAYS)
    episodes = _scope(owner, school, now).filter(kind=MemoryKind.EPISODE, created_at__lt=cutoff)
    groups = defaultdict(list)
    for episode in episodes.order_by("created_at", "pk"):
        local = timezone.localtime(episode.created_at)
        groups[(episode.owner_id, episode.school_id, local.year, local.month)].append(episode)
    for (owner_id, school_id, year, month), members in sorted(groups.items()):
        month_start = timezone.localtime(members[0].created_at).replace(day=1)
        for episode in members:
            report.add(
                episode.pk,
                "consolidate",
                f"episode older than {settings.MEMORY_CONSOLIDATE_AFTER_DAYS} days, "
                f"summarised with {len(members)} episode(s) of {year}-{month:02d}",
            )
        if dry_run:
            continue
        used = [m.last_accessed_at for m in members if m.last_accessed_at]
        with transaction.atomic():
            summary = Memory.objects.create(
                owner_id=owner_id,
                school_id=school_id,
                kind=MemoryKind.SUMMARY,
                content=_summary_text(month_start, members),
                importance=max(m.importance for m in members),
                source=MemorySource.CONSOLIDATION,
                created_at=members[-1].created_at,
                last_accessed_at=max(used) if used else None,
                access_count=sum(m.access_count for m in members),
            )
            refresh_search_vectors(Memory.objects.filter(pk=summary.pk))
            Memory.objects.filter(pk__in=[m.pk for m in members]).delete()
        report.created_ids.append(summary.pk)
    return report


def decay_importance(*, owner=None, school=None, dry_run=True, now=None) -> MaintenanceReport:
    """Lowers the importance of memories left unused (rule in the module docstring)."""
    now = now or timezone.now()
    report = MaintenanceReport("decay", dry_run)
    factor = settings.MEMORY_DECAY_PER_WEEK
    stale = now - timedelta(days=DECAY_AFTER_DAYS)
    candidates = (
        _scope(owner, school, now)
        .filter(importance__gt=DECAY_FLOOR)
        .filter(Q(last_accessed_at__lte=stale) | Q(last_accessed_at__isnull=True, created_at__lte=stale))
    )
    changed = []
    for memory in candidates.only("pk", "importance", "created_at", "last_accessed_at", "updated_at"):
        since = max(_last_used(memory), memory.updated_at or _last_used(memory))
        weeks = max(0.0, (now - since).total_seconds() / SECONDS_PER_DAY / 7)
        new = max(DECAY_FLOOR, memory.importance * factor**weeks)
        if memory.importance - new < 0.0005:
            continue
        unused_days = int((now - _last_used(memory)).total_seconds() // SECONDS_PER_DAY)
        report.add(
            memory.pk, "update", f"unused for {unused_days} days: importance {memory.importance:.3f} → {new:.3f}"
        )
        memory.importance = round(new, 4)
        memory.updated_at = now
        changed.append(memory)
    if not dry_run and changed:
        Memory.objects.bulk_update(changed, ["importance", "updated_at"], batch_size=1000)
    return report


def expire_memories(*, owner=None, school=None, dry_run=True, now=None) -> MaintenanceReport:
    """Deletes memories past their expiry date."""
    now = now or timezone.now()
    report = MaintenanceReport("expire", dry_run)
    queryset = Memory.objects.filter(pinned=False, expires_at__lte=now)
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if school is not None:
        queryset = queryset.filter(school=school)
    rows = list(queryset.values_list("pk", "expires_at"))
    for pk, expires_at in rows:
        report.add(pk, "delete", f"expired on {timezone.localtime(expires_at):%Y-%m-%d %H:%M}")
    if not dry_run and rows:
        Memory.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return report


def enforce_cap(*, owner=None, school=None, dry_run=True, now=None) -> MaintenanceReport:
    """Keeps at most ``MEMORY_MAX_PER_USER`` memories per owner and school (pinned ones count
    but stay; the lowest ``importance + recency`` go first)."""
    now = now or timezone.now()
    cap = settings.MEMORY_MAX_PER_USER
    report = MaintenanceReport("cap", dry_run)
    everyone = Memory.objects.all()
    if owner is not None:
        everyone = everyone.filter(owner=owner)
    if school is not None:
        everyone = everyone.filter(school=school)
    over = everyone.values("owner_id", "school_id").annotate(n=Count("pk")).filter(n__gt=cap)
    doomed = []
    for group in over:
        rows = Memory.objects.filter(owner_id=group["owner_id"], school_id=group["school_id"], pinned=False).only(
            "pk", "importance", "created_at", "last_accessed_at"
        )
        scored = sorted(
            ((m.importance + recency_of(m, now), m) for m in rows),
            key=lambda pair: (pair[0], pair[1].created_at, pair[1].pk),
        )
        for score, memory in scored[: group["n"] - cap]:
            report.add(
                memory.pk,
                "delete",
                f"over the cap of {cap}: score {score:.2f} (importance {memory.importance:.2f} + recency "
                f"{score - memory.importance:.2f})",
            )
            doomed.append(memory.pk)
    if not dry_run and doomed:
        Memory.objects.filter(pk__in=doomed).delete()
    return report


STEPS = (
    ("merge", merge_duplicates),
    ("consolidate", consolidate_episodes),
    ("decay", decay_importance),
    ("expire", expire_memories),
    ("cap", enforce_cap),
)


def run_maintenance(*, owner=None, school=None, dry_run=True, now=None) -> dict[str, MaintenanceReport]:
    """All five steps in order (in a dry run each step sees the memories as they are now, not as
    the earlier steps would leave them)."""
    now = now or timezone.now()
    reports = {}
    for name, step in STEPS:
        reports[name] = step(owner=owner, school=school, dry_run=dry_run, now=now)
        logger.info("memory maintenance %s: %s %d", name, "dry run" if dry_run else "done", reports[name].count)
    return reports
