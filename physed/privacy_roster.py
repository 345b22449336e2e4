"""Personal-data declarations: roster.

* ``Student`` (the record linked to a student's sign-in account): exported with the student's
  classes, so a student's export holds their PE roster record. Erasing the *account* unlinks it
  (the record's ``user`` becomes empty, and the object grant goes with the account's grants); the
  school's student record itself is a school record (FERPA: the school must keep it), erased or
  anonymised by the school through its own retention, not by the account holder's request.
* ``Guardianship`` (a guardian's account link and contact details): exported for the guardian;
  erasing the guardian's account removes the link, while the contact details stay on the child's
  record as the school's emergency contact until the school edits them.
* ``RosterImport`` (who imported; uploaded files awaiting confirmation): the uploader link is
  cleared on erasure; pending uploads are deleted by the retention task after the school's
  "roster imports" period (its files name many students).
"""

from accounts.privacy import registry
from accounts.privacy.registry import ANONYMIZED, default_exporter


def _export_students(queryset):
    from physed.models import Enrollment

    for row in default_exporter(queryset, exclude_fields=("user_id",)):
        enrollments = Enrollment.objects.filter(student_id=row["id"]).select_related("pe_class")
        row["classes"] = [
            {
                "class": enrollment.pe_class.name,
                "school_year": enrollment.pe_class.school_year,
                "term": enrollment.pe_class.term,
                "start_date": enrollment.start_date.isoformat(),
                "end_date": enrollment.end_date.isoformat() if enrollment.end_date else None,
                "status": enrollment.status,
            }
            for enrollment in enrollments.order_by("start_date", "pk")
        ]
        yield row


def _unlink_students(queryset, user):
    from physed.services.roster import sync_student_grant

    count = 0
    for student in queryset:
        student.user = None
        student.save(update_fields=["user", "updated_at"])
        sync_student_grant(user, student)
        count += 1
    return ANONYMIZED, count


def _unlink_guardians(queryset, user):
    from physed.services.roster import sync_student_grant

    students = {row.student for row in queryset.select_related("student")}
    count = queryset.update(guardian=None)
    for student in students:
        sync_student_grant(user, student)
    return ANONYMIZED, count


def _forget_uploader(queryset, user):
    return ANONYMIZED, queryset.update(created_by=None)


def register_roster() -> None:
    from physed.models import Guardianship, RosterImport, Student

    registry.register(
        Student, category="pe_records", user_path="user", exporter=_export_students, erase=_unlink_students
    )
    registry.register(Guardianship, category="pe_records", user_path="guardian", erase=_unlink_guardians)
    registry.register(
        RosterImport,
        category="roster_imports",
        user_path="created_by",
        erase=_forget_uploader,
        date_field="created_at",
        retention=True,
    )


def register() -> None:
    """Register (or exclude with a reason) every roster model that links to a person."""
    register_roster()
