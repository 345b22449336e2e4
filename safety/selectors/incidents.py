"""Reads for incident reports, from the requesting user's point of view, plus the contract
selectors other safety areas call (``open_incidents``, ``recent_injuries``,
``participation_hours``).

Participation hours: for each session of the school's classes in the date range (cancelled ones
left out), the number of students whose attendance is participating (physed
``PARTICIPATING_STATUSES``) × the session's minutes. A session's minutes are the sum of its
blocks' ``planned_minutes``; a session with no blocks counts ``default_session_minutes`` from
``safety/data/incidents.json``. The recorded started/ended times are not used: they are missing
for most sessions and include set-up time nobody is active in."""

import datetime
from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.selectors import schools_where
from physed.models import AttendanceRecord, ClassSession, SessionBlock, SessionStatus
from physed.models.sessions import PARTICIPATING_STATUSES
from safety.models import GuardianNotice, Incident, IncidentAction, IncidentAmendment, IncidentStatus, IncidentStudent
from safety.services.incidents_data import default_session_minutes

VIEW = "safety.view_incident"


def open_incidents(school, pe_class=None) -> QuerySet[Incident]:
    """Reports of the school that are not closed (newest first), optionally of one class."""
    rows = Incident.objects.filter(school=school).exclude(status=IncidentStatus.CLOSED)
    if pe_class is not None:
        rows = rows.filter(pe_class=pe_class)
    return rows.select_related("pe_class", "activity").order_by("-occurred_at", "-pk")


def recent_injuries(students, since: datetime.date) -> dict[int, list[IncidentStudent]]:
    """Student id → their injuries (``injured=True``) in reports that occurred on or after
    ``since``, newest first."""
    student_ids = [getattr(student, "pk", student) for student in students]
    rows = (
        IncidentStudent.objects.filter(student_id__in=student_ids, injured=True, incident__occurred_at__date__gte=since)
        .select_related("incident")
        .order_by("-incident__occurred_at", "-pk")
    )
    found: dict[int, list[IncidentStudent]] = defaultdict(list)
    for row in rows:
        found[row.student_id].append(row)
    return dict(found)


def _session_rows(school, start: datetime.date, end: datetime.date, pe_class=None):
    sessions = ClassSession.objects.filter(pe_class__school=school, date__gte=start, date__lte=end).exclude(
        status=SessionStatus.CANCELLED
    )
    if pe_class is not None:
        sessions = sessions.filter(pe_class=pe_class)
    participants = dict(
        AttendanceRecord.objects.filter(session__in=sessions, status__in=PARTICIPATING_STATUSES)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    blocks: dict[int, list[dict]] = defaultdict(list)
    # filtered by the sessions' query (not a list of ids, which Django skips when empty): the
    # number of queries does not depend on whether anyone took part
    for block in SessionBlock.objects.filter(session__in=sessions).values(
        "session_id", "planned_minutes", "activity__category", "activity__space"
    ):
        blocks[block["session_id"]].append(block)
    class_space = dict(sessions.values_list("pk", "pe_class__space"))
    return participants, blocks, class_space


def participation_breakdown(school, start: datetime.date, end: datetime.date, *, pe_class=None) -> dict:
    """``{"total": hours, "by_category": {category: hours}, "by_space": {space: hours}}``: a
    block's space is its activity's space, else the class's usual space; a session without blocks
    counts the default minutes in the class's space (no category)."""
    participants, blocks, class_space = _session_rows(school, start, end, pe_class)
    total, by_category, by_space = 0.0, defaultdict(float), defaultdict(float)
    default = default_session_minutes()
    for session_id, count in participants.items():
        rows = blocks.get(session_id)
        if not rows:
            total += count * default
            by_space[class_space.get(session_id) or ""] += count * default
            continue
        for row in rows:
            minutes = count * row["planned_minutes"]
            total += minutes
            if row["activity__category"]:
                by_category[row["activity__category"]] += minutes
            by_space[row["activity__space"] or class_space.get(session_id) or ""] += minutes
    return {
        "total": total / 60,
        "by_category": {key: value / 60 for key, value in by_category.items()},
        "by_space": {key: value / 60 for key, value in by_space.items() if key},
    }


def participation_hours(school, start: datetime.date, end: datetime.date, **filters) -> float:
    """Participation hours of the school's students between ``start`` and ``end`` (inclusive).
    Filters: ``pe_class`` (a class), ``activity_category`` (only the blocks of that category),
    ``space`` (only the blocks in that space)."""
    breakdown = participation_breakdown(school, start, end, pe_class=filters.get("pe_class"))
    if filters.get("activity_category"):
        return breakdown["by_category"].get(filters["activity_category"], 0.0)
    if filters.get("space"):
        return breakdown["by_space"].get(filters["space"], 0.0)
    return breakdown["total"]


# ---- the user's point of view --------------------------------------------------------------


def incidents_for(user) -> QuerySet[Incident]:
    """Reports the user may see: their schools where they hold ``safety.view_incident``."""
    rows = Incident.objects.visible_to(user)
    if not user.is_superuser:
        rows = rows.filter(school__in=schools_where(user, VIEW))
    return rows.select_related("school", "pe_class", "activity", "session", "reported_by")


def search(rows: QuerySet[Incident], query: str) -> QuerySet[Incident]:
    query = (query or "").strip()
    if not query:
        return rows
    return rows.filter(
        Q(reference__icontains=query)
        | Q(location__icontains=query)
        | Q(description__icontains=query)
        | Q(students__student__first_name__icontains=query)
        | Q(students__student__last_name__icontains=query)
    ).distinct()


def detail_queryset() -> QuerySet[Incident]:
    return Incident.objects.select_related("school", "pe_class", "session", "activity", "reported_by").prefetch_related(
        "equipment",
        "staff_present",
        Prefetch("students", queryset=IncidentStudent.objects.select_related("student")),
        Prefetch("actions", queryset=IncidentAction.objects.select_related("owner", "completed_by")),
        Prefetch("amendments", queryset=IncidentAmendment.objects.select_related("author")),
        Prefetch("guardian_notices", queryset=GuardianNotice.objects.select_related("student", "created_by")),
    )


def notices_for_guardian(user) -> QuerySet[GuardianNotice]:
    """Sent notices about the user's children (guardianships with the user's account)."""
    return (
        GuardianNotice.objects.visible_to(user)
        .filter(sent_at__isnull=False, student__guardianships__guardian=user)
        .select_related("incident", "student")
        .distinct()
        .order_by("-sent_at", "-pk")
    )


def original_values(incident: Incident) -> dict:
    """The report as first filed: today's snapshot with every correction undone, newest first."""
    from safety.services.incidents_validation import snapshot

    values = snapshot(incident)
    values["status"] = incident.status
    for amendment in incident.amendments.order_by("-created_at", "-pk"):
        for field, (old, _new) in amendment.changes.items():
            values[field] = old
    return values
