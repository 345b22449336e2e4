"""Roster writes (PE core §1): students, the student's own sign-in account and guardians.

Why grants live here: a student or guardian holds no school-wide ``physed.view_student``, so the
only way they reach a student's PE record is a django-guardian object grant on that Student. This
module is the one place that makes and revokes those grants, always by recomputing "should this
user see this student" (own account, or a guardian link) so that removing one of two links never
takes away access the other still justifies. Every change is audited in the same transaction.
Audit rows name fields, grades and statuses, not names or birth dates (they outlive erasure).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, Role, School, User
from accounts.selectors import bump_permission_version
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import Enrollment, EnrollmentStatus, Guardianship, Sex, Student, StudentStatus

VIEW_STUDENT = "physed.view_student"
STUDENT_FIELDS = ("first_name", "last_name", "preferred_name", "date_of_birth", "sex", "grade", "external_id", "status")
GUARDIAN_FIELDS = ("name", "relationship", "email", "phone", "is_primary_contact")
# audit rows keep these values; the others are named only (they identify a child)
AUDITED_VALUES = ("grade", "status", "sex")


# --- grants -------------------------------------------------------------------------------------


def sync_student_grant(user: User | None, student: Student) -> bool:
    """Gives or takes ``physed.view_student`` on ``student`` so that ``user`` holds it exactly when
    it is the student's own account or a guardian account of the student. Returns the new state."""
    if user is None:
        return False
    should = student.user_id == user.pk or Guardianship.objects.filter(student=student, guardian=user).exists()
    has = UserObjectPermission.objects.filter(
        user=user,
        permission__codename="view_student",
        content_type=ContentType.objects.get_for_model(Student),
        object_pk=str(student.pk),
    ).exists()
    if should and not has:
        assign_perm(VIEW_STUDENT, user, student)
    elif has and not should:
        remove_perm(VIEW_STUDENT, user, student)
    if should != has:
        bump_permission_version()
    return should


def drop_object_grants(obj) -> int:
    """Deletes every django-guardian grant on ``obj`` (before the row goes: guardian's generic
    link does not cascade, and a reused primary key must not inherit old grants)."""
    count, _rows = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).delete()
    if count:
        bump_permission_version()
    return count


def _is_member(user: User, school: School, roles=None) -> bool:
    rows = Membership.objects.active().filter(user=user, school=school)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return rows.exists()


# --- students -----------------------------------------------------------------------------------


def _validate_student(school: School, values: dict, *, instance: Student | None = None) -> None:
    for name in ("first_name", "last_name"):
        if name in values and not str(values[name] or "").strip():
            raise ServiceError(_("This field is required."), field=name)
    grade = values.get("grade")
    if grade is not None and not 0 <= int(grade) <= 12:
        raise ServiceError(_("Grade must be between K (0) and 12."), field="grade")
    if "sex" in values and values["sex"] not in Sex.values:
        raise ServiceError(_("Unknown value."), field="sex")
    if "status" in values and values["status"] not in StudentStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    born = values.get("date_of_birth")
    if born is not None and born > timezone.localdate():
        raise ServiceError(_("The date of birth is in the future."), field="date_of_birth")
    external_id = (values.get("external_id") or "").strip()
    if external_id:
        clash = Student.objects.filter(school=school, external_id=external_id)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ServiceError(_("Another student in this school has this external id."), field="external_id")


def _audit_changes(before: dict, after: dict) -> dict:
    changed = sorted(key for key in after if before.get(key) != after.get(key))
    values = {key: {"before": before.get(key), "after": after[key]} for key in changed if key in AUDITED_VALUES}
    return {"fields": changed, **values}


def _snapshot(student: Student) -> dict:
    return {name: getattr(student, name) for name in STUDENT_FIELDS}


@transaction.atomic
def create_student(*, actor: User | None, school: School, **values) -> Student:
    unknown = set(values) - set(STUDENT_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values["external_id"] = (values.get("external_id") or "").strip()
    _validate_student(school, values)
    student = Student.objects.create(school=school, **values)
    record_event(
        "physed.student_created",
        actor=actor,
        school=school,
        target=student,
        changes={"grade": student.grade, "status": student.status},
    )
    return student


@transaction.atomic
def update_student(*, actor: User | None, student: Student, **values) -> Student:
    """Changes a student's details; a status other than active ends their current enrollments."""
    unknown = set(values) - set(STUDENT_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if "external_id" in values:
        values["external_id"] = (values["external_id"] or "").strip()
    _validate_student(student.school, values, instance=student)
    before = _snapshot(student)
    for name, value in values.items():
        setattr(student, name, value)
    after = _snapshot(student)
    if after == before:
        return student
    student.save()
    if before["status"] == StudentStatus.ACTIVE and student.status != StudentStatus.ACTIVE:
        end_enrollments(student)
    record_event(
        "physed.student_updated",
        actor=actor,
        school=student.school,
        target=student,
        changes=_audit_changes(before, after),
    )
    return student


def set_student_status(*, actor: User | None, student: Student, status: str) -> Student:
    """Deactivate, graduate, mark transferred or reactivate (a thin name for the common case)."""
    return update_student(actor=actor, student=student, status=status)


def end_enrollments(student: Student, *, day: datetime.date | None = None) -> int:
    day = day or timezone.localdate()
    ended = 0
    for enrollment in Enrollment.objects.filter(student=student, status=EnrollmentStatus.ACTIVE):
        enrollment.status = EnrollmentStatus.WITHDRAWN
        enrollment.end_date = max(day, enrollment.start_date)
        enrollment.save(update_fields=["status", "end_date"])
        ended += 1
    return ended


@transaction.atomic
def delete_student(*, actor: User | None, student: Student) -> None:
    school, pk = student.school, student.pk
    drop_object_grants(student)
    record_event(
        "physed.student_deleted",
        actor=actor,
        school=school,
        target_type=Student._meta.label_lower,
        target_id=str(pk),
        target_label=f"student #{pk}",
    )
    student.delete()


# --- the student's own account -----------------------------------------------------------------------


@transaction.atomic
def link_student_user(*, actor: User | None, student: Student, user: User) -> Student:
    """Links the student's sign-in account: it must be a student member of the same school and
    not linked to another record; it then sees this record (object grant)."""
    if not _is_member(user, student.school, roles=[Role.STUDENT]):
        raise ServiceError(_("This account is not a student member of the school."), field="user")
    other = Student.objects.filter(user=user).exclude(pk=student.pk).first()
    if other is not None:
        raise ServiceError(_("This account is already linked to another student record."), field="user")
    previous = student.user
    if previous is not None and previous.pk == user.pk:
        return student
    student.user = user
    student.save(update_fields=["user", "updated_at"])
    sync_student_grant(previous, student)
    sync_student_grant(user, student)
    record_event(
        "physed.student_user_linked",
        actor=actor,
        school=student.school,
        target=student,
        changes={"user": user.pk, "replaced": previous.pk if previous else None},
    )
    return student


@transaction.atomic
def unlink_student_user(*, actor: User | None, student: Student) -> Student:
    previous = student.user
    if previous is None:
        return student
    student.user = None
    student.save(update_fields=["user", "updated_at"])
    sync_student_grant(previous, student)
    record_event(
        "physed.student_user_unlinked",
        actor=actor,
        school=student.school,
        target=student,
        changes={"user": previous.pk},
    )
    return student


# --- guardians ---------------------------------------------------------------------------------------


def _check_guardian_user(user: User | None, student: Student) -> None:
    if user is not None and not _is_member(user, student.school):
        raise ServiceError(_("This account is not a member of the student's school."), field="guardian")


def _clean_guardian_values(values: dict) -> dict:
    unknown = set(values) - set(GUARDIAN_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if "name" in values and not str(values["name"] or "").strip():
        raise ServiceError(_("This field is required."), field="name")
    if "relationship" in values and values["relationship"] not in Guardianship.Relationship.values:
        raise ServiceError(_("Unknown relationship."), field="relationship")
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower()
    return values


@transaction.atomic
def add_guardian(*, actor: User | None, student: Student, guardian: User | None = None, **values) -> Guardianship:
    values = _clean_guardian_values(values)
    _check_guardian_user(guardian, student)
    if guardian is not None and Guardianship.objects.filter(student=student, guardian=guardian).exists():
        raise ServiceError(_("This account is already a guardian of the student."), field="guardian")
    guardianship = Guardianship.objects.create(student=student, guardian=guardian, **values)
    sync_student_grant(guardian, student)
    record_event(
        "physed.guardian_added",
        actor=actor,
        school=student.school,
        target=guardianship,
        changes={"student": student.pk, "guardian_user": guardian.pk if guardian else None},
    )
    return guardianship


_UNSET = object()


@transaction.atomic
def update_guardianship(*, actor: User | None, guardianship: Guardianship, guardian=_UNSET, **values) -> Guardianship:
    values = _clean_guardian_values(values)
    student = guardianship.student
    previous = guardianship.guardian
    changed = sorted(name for name, value in values.items() if getattr(guardianship, name) != value)
    if guardian is not _UNSET and (guardian.pk if guardian else None) != guardianship.guardian_id:
        _check_guardian_user(guardian, student)
        if guardian is not None and Guardianship.objects.filter(student=student, guardian=guardian).exists():
            raise ServiceError(_("This account is already a guardian of the student."), field="guardian")
        guardianship.guardian = guardian
        changed.append("guardian")
    for name, value in values.items():
        setattr(guardianship, name, value)
    if not changed:
        return guardianship
    guardianship.save()
    if "guardian" in changed:
        sync_student_grant(previous, student)
        sync_student_grant(guardianship.guardian, student)
    record_event(
        "physed.guardian_updated",
        actor=actor,
        school=student.school,
        target=guardianship,
        changes={"fields": sorted(changed), "guardian_user": guardianship.guardian_id},
    )
    return guardianship


@transaction.atomic
def remove_guardianship(*, actor: User | None, guardianship: Guardianship) -> None:
    student, user, pk = guardianship.student, guardianship.guardian, guardianship.pk
    guardianship.delete()
    sync_student_grant(user, student)
    record_event(
        "physed.guardian_removed",
        actor=actor,
        school=student.school,
        target_type=Guardianship._meta.label_lower,
        target_id=str(pk),
        target_label=f"guardianship #{pk}",
        changes={"student": student.pk, "guardian_user": user.pk if user else None},
    )
