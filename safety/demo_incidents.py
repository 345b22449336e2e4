"""Demo data: incidents. Per school about ten reports over the last months in every workflow
state (reported, under review, action required with open actions, closed), injuries, an illness
and near misses, linked to demo classes, sessions and activities; one report carries a
correction; the demo guardian's child (Sky, see ``physed/demo_roster.py``) has an injury with a
sent guardian notice. Everything goes through the services (references, amendments, audit).
Idempotent: a school that already has demo incidents is left alone."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from physed.demo_scale import base_only
from physed.models import ClassSession, PEClass, SessionStatus, Student
from safety.models import Incident, IncidentStatus
from safety.services import incidents as services
from safety.services import incidents_notices as notices

MARKER = "[demo]"

# days ago, hour, kind, severity, location, space, surface, body area, injury type, factors, status, text
SPECS = [
    (
        4,
        10,
        "injury",
        "minor",
        "Main gym",
        "gym",
        "hardwood",
        "ankle_foot",
        "sprain",
        ["wet_slippery_surface"],
        "reported",
        "Rolled an ankle landing from a lay-up on a damp patch near the door.",
    ),
    (
        9,
        11,
        "near_miss",
        "none",
        "Main gym",
        "gym",
        "hardwood",
        "none",
        "none",
        ["equipment_not_secured"],
        "reported",
        "A portable basketball hoop tipped when a student hung on the rim; nobody was underneath.",
    ),
    (
        15,
        13,
        "injury",
        "minor",
        "Sports field",
        "field",
        "grass",
        "knee",
        "cut",
        ["uneven_surface"],
        "under_review",
        "Tripped in a rut on the sideline during a passing drill and grazed a knee.",
    ),
    (
        22,
        9,
        "illness",
        "moderate",
        "Running track",
        "field",
        "track",
        "chest_back",
        "asthma",
        ["heat_humidity", "pre_existing_condition"],
        "under_review",
        "Shortness of breath after the warm-up lap on a humid morning; used inhaler, sent to the nurse.",
    ),
    (
        30,
        14,
        "injury",
        "moderate",
        "Main gym",
        "gym",
        "mats",
        "wrist_hand",
        "sprain",
        ["improper_technique"],
        "action_required",
        "Landed on an outstretched hand during a forward-roll progression.",
    ),
    (
        41,
        10,
        "injury",
        "serious",
        "Sports field",
        "field",
        "grass",
        "head",
        "concussion",
        ["collision_with_player", "mismatched_groups"],
        "action_required",
        "Head-to-head collision going for a high ball; removed from play, concussion protocol followed.",
    ),
    (
        55,
        12,
        "near_miss",
        "none",
        "Court",
        "court",
        "asphalt",
        "none",
        "none",
        ["obstacle_in_area"],
        "closed",
        "A bag left on the court edge nearly tripped a student during a sprint.",
    ),
    (
        70,
        9,
        "injury",
        "minor",
        "Main gym",
        "gym",
        "hardwood",
        "face",
        "nosebleed",
        ["horseplay"],
        "closed",
        "Caught an elbow in a dodgeball game that became too rough; nosebleed stopped with first aid.",
    ),
    (
        88,
        11,
        "injury",
        "minor",
        "Main gym",
        "gym",
        "synthetic_floor",
        "arm",
        "bruise",
        ["defective_equipment"],
        "closed",
        "A bench leg gave way during step-ups; bruised forearm.",
    ),
    (
        110,
        13,
        "injury",
        "minor",
        "Sports field",
        "field",
        "grass",
        "lower_leg",
        "bruise",
        ["unforeseeable_accident"],
        "closed",
        "Hit on the shin by a ball during a striking game.",
    ),
]
ACTIONS = {
    "action_required": [
        "Re-brief the progression and spot the first attempts",
        "Review grouping by size for contact games",
    ],
    "closed": ["Remind classes to keep bags off the court"],
}


REFERRALS = {"moderate": "nurse", "serious": "hospital"}


def completed_sessions(classes) -> list:
    """The 20 latest completed sessions of ``classes``: the incidents are spread over them."""
    return list(
        ClassSession.objects.filter(pe_class__in=classes, status=SessionStatus.COMPLETED)
        .prefetch_related("blocks__activity")
        .order_by("-date", "pk")[:20]
    )


def _sessions(school):
    classes = list(base_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk")[:3])
    return classes, completed_sessions(classes)


def incident_fields(index: int, spec: tuple, now, classes: list, sessions: list) -> dict:
    """The fields of the ``index``-th demo incident (``SPECS``) that the scale-1 demo reports through
    the service and ``demo_scale`` bulk-inserts for its copies."""
    days, hour, kind, severity, location, space, surface, _area, _injury, factors, _status, _text = spec
    when = timezone.localtime(now - datetime.timedelta(days=days)).replace(
        hour=hour, minute=20, second=0, microsecond=0
    )
    session = sessions[index % len(sessions)] if sessions else None
    block = next((b for b in session.blocks.all() if b.activity_id), None) if session else None
    return {
        "kind": kind,
        "severity": severity,
        "occurred_at": when,
        "location": location,
        "space": space,
        "surface": surface,
        "pe_class": session.pe_class if session else (classes[0] if classes else None),
        "session": session,
        "activity": block.activity if block else None,
        "contributing_factors": factors,
        "first_aid_given": "" if kind == "near_miss" else "Assessed, ice pack applied, rested on the bench.",
        "first_aid_by": "" if kind == "near_miss" else "PE teacher (first-aid certified)",
        "witnesses": "Two classmates" if kind != "near_miss" else "",
        "medical_referral": REFERRALS.get(severity, "none"),
        "emergency_services_called": severity == "serious",
        "days_missed": 2 if severity == "serious" else 0,
    }


@transaction.atomic
def _seed_school(school) -> None:
    if Incident.objects.filter(school=school, description__endswith=MARKER).exists():
        return
    teacher = User.objects.filter(email=f"teacher@{school.slug}.demo").first()
    head = (
        User.objects.filter(email=f"head@{school.slug}.demo").first()
        or User.objects.filter(email=f"schooladmin@{school.slug}.demo").first()
    )
    if teacher is None or head is None:
        return
    classes, sessions = _sessions(school)
    sky = Student.objects.filter(school=school, first_name="Sky", last_name="Student").first()
    others = base_only(Student.objects.filter(school=school, user__isnull=True))
    others = list(others.exclude(pk=getattr(sky, "pk", None))[:12])
    now = timezone.now()
    created = []
    for index, spec in enumerate(SPECS):
        kind, area, injury, status, text = spec[2], spec[7], spec[8], spec[10], spec[11]
        student = sky if (index == 0 and sky) else (others[index % len(others)] if others else None)
        students = []
        if kind != "near_miss" and student is not None:
            students = [{"student": student, "injured": True, "body_area": area, "injury_type": injury, "notes": ""}]
        incident = services.report_incident(
            actor=teacher,
            school=school,
            **incident_fields(index, spec, now, classes, sessions),
            description=f"{text} {MARKER}",
            staff_present=[teacher],
            students=students,
        )
        created.append((incident, status))
    for incident, status in created:
        for description in ACTIONS.get(status, []):
            services.add_action(
                actor=head,
                incident=incident,
                description=description,
                owner=teacher,
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            )
        if status in ("under_review", "action_required", "closed"):
            services.transition(
                actor=head, incident=incident, to_status=IncidentStatus.UNDER_REVIEW, reason="Reviewed with the PE team"
            )
        if status == "action_required":
            services.transition(
                actor=head,
                incident=incident,
                to_status=IncidentStatus.ACTION_REQUIRED,
                reason="Follow-up actions assigned",
            )
        if status == "closed":
            for action in incident.actions.all():
                services.complete_action(actor=teacher, action=action, note="Done at the next lesson")
            services.transition(
                actor=head, incident=incident, to_status=IncidentStatus.CLOSED, reason="Actions completed"
            )
    first = created[0][0]
    services.amend_incident(
        actor=teacher,
        incident=first,
        reason="Location was more precise in the teacher's notes",
        location="Main gym, by the east door",
    )
    if sky is not None:
        for notice in notices.generate_notices(actor=teacher, incident=first):
            notices.mark_sent(actor=teacher, notice=notice)


def seed(context) -> None:
    for school in (context.get("schools") or {}).values():
        _seed_school(school)
