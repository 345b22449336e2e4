"""OneRoster 1.1 CSV (users.csv, classes.csv, enrollments.csv, optional demographics.csv; a zip of
them or the files one by one), keyed by ``sourcedId``.

* users: ``student`` rows become students (grade from ``grades``; ``tobedeleted`` or
  ``enabledUser=false`` → inactive); ``parent``/``guardian``/``relative`` rows become guardians of
  the students named in either side's ``agentSourcedIds``; ``teacher`` rows are matched by email to
  staff accounts of the school (accounts are never created by a roster import); administrator, aide
  and proctor rows are skipped.
* classes: become PE classes (grade range from ``grades``, else from the enrolled students).
* enrollments: ``student`` rows enroll, ``teacher`` rows assign the teacher (with the class grant);
  ``tobedeleted`` withdraws / unassigns.
* demographics: ``birthDate`` and ``sex`` of students, when the file is given.
"""

import io
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, Membership
from accounts.services.errors import ServiceError
from physed.models import PEClass, StudentStatus
from physed.services.roster_import import (
    Context,
    ImportReport,
    Unit,
    match_guardianship,
    parse_date,
    parse_grade,
    read_csv,
    settings,
)

DEFAULT_CAPACITY = 30


def spec() -> dict:
    return settings()["oneroster"]


def unzip(data: bytes) -> dict[str, bytes]:
    """{users: bytes, ...} from a zip; member sizes are checked before anything is inflated."""
    limits = settings()
    if len(data) > limits["max_file_bytes"]:
        raise ServiceError(_("The zip file is larger than 2 MB."), field="file", code="file_too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ServiceError(_("The file is not a zip archive."), field="file", code="bad_file") from None
    if len(members) > limits["max_zip_members"]:
        raise ServiceError(_("The zip holds too many files."), field="file", code="bad_file")
    files = {}
    for member in members:
        name = member.filename.rsplit("/", 1)[-1].lower().removesuffix(".csv")
        if name not in spec()["files"] or member.is_dir():
            continue
        if member.file_size > limits["max_file_bytes"]:
            raise ServiceError(
                _("%(name)s is larger than %(size)s MB.")
                % {"name": f"{name}.csv", "size": limits["max_file_bytes"] // 2**20},
                field="file",
                code="file_too_large",
            )
        try:
            files[name] = archive.read(member)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError):
            raise ServiceError(_("The zip archive is damaged or encrypted."), field="file", code="bad_file") from None
    return files


def _read(files: dict[str, bytes]) -> dict[str, list[dict]]:
    tables = {}
    for name, file_spec in spec()["files"].items():
        if name not in files:
            if file_spec["required"]:
                raise ServiceError(_("%(name)s.csv is missing.") % {"name": name}, field=name, code="missing_file")
            continue
        header, rows = read_csv(f"{name}.csv", files[name])
        lowered = [column.lower() for column in header]
        missing = [column for column in file_spec["columns"] if column.lower() not in lowered]
        if missing:
            raise ServiceError(
                _("%(name)s.csv lacks the columns %(columns)s.") % {"name": name, "columns": ", ".join(missing)},
                field=name,
                code="bad_header",
            )
        tables[name] = [{(key or "").lower() if key else key: value for key, value in row.items()} for row in rows]
    return tables


def _get(row: dict, column: str) -> str:
    value = row.get(column.lower())
    return value.strip() if isinstance(value, str) else ""


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _deleted(row: dict) -> bool:
    return _get(row, "status").lower() == spec()["deleted_status"] or _get(row, "enabledUser").lower() == "false"


class Planner:
    def __init__(self, school, tables: dict, school_year: int, report: ImportReport):
        self.school, self.tables, self.school_year, self.report = school, tables, school_year, report
        self.context = Context(school)
        self.demographics = {_get(row, "sourcedId"): row for row in tables.get("demographics", [])}
        self.student_units: dict[str, Unit] = {}
        self.student_grades: dict[str, int] = {}
        self.inactive: set[str] = set()
        self.teachers: dict[str, int] = {}  # sourcedId → user id
        self.class_units: dict[str, Unit] = {}
        self.staff_by_email = {
            email.lower(): user_id
            for email, user_id in Membership.objects.active()
            .filter(school=school, role__in=STAFF_ROLES)
            .values_list("user__email", "user_id")
        }
        self.teaching = set(
            PEClass.teachers.through.objects.filter(peclass__school=school).values_list("peclass_id", "user_id")
        )

    def unit(self, file: str, line: int, key: str) -> Unit:
        unit = Unit(file=file, line=line, key=key)
        self.report.units.append(unit)
        return unit

    def _unique(self, file: str, rows: list[dict]):
        seen: dict[str, int] = {}
        for line, row in enumerate(rows, start=2):
            sourced_id = _get(row, "sourcedId")
            unit = self.unit(file, line, sourced_id)
            if None in row:
                unit.error("", _("This row has more values than the header has columns."))
            if not sourced_id:
                unit.error("sourcedId", _("This field is required."))
            elif sourced_id in seen:
                unit.error("sourcedId", _("Repeats the sourcedId of line %(line)s.") % {"line": seen[sourced_id]})
            else:
                seen[sourced_id] = line
            yield unit, row, sourced_id

    # users.csv ----------------------------------------------------------------------------------

    def users(self):
        guardian_rows = []
        links: dict[str, set[str]] = {}  # guardian sourcedId → student sourcedIds
        for unit, row, sourced_id in self._unique("users.csv", self.tables["users"]):
            role = _get(row, "role").lower()
            if role in spec()["student_roles"]:
                self.student(unit, row, sourced_id)
                for agent in _ids(_get(row, "agentSourcedIds")):
                    links.setdefault(agent, set()).add(sourced_id)
            elif role in spec()["guardian_roles"]:
                guardian_rows.append((unit, row, sourced_id, role))
            elif role in spec()["teacher_roles"]:
                email = _get(row, "email").lower()
                user_id = self.staff_by_email.get(email) if email else None
                if user_id is None:
                    unit.error(
                        "email",
                        _("No staff account of the school has the email “%(value)s”; add the teacher first.")
                        % {"value": email},
                    )
                elif not unit.errors:
                    self.teachers[sourced_id] = user_id
            elif role in spec()["ignored_roles"]:
                unit.action = "skipped"
            else:
                unit.error("role", _("“%(value)s” is not a OneRoster role.") % {"value": role})
        for unit, row, sourced_id, role in guardian_rows:
            students = set(_ids(_get(row, "agentSourcedIds"))) | links.get(sourced_id, set())
            self.guardian(unit, row, role, sorted(students))

    def student(self, unit: Unit, row: dict, sourced_id: str):
        values = {"first_name": _get(row, "givenName"), "last_name": _get(row, "familyName")}
        for name, column in (("first_name", "givenName"), ("last_name", "familyName")):
            if not values[name]:
                unit.error(column, _("This field is required."))
            elif len(values[name]) > 100:
                unit.error(column, _("Longer than %(limit)s characters.") % {"limit": 100})
        if "preferredfirstname" in row:
            values["preferred_name"] = _get(row, "preferredFirstName")[:100]
        grades = _ids(_get(row, "grades"))
        grade = parse_grade(grades[0]) if grades else None
        if grade is None:
            unit.error("grades", _("“%(value)s” is not a grade from KG to 12.") % {"value": _get(row, "grades")})
        values["grade"] = grade
        demographic = self.demographics.get(sourced_id)
        if demographic is not None:
            raw = _get(demographic, "birthDate")
            try:
                values["date_of_birth"] = parse_date(raw) if raw else None
            except ValueError:
                unit.error("birthDate", _("“%(value)s” in demographics.csv is not a date.") % {"value": raw})
            values["sex"] = {"female": "F", "male": "M"}.get(_get(demographic, "sex").lower(), "U")
        existing = self.context.students.get(sourced_id)
        values["status"] = StudentStatus.INACTIVE if _deleted(row) else StudentStatus.ACTIVE
        gone = (StudentStatus.GRADUATED, StudentStatus.TRANSFERRED)
        if existing is not None and existing.status in gone and values["status"] == StudentStatus.INACTIVE:
            values["status"] = existing.status  # already gone; do not overwrite why
        self.student_units[sourced_id] = unit
        if values["status"] != StudentStatus.ACTIVE:
            self.inactive.add(sourced_id)
        if unit.errors:
            return
        self.student_grades[sourced_id] = grade
        if existing is None:
            if values["status"] == StudentStatus.INACTIVE:
                unit.action = "skipped"
                return
            unit.action = "create"
        elif any(getattr(existing, key) != value for key, value in values.items()):
            unit.action = "update"
        else:
            return
        unit.ops.append(("student", sourced_id, values))

    def _student_ok(self, unit: Unit, sourced_id: str, field_name: str) -> bool:
        source = self.student_units.get(sourced_id)
        if source is not None:
            if source.errors:
                unit.error(field_name, _("The student “%(value)s” has errors in users.csv.") % {"value": sourced_id})
            elif source.action == "skipped":
                unit.error(field_name, _("The student “%(value)s” is not imported (deleted).") % {"value": sourced_id})
            return not unit.errors
        if sourced_id not in self.context.students:
            unit.error(field_name, _("No student has the sourcedId “%(value)s”.") % {"value": sourced_id})
            return False
        return True

    def guardian(self, unit: Unit, row: dict, role: str, students: list[str]):
        name = f"{_get(row, 'givenName')} {_get(row, 'familyName')}".strip()
        email = _get(row, "email").lower()
        values = {
            "name": name[:200],
            "email": email,
            "phone": (_get(row, "phone") or _get(row, "sms"))[:32],
            "relationship": spec()["guardian_roles"][role],
        }
        if not name:
            unit.error("givenName", _("A guardian needs a name."))
        if _deleted(row) or not students:
            unit.action = "skipped"
            return
        user_id = self.context.members_by_email.get(email) if email else None
        for sourced_id in students:
            if not self._student_ok(unit, sourced_id, "agentSourcedIds"):
                continue
            existing = match_guardianship(
                self.context.guardianships_of(self.context.students.get(sourced_id)), email=email, name=name
            )
            same = existing is not None and all(getattr(existing, k) == v for k, v in values.items())
            if same and not (user_id and not existing.guardian_id):
                continue
            unit.ops.append(("guardian", sourced_id, (email, name), values, user_id))
            unit.action = "create" if existing is None and unit.action != "update" else "update"

    # classes.csv --------------------------------------------------------------------------------

    def classes(self, enrolled: dict[str, list[str]]):
        for unit, row, sourced_id in self._unique("classes.csv", self.tables["classes"]):
            self.class_units[sourced_id] = unit
            title = _get(row, "title")
            if not title:
                unit.error("title", _("This field is required."))
            grades = [parse_grade(code) for code in _ids(_get(row, "grades"))]
            if None in grades:
                unit.error("grades", _("“%(value)s” holds a grade outside KG–12.") % {"value": _get(row, "grades")})
            grades = [g for g in grades if g is not None] or [
                self.student_grades[s] for s in enrolled.get(sourced_id, []) if s in self.student_grades
            ]
            if not grades and not unit.errors:
                unit.error("grades", _("No grades given and no enrolled students to take them from."))
            if unit.errors:
                continue
            values = {
                "name": title[:120],
                "grade_from": min(grades),
                "grade_to": max(grades),
                "is_active": not _deleted(row),
            }
            if "location" in row:
                values["location"] = _get(row, "location")[:120]
            existing = self.context.classes.get(sourced_id)
            if existing is None:
                if not values["is_active"]:
                    unit.action = "skipped"
                    continue
                values["school_year"] = self.school_year
                values["capacity"] = max(DEFAULT_CAPACITY, len(enrolled.get(sourced_id, [])))
                unit.action = "create"
            elif any(getattr(existing, key) != value for key, value in values.items()):
                unit.action = "update"
            else:
                continue
            unit.ops.append(("class", sourced_id, values))

    # enrollments.csv ----------------------------------------------------------------------------

    def _class_ok(self, unit: Unit, sourced_id: str):
        source = self.class_units.get(sourced_id)
        if source is not None and (source.errors or source.action == "skipped"):
            unit.error("classSourcedId", _("The class “%(value)s” is not imported.") % {"value": sourced_id})
            return None
        existing = self.context.classes.get(sourced_id)
        if source is None and existing is None:
            unit.error("classSourcedId", _("No class has the sourcedId “%(value)s”.") % {"value": sourced_id})
        return existing if existing is not None else (True if source is not None else None)

    def enrollments(self):
        today = timezone.localdate()
        for unit, row, _sourced_id in self._unique("enrollments.csv", self.tables["enrollments"]):
            role = _get(row, "role").lower()
            class_id, user_id = _get(row, "classSourcedId"), _get(row, "userSourcedId")
            if role not in spec()["student_roles"] + spec()["teacher_roles"]:
                unit.action = "skipped"
                continue
            pe_class = self._class_ok(unit, class_id)
            raw = _get(row, "beginDate")
            try:
                start = parse_date(raw) if raw else today
            except ValueError:
                unit.error("beginDate", _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": raw})
            existing_class = pe_class if isinstance(pe_class, PEClass) else None
            deleted = _deleted(row)
            if role in spec()["teacher_roles"]:
                teacher = self.teachers.get(user_id)
                if teacher is None:
                    unit.error(
                        "userSourcedId", _("The teacher “%(value)s” is not matched to an account.") % {"value": user_id}
                    )
                if unit.errors:
                    continue
                teaches = existing_class is not None and (existing_class.pk, teacher) in self.teaching
                if teaches == (not deleted):
                    continue
                unit.action = "update"
                unit.ops.append(("teacher", ("ext", class_id), teacher, deleted))
                continue
            if not self._student_ok(unit, user_id, "userSourcedId") or unit.errors:
                continue
            if not deleted and user_id in self.inactive:
                unit.action = "skipped"
                continue
            student = self.context.students.get(user_id)
            active = bool(
                existing_class and student and (existing_class.pk, student.pk) in self.context.active_enrollments
            )
            if active == (not deleted):
                continue
            if (
                not deleted
                and existing_class is not None
                and not self.context.take_place(existing_class.pk, existing_class.capacity)
            ):
                unit.error(
                    "classSourcedId",
                    _("%(name)s is full (%(capacity)s places).")
                    % {"name": existing_class.name, "capacity": existing_class.capacity},
                )
                continue
            unit.action = "update" if deleted or (student is not None and existing_class is not None) else "create"
            unit.ops.append(("enroll", ("ext", class_id), user_id, start, today if deleted else None))


def plan(school, files: dict[str, bytes], *, school_year: int, dry_run: bool = True) -> ImportReport:
    tables = _read(files)
    report = ImportReport(kind="oneroster", dry_run=dry_run)
    planner = Planner(school, tables, school_year, report)
    planner.users()
    enrolled: dict[str, list[str]] = {}
    for row in tables["enrollments"]:
        if _get(row, "role").lower() in spec()["student_roles"] and not _deleted(row):
            enrolled.setdefault(_get(row, "classSourcedId"), []).append(_get(row, "userSourcedId"))
    planner.classes(enrolled)
    planner.enrollments()
    for unit in report.units:
        if unit.errors:
            unit.ops.clear()
    return report
