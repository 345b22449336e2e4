"""Class writes (PE core §1): classes with their weekly meetings and teachers, and enrollments.

Why teachers are object grants: department heads and admins hold ``physed.change_peclass``
school-wide, a teacher only on the classes they teach, so assigning a teacher here grants
``physed.change_peclass`` and ``physed.view_peclass`` on that class, and removing them revokes it.
Capacity is enforced when enrolling (an error the client can show); a student outside the
class's grade range is allowed with a warning (mixed-grade sections exist).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import STAFF_ROLES, Membership, School, User
from accounts.selectors import bump_permission_version
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import ClassMeeting, Enrollment, EnrollmentStatus, PEClass, Student, StudentStatus, Term
from physed.services.roster import drop_object_grants

TEACHER_PERMS = ("physed.change_peclass", "physed.view_peclass")
CLASS_FIELDS = (
    "name",
    "external_id",
    "school_year",
    "term",
    "grade_from",
    "grade_to",
    "location",
    "space",
    "capacity",
    "is_active",
)


# --- classes ------------------------------------------------------------------------------------


def _validate_class(school: School, values: dict, instance: PEClass | None = None) -> None:
    if "name" in values and not str(values["name"] or "").strip():
        raise ServiceError(_("This field is required."), field="name")
    if "term" in values and values["term"] not in Term.values:
        raise ServiceError(_("Unknown term."), field="term")
    low = values.get("grade_from", instance.grade_from if instance else None)
    high = values.get("grade_to", instance.grade_to if instance else None)
    if low is not None and high is not None and low > high:
        raise ServiceError(_("The highest grade cannot be below the lowest grade."), field="grade_to")
    external_id = (values.get("external_id") or "").strip()
    if external_id:
        clash = PEClass.objects.filter(school=school, external_id=external_id)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ServiceError(_("Another class in this school has this external id."), field="external_id")
    if instance is not None and "capacity" in values:
        enrolled = instance.enrollments.filter(status=EnrollmentStatus.ACTIVE).count()
        if values["capacity"] < enrolled:
            raise ServiceError(
                _("%(count)s students are enrolled; the capacity cannot be lower.") % {"count": enrolled},
                field="capacity",
            )


def _validate_meetings(meetings: list[dict]) -> list[dict]:
    cleaned, seen = [], set()
    for meeting in meetings:
        start, end = meeting["start_time"], meeting["end_time"]
        if start >= end:
            raise ServiceError(_("A meeting must end after it starts."), field="meetings")
        key = (meeting["weekday"], start)
        if key in seen:
            raise ServiceError(_("Two meetings start on the same day at the same time."), field="meetings")
        seen.add(key)
        cleaned.append(
            {"weekday": meeting["weekday"], "start_time": start, "end_time": end, "period": meeting.get("period", "")}
        )
    return cleaned


def _check_teachers(school: School, teachers) -> list[User]:
    teachers = list(dict.fromkeys(teachers))
    staff = set(
        Membership.objects.active()
        .filter(school=school, role__in=STAFF_ROLES, user__in=teachers)
        .values_list("user_id", flat=True)
    )
    for user in teachers:
        if user.pk not in staff:
            raise ServiceError(
                _("%(name)s is not a staff member of the school.") % {"name": user.get_full_name() or user.email},
                field="teachers",
            )
    return teachers


def set_teachers(pe_class: PEClass, teachers: list[User]) -> dict:
    current = {user.pk: user for user in pe_class.teachers.all()}
    wanted = {user.pk: user for user in teachers}
    added = [wanted[pk] for pk in wanted if pk not in current]
    removed = [current[pk] for pk in current if pk not in wanted]
    if added:
        pe_class.teachers.add(*added)
    if removed:
        pe_class.teachers.remove(*removed)
    for user in added:
        for perm in TEACHER_PERMS:
            assign_perm(perm, user, pe_class)
    for user in removed:
        for perm in TEACHER_PERMS:
            remove_perm(perm, user, pe_class)
    if added or removed:
        bump_permission_version()
    return {"added": sorted(u.pk for u in added), "removed": sorted(u.pk for u in removed)}


def _replace_meetings(pe_class: PEClass, meetings: list[dict]) -> bool:
    before = list(pe_class.meetings.values_list("weekday", "start_time", "end_time", "period"))
    after = [(m["weekday"], m["start_time"], m["end_time"], m["period"]) for m in meetings]
    if sorted(before) == sorted(after):
        return False
    pe_class.meetings.all().delete()
    ClassMeeting.objects.bulk_create([ClassMeeting(pe_class=pe_class, **m) for m in meetings])
    return True


@transaction.atomic
def create_class(
    *, actor: User | None, school: School, teachers=(), meetings: list[dict] | None = None, **values
) -> PEClass:
    unknown = set(values) - set(CLASS_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values["external_id"] = (values.get("external_id") or "").strip()
    _validate_class(school, values)
    teachers = _check_teachers(school, teachers)
    meetings = _validate_meetings(meetings or [])
    pe_class = PEClass.objects.create(school=school, **values)
    _replace_meetings(pe_class, meetings)
    change = set_teachers(pe_class, teachers)
    record_event(
        "physed.class_created",
        actor=actor,
        school=school,
        target=pe_class,
        changes={"name": pe_class.name, "teachers": change["added"], "meetings": len(meetings)},
    )
    return pe_class


@transaction.atomic
def update_class(
    *, actor: User | None, pe_class: PEClass, teachers=None, meetings: list[dict] | None = None, **values
) -> PEClass:
    """Changes a class; ``teachers``/``meetings`` replace the whole set when given."""
    unknown = set(values) - set(CLASS_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if "external_id" in values:
        values["external_id"] = (values["external_id"] or "").strip()
    pe_class = PEClass.objects.select_for_update().get(pk=pe_class.pk)
    _validate_class(pe_class.school, values, instance=pe_class)
    changes: dict = {}
    for name, value in values.items():
        if getattr(pe_class, name) != value:
            changes[name] = {"before": getattr(pe_class, name), "after": value}
            setattr(pe_class, name, value)
    if changes:
        pe_class.save()
    if teachers is not None:
        change = set_teachers(pe_class, _check_teachers(pe_class.school, teachers))
        if change["added"] or change["removed"]:
            changes["teachers"] = change
    if meetings is not None and _replace_meetings(pe_class, _validate_meetings(meetings)):
        changes["meetings"] = len(meetings)
    if changes:
        record_event("physed.class_updated", actor=actor, school=pe_class.school, target=pe_class, changes=changes)
    return pe_class


@transaction.atomic
def delete_class(*, actor: User | None, pe_class: PEClass) -> None:
    school, pk, name = pe_class.school, pe_class.pk, pe_class.name
    drop_object_grants(pe_class)
    record_event(
        "physed.class_deleted",
        actor=actor,
        school=school,
        target_type=PEClass._meta.label_lower,
        target_id=str(pk),
        target_label=name,
    )
    pe_class.delete()


# --- enrollments --------------------------------------------------------------------------------


@dataclass
class EnrollResult:
    enrollment: Enrollment
    created: bool
    warnings: list[str] = field(default_factory=list)


def grade_warning(pe_class: PEClass, student: Student) -> str | None:
    if pe_class.grade_from <= student.grade <= pe_class.grade_to:
        return None
    return _("%(student)s is in grade %(grade)s; the class is for grades %(low)s–%(high)s.") % {
        "student": student.display_name,
        "grade": student.get_grade_display(),
        "low": pe_class.get_grade_from_display(),
        "high": pe_class.get_grade_to_display(),
    }


def free_places(pe_class: PEClass) -> int:
    return pe_class.capacity - pe_class.enrollments.filter(status=EnrollmentStatus.ACTIVE).count()


@transaction.atomic
def enroll(
    *, actor: User | None, pe_class: PEClass, student: Student, start_date: datetime.date | None = None
) -> EnrollResult:
    """Enrolls an active student of the class's school (re-activates a withdrawn enrollment)."""
    pe_class = PEClass.objects.select_for_update().get(pk=pe_class.pk)
    if student.school_id != pe_class.school_id:
        raise ServiceError(_("The student is not in this class's school."), field="student")
    if student.status != StudentStatus.ACTIVE:
        raise ServiceError(_("Only active students can be enrolled."), field="student")
    existing = Enrollment.objects.filter(pe_class=pe_class, student=student).first()
    if existing is not None and existing.status == EnrollmentStatus.ACTIVE:
        raise ServiceError(
            _("The student is already enrolled in this class."), field="student", code="already_enrolled"
        )
    if free_places(pe_class) <= 0:
        raise ServiceError(
            _("The class is full: all %(capacity)s places are taken. Raise its capacity or withdraw a student first.")
            % {"capacity": pe_class.capacity},
            field="pe_class",
            code="class_full",
        )
    start_date = start_date or timezone.localdate()
    if existing is not None:
        existing.status, existing.start_date, existing.end_date = EnrollmentStatus.ACTIVE, start_date, None
        existing.save(update_fields=["status", "start_date", "end_date"])
        enrollment, created = existing, False
    else:
        enrollment, created = Enrollment.objects.create(pe_class=pe_class, student=student, start_date=start_date), True
    warning = grade_warning(pe_class, student)
    record_event(
        "physed.student_enrolled",
        actor=actor,
        school=pe_class.school,
        target=enrollment,
        changes={
            "class": pe_class.pk,
            "student": student.pk,
            "start_date": start_date.isoformat(),
            "outside_grades": bool(warning),
        },
    )
    return EnrollResult(enrollment=enrollment, created=created, warnings=[warning] if warning else [])


@transaction.atomic
def withdraw(*, actor: User | None, enrollment: Enrollment, end_date: datetime.date | None = None) -> Enrollment:
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ServiceError(_("This enrollment has already ended."), field="status")
    end_date = end_date or timezone.localdate()
    if end_date < enrollment.start_date:
        raise ServiceError(_("The end date cannot be before the start date."), field="end_date")
    enrollment.status, enrollment.end_date = EnrollmentStatus.WITHDRAWN, end_date
    enrollment.save(update_fields=["status", "end_date"])
    record_event(
        "physed.student_withdrawn",
        actor=actor,
        school=enrollment.pe_class.school,
        target=enrollment,
        changes={"class": enrollment.pe_class_id, "student": enrollment.student_id, "end_date": end_date.isoformat()},
    )
    return enrollment


@transaction.atomic
def delete_enrollment(*, actor: User | None, enrollment: Enrollment) -> None:
    school, pk = enrollment.pe_class.school, enrollment.pk
    record_event(
        "physed.enrollment_deleted",
        actor=actor,
        school=school,
        target_type=Enrollment._meta.label_lower,
        target_id=str(pk),
        target_label=f"enrollment #{pk}",
        changes={"class": enrollment.pe_class_id, "student": enrollment.student_id},
    )
    enrollment.delete()
