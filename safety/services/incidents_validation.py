"""Validation of incident report values (shared by filing and amending) and the JSON snapshot
of a report that amendments diff. Every foreign row must belong to the report's school; dates
must be possible; contributing factors must be codes of the shipped vocabulary."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from safety.models import BodyArea, Incident, IncidentKind, IncidentSeverity, InjuryType
from safety.services.incidents_data import factor_codes, incident_config

CLOCK_SKEW = datetime.timedelta(minutes=5)


def _aware(value, field: str) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime.datetime):
        raise ServiceError(_("Give a date and time."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _check_when(value: datetime.datetime, field: str) -> None:
    if value > timezone.now() + CLOCK_SKEW:
        raise ServiceError(_("The date and time cannot be in the future."), field=field)
    if value.year < incident_config()["earliest_year"]:
        raise ServiceError(
            _("The date cannot be before %(year)s.") % {"year": incident_config()["earliest_year"]}, field=field
        )


def _clean_factors(value) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(code, str) for code in value):
        raise ServiceError(_("Contributing factors must be a list of codes."), field="contributing_factors")
    unknown = sorted(set(value) - factor_codes())
    if unknown:
        raise ServiceError(
            _("Unknown contributing factors: %(codes)s.") % {"codes": ", ".join(unknown)}, field="contributing_factors"
        )
    return list(dict.fromkeys(value))


def _clean_students(school_id: int, items) -> list[dict]:
    if not isinstance(items, list | tuple):
        raise ServiceError(_("Students must be a list."), field="students")
    cleaned, seen = [], set()
    for item in items:
        student = item.get("student") if isinstance(item, dict) else None
        if student is None or student.school_id != school_id:
            raise ServiceError(_("Every student must be a student of the school."), field="students")
        if student.pk in seen:
            raise ServiceError(_("A student is listed twice."), field="students")
        seen.add(student.pk)
        injured = bool(item.get("injured", True))
        body_area = item.get("body_area") or BodyArea.NONE
        injury_type = item.get("injury_type") or InjuryType.NONE
        if body_area not in BodyArea.values or injury_type not in InjuryType.values:
            raise ServiceError(_("Unknown body area or injury type."), field="students")
        if injured and injury_type == InjuryType.NONE:
            raise ServiceError(
                _("Say what kind of injury %(student)s has.") % {"student": student.display_name}, field="students"
            )
        notes = str(item.get("notes") or "").strip()
        if len(notes) > 300:
            raise ServiceError(_("A student's note is limited to 300 characters."), field="students")
        cleaned.append(
            {"student": student, "injured": injured, "body_area": body_area, "injury_type": injury_type, "notes": notes}
        )
    return cleaned


def _clean_staff(school_id: int, users) -> list:
    from accounts.selectors import members_of

    users = list(users or [])
    staff_ids = set(members_of(school_id).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    if any(user.pk not in staff_ids for user in users):
        raise ServiceError(_("Staff present must be staff members of the school."), field="staff_present")
    return users


def _current_students(current: Incident | None) -> list[dict]:
    if current is None:
        return []
    return [
        {"student": row.student, "injured": row.injured, "body_area": row.body_area, "injury_type": row.injury_type}
        for row in current.students.select_related("student")
    ]


def clean_report(school, values: dict, *, current: Incident | None) -> dict:
    """Cleans ``values`` (only the keys given) against the report they will belong to; the
    cross-field rules (kind vs. students, session vs. class) are checked on the merged result."""
    data = dict(values)
    school_id = school.pk
    for field in ("occurred_at", "guardian_notified_at"):
        if field in data:
            data[field] = _aware(data[field], field)
    if "occurred_at" in data:
        if data["occurred_at"] is None:
            raise ServiceError(_("Give the date and time of the incident."), field="occurred_at")
        _check_when(data["occurred_at"], "occurred_at")
    if data.get("guardian_notified_at") is not None:
        _check_when(data["guardian_notified_at"], "guardian_notified_at")
    if "contributing_factors" in data:
        data["contributing_factors"] = _clean_factors(data["contributing_factors"])
    for field in ("pe_class", "activity"):
        obj = data.get(field)
        if obj is not None and obj.school_id not in (school_id, None if field == "activity" else school_id):
            raise ServiceError(_("This does not belong to the school."), field=field)
    session = data.get("session")
    if session is not None and session.pe_class.school_id != school_id:
        raise ServiceError(_("This session does not belong to the school."), field="session")
    if "equipment" in data:
        equipment = list(data["equipment"] or [])
        if any(item.school_id != school_id for item in equipment):
            raise ServiceError(_("Equipment must be items of the school's inventory."), field="equipment")
        data["equipment"] = equipment
    if "staff_present" in data:
        data["staff_present"] = _clean_staff(school_id, data["staff_present"])
    if "students" in data:
        data["students"] = _clean_students(school_id, data["students"])

    def merged(name, default=None):
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    pe_class, session = merged("pe_class"), merged("session")
    if session is not None and pe_class is None and "pe_class" not in data:
        data["pe_class"] = pe_class = session.pe_class
    if session is not None and pe_class is not None and session.pe_class_id != pe_class.pk:
        raise ServiceError(_("The session must be a session of the chosen class."), field="session")
    kind = merged("kind")
    students = data["students"] if "students" in data else _current_students(current)
    injured = [item for item in students if item["injured"]]
    if kind == IncidentKind.NEAR_MISS:
        if injured:
            raise ServiceError(_("A near miss has no injured students."), field="students")
        if merged("severity", IncidentSeverity.MINOR) != IncidentSeverity.NONE:
            raise ServiceError(_("A near miss has no injury: choose 'No injury' as severity."), field="severity")
    elif kind == IncidentKind.INJURY and not injured:
        raise ServiceError(_("An injury report needs at least one injured student."), field="students")
    elif kind == IncidentKind.ILLNESS and not students:
        raise ServiceError(_("Name the student who was ill."), field="students")
    notified = merged("guardian_notified_at")
    occurred = merged("occurred_at")
    if notified is not None and occurred is not None and notified < occurred:
        raise ServiceError(_("The guardian cannot be notified before the incident."), field="guardian_notified_at")
    _full_clean(school, current, data)
    return data


def _full_clean(school, current, data) -> None:
    from safety.services.incidents import SCALAR_FIELDS

    probe = Incident(school=school, reference="probe")
    if current is not None:
        for name in SCALAR_FIELDS:
            setattr(probe, name, getattr(current, name))
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(probe, name, data[name])
    try:
        probe.full_clean(exclude=["school", "reference", "reported_by", "pe_class", "session", "activity"])
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise ServiceError(errors[0], field=None if field == "__all__" else field) from exc


def _json(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def snapshot(incident: Incident) -> dict:
    """Every report field as JSON (foreign keys as ids, many-to-many as sorted id lists, the
    students involved as rows sorted by student id)."""
    from safety.services.incidents import M2M_FIELDS, SCALAR_FIELDS

    data = {}
    for name in SCALAR_FIELDS:
        field = Incident._meta.get_field(name)
        data[name] = getattr(incident, field.attname) if field.is_relation else _json(getattr(incident, name))
    for name in M2M_FIELDS:
        data[name] = sorted(getattr(incident, name).values_list("pk", flat=True))
    data["students"] = [
        {
            "student": row["student_id"],
            "injured": row["injured"],
            "body_area": row["body_area"],
            "injury_type": row["injury_type"],
            "notes": row["notes"],
        }
        for row in incident.students.order_by("student_id").values(
            "student_id", "injured", "body_area", "injury_type", "notes"
        )
    ]
    return data
