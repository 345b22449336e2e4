"""Scale data (``seed_demo --scale N``): the demo incidents once more for every scaled copy of a
school's roster (``physed/demo_scale.py``), in bulk.

Copy ``k`` of a school gets the ``demo_incidents.SPECS`` reports (same kinds, severities, states
and text, description marked ``[demo ×k]``) on copy ``k``'s classes, sessions and students, with
the school's next references (numbered as ``report_incident`` numbers them), the staff present,
the students involved and the follow-up actions of their state (completed for closed reports).
Every row stays in its school. Idempotent per copy (the marker).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from physed.demo_scale import copy_tag
from physed.models import PEClass, Student
from safety.demo_incidents import ACTIONS, SPECS, completed_sessions, incident_fields
from safety.models import Incident, IncidentAction, IncidentStatus, IncidentStudent
from safety.services.incidents import _next_reference


def marker(copy: int) -> str:
    return f"[demo ×{copy}]"


def seed(context) -> None:
    scale = int((context or {}).get("scale", 1))
    for school in ((context or {}).get("schools") or {}).values():
        for copy in range(2, scale + 1):
            seed_copy(school, copy)


@transaction.atomic
def seed_copy(school, copy: int) -> int:
    """The incidents of copy ``copy`` of ``school``; returns how many were made."""
    tag = copy_tag(copy)
    if Incident.objects.filter(school=school, description__endswith=marker(copy)).exists():
        return 0
    teacher = User.objects.filter(email=f"teacher@{school.slug}.demo").first()
    classes = list(PEClass.objects.filter(school=school, external_id__endswith=tag).order_by("pk")[:3])
    if teacher is None or not classes:
        return 0
    sessions = completed_sessions(classes)
    students = list(Student.objects.filter(school=school, external_id__contains=f"{tag}-").order_by("pk")[:12])
    now = timezone.now()
    year = timezone.localdate().year
    first = _next_reference(school, year)
    prefix, number = first.rsplit("-", 1)
    incidents, involved = [], []
    for index, spec in enumerate(SPECS):
        kind, area, injury, status, text = spec[2], spec[7], spec[8], spec[10], spec[11]
        incidents.append(
            Incident(
                school=school,
                reference=f"{prefix}-{int(number) + index:04d}",
                status=status,
                **incident_fields(index, spec, now, classes, sessions),
                description=f"{text} {marker(copy)}",
                reported_by=teacher,
                closed_at=now if status == IncidentStatus.CLOSED else None,
            )
        )
        if kind != "near_miss" and students:
            involved.append((index, students[index % len(students)], area, injury))
    incidents = Incident.objects.bulk_create(incidents)
    Incident.staff_present.through.objects.bulk_create(
        Incident.staff_present.through(incident_id=incident.pk, user_id=teacher.pk) for incident in incidents
    )
    IncidentStudent.objects.bulk_create(
        IncidentStudent(incident=incidents[index], student=student, injured=True, body_area=area, injury_type=injury)
        for index, student, area, injury in involved
    )
    due = timezone.localdate() + datetime.timedelta(days=14)
    IncidentAction.objects.bulk_create(
        IncidentAction(
            incident=incident,
            description=description,
            owner=teacher,
            due_date=due,
            completed_at=now if incident.status == IncidentStatus.CLOSED else None,
            completed_by=teacher if incident.status == IncidentStatus.CLOSED else None,
            completion_note="Done at the next lesson" if incident.status == IncidentStatus.CLOSED else "",
        )
        for incident in incidents
        for description in ACTIONS.get(incident.status, [])
    )
    return len(incidents)
