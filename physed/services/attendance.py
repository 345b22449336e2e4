"""Taking attendance: one call upserts the whole class (the one-tap page and the bulk API).

Budget: a class of 40 in a handful of queries — the roster (one query), the existing rows (one),
one multi-row upsert (``INSERT … ON CONFLICT DO UPDATE`` on SQLite and PostgreSQL) and one audit
row. Student ids are checked against the class roster on the session date, which is stricter
than a visibility check: an id from another class or school is refused, never written.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import AttendanceRecord, AttendanceStatus, ClassSession, SessionStatus
from physed.selectors.sessions import enrolled_student_ids
from physed.services.sessions_common import RowErrors, require

MAX_MINUTES_LATE = 180


@dataclass
class AttendanceEntry:
    student: int
    status: str
    minutes_late: int | None = None
    note: str = ""


@dataclass
class AttendanceOutcome:
    created: int
    updated: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _entry_errors(entry: AttendanceEntry) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if entry.status not in AttendanceStatus.values:
        errors["status"] = [_("Unknown status %(status)s.") % {"status": entry.status}]
    if entry.minutes_late is not None:
        if not 0 <= entry.minutes_late <= MAX_MINUTES_LATE:
            errors["minutes_late"] = [_("Minutes late must be between 0 and %(max)s.") % {"max": MAX_MINUTES_LATE}]
        elif entry.status != AttendanceStatus.LATE:
            errors["minutes_late"] = [_("Minutes late only apply to a late student.")]
    if len(entry.note or "") > 300:
        errors["note"] = [_("Keep the note under 300 characters.")]
    return errors


@transaction.atomic
def record_attendance(
    *, actor, session: ClassSession, entries: list[AttendanceEntry], default_status: str | None = None
) -> AttendanceOutcome:
    """Writes ``entries``; with ``default_status`` every other student on the roster gets that
    status too (``"present"`` = the one-tap sheet: all present, then the exceptions)."""
    require(actor, "physed.run_session", session)
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("Attendance cannot be taken for a cancelled session."), field="session")
    if default_status is not None and default_status not in AttendanceStatus.values:
        raise ServiceError(_("Unknown status %(status)s.") % {"status": default_status}, field="default_status")

    rows = {index: errors for index, entry in enumerate(entries) if (errors := _entry_errors(entry))}
    seen: dict[int, int] = {}
    for index, entry in enumerate(entries):
        if entry.student in seen:
            rows.setdefault(index, {})["student"] = [_("This student is listed twice.")]
        seen.setdefault(entry.student, index)
    existing = dict(AttendanceRecord.objects.filter(session=session).order_by().values_list("student_id", "status"))
    roster = enrolled_student_ids(session) | set(existing)
    strangers = sorted(student for student in seen if student not in roster)
    if strangers:
        raise ServiceError(
            _("These students are not enrolled in this class on %(date)s: %(ids)s")
            % {"date": session.date.isoformat(), "ids": ", ".join(str(pk) for pk in strangers)},
            field="records",
            code="not_enrolled",
        )
    if rows:
        raise RowErrors(_("Some attendance rows are invalid; nothing was saved."), field="records", rows=rows)

    recorder = actor if actor is not None and actor.is_authenticated else None
    wanted = {entry.student: entry for entry in entries}
    if default_status is not None:
        for student_id in roster:
            wanted.setdefault(student_id, AttendanceEntry(student=student_id, status=default_status))
    records = [
        AttendanceRecord(
            session=session,
            student_id=student_id,
            status=entry.status,
            minutes_late=entry.minutes_late if entry.status == AttendanceStatus.LATE else None,
            note=entry.note or "",
            recorded_by=recorder,
        )
        for student_id, entry in wanted.items()
    ]
    AttendanceRecord.objects.bulk_create(
        records,
        update_conflicts=True,
        unique_fields=["session", "student"],
        update_fields=["status", "minutes_late", "note", "recorded_by", "recorded_at"],
    )
    final = dict(existing)
    final.update({student_id: entry.status for student_id, entry in wanted.items()})
    counts = dict(Counter(final.values()))
    outcome = AttendanceOutcome(
        created=sum(1 for student_id in wanted if student_id not in existing),
        updated=sum(1 for student_id in wanted if student_id in existing),
        counts={status: counts.get(status, 0) for status in AttendanceStatus.values},
    )
    record_event(
        "physed.attendance_recorded",
        actor=actor,
        school=session.pe_class.school,
        target=session,
        target_label=str(session),
        changes={"created": outcome.created, "updated": outcome.updated, "counts": outcome.counts},
    )
    return outcome
