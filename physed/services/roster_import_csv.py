"""Generic roster CSV with a column mapping: the school maps its own headers to our fields
(external id, names, date of birth, sex, grade, class, guardian contact). One row = one student,
optionally enrolled in an existing class and with one guardian. Only mapped fields are compared
and written, so a file without a date-of-birth column never blanks the stored dates."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from physed.models import PEClass, StudentStatus
from physed.services.roster_import import (
    Context,
    ImportReport,
    Unit,
    cell,
    match_guardianship,
    parse_date,
    parse_grade,
    parse_sex,
    settings,
)

FILE = "file"
STUDENT_FIELDS = ("first_name", "last_name", "preferred_name", "date_of_birth", "sex", "grade")
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "preferred_name": 100, "guardian_name": 200, "guardian_phone": 32}


def fields() -> dict:
    return settings()["csv_fields"]


def suggest_mapping(header: list[str]) -> dict[str, str]:
    """Our field → the file's column whose name is one of the field's known aliases."""
    lowered = {column.strip().lower(): column for column in header}
    mapping = {}
    for name, spec in fields().items():
        mapping[name] = next((lowered[alias] for alias in spec["aliases"] if alias in lowered), "")
    return mapping


def validate_mapping(header: list[str], mapping: dict | None) -> dict[str, str]:
    """The mapping to use: the given one (checked), else the suggested one. 400 when a required
    field has no column or a named column is not in the file."""
    if mapping is None:
        mapping = suggest_mapping(header)
    if not isinstance(mapping, dict):
        raise ServiceError(_("The mapping must be an object of field → column."), field="mapping")
    unknown = sorted(set(mapping) - set(fields()))
    if unknown:
        raise ServiceError(
            _("Unknown fields in the mapping: %(names)s.") % {"names": ", ".join(unknown)}, field="mapping"
        )
    cleaned = {name: (mapping.get(name) or "") for name in fields()}
    absent = sorted(column for column in cleaned.values() if column and column not in header)
    if absent:
        raise ServiceError(
            _("The file has no columns named %(columns)s.") % {"columns": ", ".join(absent)}, field="mapping"
        )
    missing = [name for name, spec in fields().items() if spec["required"] and not cleaned[name]]
    if missing:
        raise ServiceError(
            _("Choose a column for %(names)s.") % {"names": ", ".join(missing)}, field="mapping", code="bad_header"
        )
    return cleaned


def _student_values(unit: Unit, row: dict, mapping: dict) -> dict:
    values = {}
    for name in ("first_name", "last_name", "preferred_name"):
        if mapping[name]:
            values[name] = cell(row, mapping[name])
    for name in ("first_name", "last_name"):
        if not values[name]:
            unit.error(name, _("This field is required."))
    raw = cell(row, mapping["grade"])
    grade = parse_grade(raw)
    if grade is None:
        unit.error("grade", _("“%(value)s” is not a grade (K, 1–12).") % {"value": raw})
    values["grade"] = grade
    if mapping["date_of_birth"]:
        raw = cell(row, mapping["date_of_birth"])
        try:
            values["date_of_birth"] = parse_date(raw) if raw else None
        except ValueError:
            unit.error("date_of_birth", _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": raw})
    if mapping["sex"]:
        raw = cell(row, mapping["sex"])
        sex = parse_sex(raw)
        if sex is None:
            unit.error("sex", _("“%(value)s” is not F, M or blank (not specified).") % {"value": raw})
        values["sex"] = sex
    return values


def _find_class(unit: Unit, row: dict, mapping: dict, context: Context, by_name: dict) -> PEClass | None:
    external_id, name = cell(row, mapping["class_external_id"]), cell(row, mapping["class_name"])
    if external_id:
        pe_class = context.classes.get(external_id)
        if pe_class is None:
            unit.error("class_external_id", _("No class has the external id “%(value)s”.") % {"value": external_id})
        return pe_class
    if name:
        matches = by_name.get(name.lower(), [])
        if len(matches) != 1:
            message = (
                _("No active class is named “%(value)s”.")
                if not matches
                else _("Several classes are named “%(value)s”; use the class external id.")
            )
            unit.error("class_name", message % {"value": name})
            return None
        return matches[0]
    return None


def _guardian(unit: Unit, row: dict, mapping: dict, context: Context, student, student_key: str) -> tuple | None:
    name = cell(row, mapping["guardian_name"])
    email = cell(row, mapping["guardian_email"]).lower()
    phone = cell(row, mapping["guardian_phone"])
    if not (name or email or phone):
        return None
    if not name:
        unit.error("guardian_name", _("A guardian's name is required with their email or phone."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            unit.error("guardian_email", _("“%(value)s” is not a valid email address.") % {"value": email})
    values = {"name": name}
    if mapping["guardian_email"]:
        values["email"] = email
    if mapping["guardian_phone"]:
        values["phone"] = phone
    user_id = context.members_by_email.get(email) if email else None
    existing = match_guardianship(context.guardianships_of(student), email=email, name=name)
    changed = existing is None or any(getattr(existing, k) != v for k, v in values.items())
    changed = changed or bool(user_id and not existing.guardian_id)
    return ("guardian", student_key, (email, name), values, user_id) if changed else ()


def plan(school, header: list[str], rows: list[dict], mapping: dict, *, dry_run: bool = True) -> ImportReport:
    mapping = validate_mapping(header, mapping)
    context = Context(school)
    report = ImportReport(kind="csv", dry_run=dry_run)
    by_name: dict[str, list] = {}
    for pe_class in PEClass.objects.filter(school=school, is_active=True):
        by_name.setdefault(pe_class.name.strip().lower(), []).append(pe_class)
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        external_id = cell(row, mapping["external_id"])
        unit = Unit(file=FILE, line=line, key=external_id)
        report.units.append(unit)
        if None in row:
            unit.error("", _("This row has more values than the header has columns."))
        if not external_id:
            unit.error("external_id", _("This field is required."))
        elif external_id in seen:
            unit.error("external_id", _("Repeats the external id of line %(line)s.") % {"line": seen[external_id]})
        else:
            seen[external_id] = line
        for name, limit in MAX_LENGTHS.items():
            if len(cell(row, mapping.get(name))) > limit:
                unit.error(name, _("Longer than %(limit)s characters.") % {"limit": limit})
        values = _student_values(unit, row, mapping)
        student = context.students.get(external_id)
        pe_class = _find_class(unit, row, mapping, context, by_name)
        guardian = _guardian(unit, row, mapping, context, student, external_id)
        if unit.errors:
            continue
        if student is None:
            unit.action = "create"
            unit.ops.append(("student", external_id, values))
        elif any(getattr(student, k) != v for k, v in values.items()):
            unit.action = "update"
            unit.ops.append(("student", external_id, values))
        if guardian:
            unit.ops.append(guardian)
            unit.action = unit.action if unit.action != "unchanged" else "update"
        if pe_class is not None and not (student and (pe_class.pk, student.pk) in context.active_enrollments):
            if student is not None and student.status != StudentStatus.ACTIVE:
                unit.error("class_external_id", _("The student is not active, so cannot be enrolled."))
            elif not context.take_place(pe_class.pk, pe_class.capacity):
                unit.error(
                    "class_external_id",
                    _("%(name)s is full (%(capacity)s places).")
                    % {"name": pe_class.name, "capacity": pe_class.capacity},
                )
            else:
                unit.ops.append(("enroll", ("pk", pe_class.pk), external_id, timezone.localdate(), None))
                unit.action = unit.action if unit.action != "unchanged" else "update"
        if unit.errors:
            unit.ops.clear()
    return report
