"""Personal-data declarations: sessions.

Attendance rows and performance results are the student's personal data: exported with the
student's linked account (``student__user``) and deleted on erasure. The staff who recorded a
row (``recorded_by``) or planned a session (``created_by``) lose that link when their own
account is erased; the school's teaching record (the session plan) stays.
"""

from accounts.privacy import registry


def _erase_student_rows(queryset, user):
    """The person's own rows go; rows they recorded about others only lose the recorder link."""
    model = queryset.model
    model._base_manager.filter(recorded_by_id=user.pk).update(recorded_by=None)
    count, _detail = queryset.delete()
    return registry.DELETE, count


def register() -> None:
    from physed.models import AttendanceRecord, ClassSession, PerformanceResult

    for model in (AttendanceRecord, PerformanceResult):
        registry.register(model, category="pe_records", user_path="student__user", erase=_erase_student_rows)
    registry.exclude(
        ClassSession._meta.label,
        "A class's lesson plan and run times, a school record; created_by only names the staff author "
        "(set to empty when that account is deleted) and holds nothing about a student.",
    )
