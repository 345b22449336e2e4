"""Roster import (PE core §1), the shared half: limits, decoding, the plan/report structures and
the one place that writes an import.

Both formats (``roster_import_csv`` with a column mapping, ``roster_import_oneroster``) read the
files into *units* — one per source row — each holding the writes it would make (``ops``), the
action it amounts to (create/update/unchanged/skipped) and its errors (line, field, message).
Nothing is written while planning, so a dry run is the plan itself. Applying runs the ops of the
valid units only, in dependency order (students, guardians, classes, enrollments and teachers),
inside one transaction, and is idempotent because every op is "make it so" keyed by the external
id (OneRoster ``sourcedId``): a second import of the same files plans only "unchanged" rows.
Why one audit row per import (with the counts) instead of one per student: the import is the act
a person performed; thousands of rows would bury the log.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, School, User
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import (
    Enrollment,
    EnrollmentStatus,
    Guardianship,
    PEClass,
    RosterImport,
    RosterImportStatus,
    Student,
    StudentStatus,
)
from physed.services.roster import end_enrollments, sync_student_grant
from physed.services.roster_classes import set_teachers

DATA = Path(__file__).resolve().parent.parent / "data" / "roster_import.json"
ACTIONS = ("create", "update", "unchanged", "skipped")


@cache
def settings() -> dict:
    return json.loads(DATA.read_text())


# --- reading files ------------------------------------------------------------------------------


def read_csv(name: str, data: bytes) -> tuple[list[str], list[dict]]:
    """(header, rows) of one uploaded CSV; a clear ``ServiceError`` (400) for anything unreadable."""
    limits = settings()
    if len(data) > limits["max_file_bytes"]:
        raise ServiceError(
            _("%(name)s is larger than %(size)s MB.") % {"name": name, "size": limits["max_file_bytes"] // 2**20},
            field=name,
            code="file_too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(
            _("%(name)s is not UTF-8 text. Save it as “CSV UTF-8” and try again.") % {"name": name},
            field=name,
            code="bad_encoding",
        ) from None
    if "\x00" in text:
        raise ServiceError(_("%(name)s is not a CSV text file.") % {"name": name}, field=name, code="bad_file")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [column.strip() for column in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > limits["max_rows"]:
                raise ServiceError(
                    _("%(name)s has more than %(rows)s rows; split it into smaller files.")
                    % {"name": name, "rows": limits["max_rows"]},
                    field=name,
                    code="too_many_rows",
                )
    except csv.Error as exc:
        raise ServiceError(
            _("%(name)s is not valid CSV: %(error)s") % {"name": name, "error": exc}, field=name, code="bad_file"
        ) from None
    if not header or not any(header):
        raise ServiceError(_("%(name)s has no header row.") % {"name": name}, field=name, code="bad_header")
    duplicates = sorted({column for column in header if header.count(column) > 1 and column})
    if duplicates:
        raise ServiceError(
            _("%(name)s repeats the columns %(columns)s.") % {"name": name, "columns": ", ".join(duplicates)},
            field=name,
            code="bad_header",
        )
    return header, rows


def cell(row: dict, column: str | None) -> str:
    if not column:
        return ""
    return (row.get(column) or "").strip()


def parse_grade(value: str) -> int | None:
    return settings()["grade_codes"].get(value.strip().lower())


def parse_sex(value: str) -> str | None:
    return settings()["sex_codes"].get(value.strip().lower())


def parse_date(value: str) -> datetime.date | None:
    """ISO dates (OneRoster uses them); ``YYYY/MM/DD`` too. Day-first and month-first forms are
    ambiguous, so they are refused rather than guessed."""
    value = value.strip().replace("/", "-")
    return datetime.date.fromisoformat(value[:10])


def current_school_year(today: datetime.date | None = None) -> int:
    """The year the current school year started in (July onwards counts as the new year)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


# --- plan and report ----------------------------------------------------------------------------


@dataclass
class Unit:
    """One source row: what it would write and why it cannot (errors)."""

    file: str
    line: int
    key: str
    action: str = "unchanged"
    errors: list[dict] = field(default_factory=list)
    ops: list[tuple] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.errors.append({"field": field_name, "message": message})

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "action": "" if self.errors else self.action,
            "errors": self.errors,
        }


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    units: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    import_id: int | None = None

    def summary(self) -> dict:
        valid = [unit for unit in self.units if not unit.errors]
        counts = {action: sum(1 for unit in valid if unit.action == action) for action in ACTIONS}
        return {
            "total": len(self.units),
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
            "skipped": counts["skipped"],
            "errors": len(self.units) - len(valid),
        }

    def error_rows(self) -> list[Unit]:
        return [unit for unit in self.units if unit.errors]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "import_id": self.import_id,
            "summary": self.summary(),
            "warnings": self.warnings,
            "rows": [unit.as_dict() for unit in self.units],
        }


class Context:
    """What planning needs to know about the school, loaded once per import."""

    def __init__(self, school: School):
        self.school = school
        self.students = {s.external_id: s for s in Student.objects.filter(school=school).exclude(external_id="")}
        self.classes = {c.external_id: c for c in PEClass.objects.filter(school=school).exclude(external_id="")}
        self.active_enrollments: set[tuple[int, int]] = set(
            Enrollment.objects.filter(pe_class__school=school, status=EnrollmentStatus.ACTIVE).values_list(
                "pe_class_id", "student_id"
            )
        )
        self.enrolled_count: dict = {}
        for class_id, _student_id in self.active_enrollments:
            self.enrolled_count[class_id] = self.enrolled_count.get(class_id, 0) + 1
        self.members_by_email = {
            email.lower(): user_id
            for email, user_id in Membership.objects.active()
            .filter(school=school)
            .values_list("user__email", "user_id")
        }

    def guardianships_of(self, student: Student | None) -> list[Guardianship]:
        if student is None:
            return []
        if not hasattr(self, "_guardians"):
            self._guardians: dict[int, list] = {}
            for row in Guardianship.objects.filter(student__school=self.school):
                self._guardians.setdefault(row.student_id, []).append(row)
        return self._guardians.get(student.pk, [])

    def take_place(self, class_key, capacity: int) -> bool:
        """Counts one more planned enrollment; False when the class would be over capacity."""
        count = self.enrolled_count.get(class_key, 0)
        if count >= capacity:
            return False
        self.enrolled_count[class_key] = count + 1
        return True


def match_guardianship(rows: list[Guardianship], *, email: str, name: str) -> Guardianship | None:
    for row in rows:
        if email and row.email.lower() == email:
            return row
    for row in rows:
        if not email and not row.email and row.name.strip().lower() == name.lower():
            return row
    return None


# --- applying -----------------------------------------------------------------------------------

PHASES = {"student": 0, "guardian": 1, "class": 2, "enroll": 3, "teacher": 3}


def _apply_student(school, external_id, values):
    student = Student.objects.filter(school=school, external_id=external_id).first()
    if student is None:
        return Student.objects.create(school=school, external_id=external_id, **values)
    ended = student.status == StudentStatus.ACTIVE and values.get("status", student.status) != StudentStatus.ACTIVE
    for name, value in values.items():
        setattr(student, name, value)
    student.save()
    if ended:
        end_enrollments(student)
    return student


def _apply_guardian(school, student_key, match, values, user_id):
    student = Student.objects.get(school=school, external_id=student_key)
    row = match_guardianship(list(student.guardianships.all()), email=match[0], name=match[1])
    if row is None:
        row = Guardianship(student=student)
    previous = row.guardian if row.pk else None
    for name, value in values.items():
        setattr(row, name, value)
    if user_id and not row.guardian_id:
        row.guardian_id = user_id
    row.save()
    if row.guardian_id and (previous is None or previous.pk != row.guardian_id):
        sync_student_grant(row.guardian, student)


def _apply_class(school, external_id, values):
    pe_class = PEClass.objects.filter(school=school, external_id=external_id).first()
    if pe_class is None:
        return PEClass.objects.create(school=school, external_id=external_id, **values)
    for name, value in values.items():
        setattr(pe_class, name, value)
    pe_class.save()
    return pe_class


def _class_for(school, class_ref):
    kind, value = class_ref
    return PEClass.objects.get(school=school, **({"pk": value} if kind == "pk" else {"external_id": value}))


def _apply_enroll(school, class_ref, student_key, start_date, withdraw_on):
    pe_class = _class_for(school, class_ref)
    student = Student.objects.get(school=school, external_id=student_key)
    enrollment = Enrollment.objects.filter(pe_class=pe_class, student=student).first()
    if withdraw_on is not None:
        if enrollment is not None and enrollment.status == EnrollmentStatus.ACTIVE:
            enrollment.status = EnrollmentStatus.WITHDRAWN
            enrollment.end_date = max(withdraw_on, enrollment.start_date)
            enrollment.save(update_fields=["status", "end_date"])
        return
    if enrollment is None:
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=start_date)
    elif enrollment.status != EnrollmentStatus.ACTIVE:
        enrollment.status, enrollment.start_date, enrollment.end_date = EnrollmentStatus.ACTIVE, start_date, None
        enrollment.save(update_fields=["status", "start_date", "end_date"])


def _apply_teacher(school, class_ref, user_id, remove):
    pe_class = _class_for(school, class_ref)
    current = list(pe_class.teachers.all())
    user = User.objects.get(pk=user_id)
    if remove:
        set_teachers(pe_class, [t for t in current if t.pk != user_id])
    elif all(t.pk != user_id for t in current):
        set_teachers(pe_class, [*current, user])


APPLIERS = {
    "student": _apply_student,
    "guardian": _apply_guardian,
    "class": _apply_class,
    "enroll": _apply_enroll,
    "teacher": _apply_teacher,
}


@transaction.atomic
def apply(report: ImportReport, *, actor: User | None, school: School, record: RosterImport | None = None) -> None:
    ops = [op for unit in report.units if not unit.errors for op in unit.ops]
    for op in sorted(ops, key=lambda op: PHASES[op[0]]):
        APPLIERS[op[0]](school, *op[1:])
    report.applied = True
    if record is None:
        record = RosterImport(school=school, kind=report.kind, created_by=actor)
    record.status = RosterImportStatus.APPLIED
    record.summary = report.summary()
    record.payload = {}
    record.applied_at = timezone.now()
    record.save()
    report.import_id = record.pk
    record_event(
        "physed.roster_imported",
        actor=actor,
        school=school,
        target=record,
        changes={"format": report.kind, **report.summary()},
    )
