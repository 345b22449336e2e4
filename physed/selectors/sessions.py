"""Reads about sessions: who is on a session's roster, a class's upcoming and recent sessions."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from physed.models import (
    AttendanceRecord,
    ClassSession,
    Enrollment,
    EnrollmentStatus,
    PEClass,
    SessionStatus,
    Student,
)
from physed.models.sessions import ON_SITE_STATUSES, PARTICIPATING_STATUSES


def enrolled_on(date: datetime.date) -> Q:
    """Enrollment rows current on ``date``: started by then and not ended before it (an active
    enrollment without an end date is open-ended; a withdrawn one counts until its end date)."""
    return Q(start_date__lte=date) & (Q(end_date__isnull=True, status=EnrollmentStatus.ACTIVE) | Q(end_date__gte=date))


def enrolled_student_ids(session: ClassSession) -> set[int]:
    return set(
        Enrollment.objects.filter(enrolled_on(session.date), pe_class_id=session.pe_class_id)
        .order_by()
        .values_list("student_id", flat=True)
    )


def session_roster(session: ClassSession):
    """The students enrolled in the session's class on its date, plus anyone already recorded in
    it (so a later withdrawal never hides recorded attendance), in name order."""
    return Student.objects.filter(
        Q(enrollments__in=Enrollment.objects.filter(enrolled_on(session.date), pe_class_id=session.pe_class_id))
        | Q(attendance__session=session)
    ).distinct()


def sessions_for_class(pe_class, user=None):
    """The class's sessions with attendance counts (recorded, participating, on site)."""
    queryset = ClassSession.objects.filter(pe_class=pe_class)
    if user is not None:
        queryset = queryset.visible_to(user)
    return queryset.annotate(
        recorded_count=Count("attendance", distinct=True),
        participating_count=Count("attendance", filter=Q(attendance__status__in=PARTICIPATING_STATUSES), distinct=True),
        on_site_count=Count("attendance", filter=Q(attendance__status__in=ON_SITE_STATUSES), distinct=True),
        block_count=Count("blocks", distinct=True),
    )


def upcoming_and_recent(pe_class, *, limit: int = 5, today: datetime.date | None = None):
    """(upcoming planned/in-progress sessions from today, most recent past or completed ones)."""
    today = today or timezone.localdate()
    sessions = sessions_for_class(pe_class).order_by()
    upcoming = list(
        sessions.filter(date__gte=today)
        .exclude(status__in=[SessionStatus.COMPLETED, SessionStatus.CANCELLED])
        .order_by("date", "start_time")[:limit]
    )
    recent = list(
        sessions.filter(Q(date__lt=today) | Q(status=SessionStatus.COMPLETED)).order_by("-date", "-start_time")[:limit]
    )
    return upcoming, recent


def participation_rate(session) -> float | None:
    recorded = getattr(session, "recorded_count", None)
    if not recorded:
        return None
    return session.participating_count / recorded


def department_overview(school, *, today=None, window_days: int = 28) -> dict:
    """Figures for a department head's dashboard: active classes and students, sessions held in
    the last seven days, and participation (present or late ÷ all attendance records) over the
    last ``window_days`` days — None when nothing was recorded."""
    today = today or timezone.localdate()
    records = AttendanceRecord.objects.filter(
        session__pe_class__school=school, session__date__gt=today - datetime.timedelta(days=window_days)
    ).aggregate(total=Count("pk"), participating=Count("pk", filter=Q(status__in=PARTICIPATING_STATUSES)))
    return {
        "classes": PEClass.objects.in_school(school).active().count(),
        "students": Student.objects.in_school(school).active().count(),
        "sessions_week": ClassSession.objects.filter(
            pe_class__school=school,
            status=SessionStatus.COMPLETED,
            date__gt=today - datetime.timedelta(days=7),
            date__lte=today,
        ).count(),
        "participation": round(records["participating"] / records["total"] * 100) if records["total"] else None,
        "window_days": window_days,
    }
