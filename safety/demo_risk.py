"""Demo data: risk assessments per school — an approved one for gymnastics apparatus, one approved
but overdue for review, one submitted and waiting for the department head, one draft — with
realistic hazards, and their workflow steps in the audit log. Idempotent: an assessment is found
by school and title and left alone once it exists."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services.audit import record_event
from physed.demo_scale import base_only
from physed.models import Activity, PEClass
from safety.models import Hazard, RiskAssessment, RiskAssessmentStatus, RiskSubject

# hazards: (description, who at risk, L, S, controls, residual L, residual S)
ASSESSMENTS = [
    {
        "title": "Gymnastics apparatus: vaulting box and tumbling",
        "subject": RiskSubject.ACTIVITY,
        "activity_slugs": ["vaulting-box", "gymnastics-sequence", "tumbling-rolls"],
        "venue": "Main gym",
        "status": RiskAssessmentStatus.APPROVED,
        "review_in_days": 200,
        "description": "Vaulting and floor work in grade 7–8 gymnastics units.",
        "hazards": [
            (
                "Falls from the vaulting box onto a hard floor",
                "Students vaulting",
                3,
                4,
                "Landing mats 20 cm thick around the box; spotter at the box; progressions from the springboard only.",
                2,
                3,
            ),
            (
                "Box or springboard moves during take-off",
                "Students vaulting",
                3,
                3,
                "Non-slip feet checked before the lesson; box placed against a mat; teacher checks the set-up.",
                1,
                3,
            ),
            (
                "Neck injury from a poorly executed forward roll",
                "Students tumbling",
                2,
                5,
                "Teach the tuck first; rolls on mats only; no dive rolls; students with neck issues excused.",
                1,
                5,
            ),
            (
                "Collisions in the queue for the apparatus",
                "Waiting students",
                3,
                2,
                "Waiting line marked 3 m back; one student on the apparatus at a time.",
                2,
                2,
            ),
        ],
    },
    {
        "title": "Outdoor field and running track",
        "subject": RiskSubject.VENUE,
        "venue": "Field and 400 m track",
        "status": RiskAssessmentStatus.APPROVED,
        "review_in_days": -14,
        "description": "Field sports and track events on the school field.",
        "hazards": [
            (
                "Uneven ground and holes on the field",
                "Students running",
                3,
                3,
                "Walk the field before the lesson; cone off holes; report to grounds staff.",
                2,
                3,
            ),
            (
                "Heat illness on hot afternoons",
                "Students and staff",
                3,
                4,
                "Check the environment status; water breaks every 15 minutes; shade; move indoors when required.",
                2,
                3,
            ),
            (
                "Lightning during outdoor lessons",
                "Everyone outdoors",
                2,
                5,
                "Stop at the first thunder; 30-minute rule before returning; shelter in the gym.",
                1,
                5,
            ),
        ],
    },
    {
        "title": "Climbing wall traverse",
        "subject": RiskSubject.CLASS,
        "status": RiskAssessmentStatus.SUBMITTED,
        "review_in_days": 365,
        "description": "Traversing the low wall (feet no higher than 1 m) during the adventure unit.",
        "hazards": [
            (
                "Falls from the traverse wall",
                "Climbing students",
                3,
                3,
                "Feet below the 1 m line; crash mats along the wall; spotter rota.",
                2,
                2,
            ),
            (
                "Loose or spinning holds",
                "Climbing students",
                2,
                4,
                "Holds checked with the pre-use equipment check; wall closed if a hold spins.",
                1,
                4,
            ),
            (
                "Finger and wrist strain",
                "Climbing students",
                3,
                2,
                "Warm-up for fingers and wrists; limit of 3 traverses in a row.",
                2,
                2,
            ),
        ],
    },
    {
        "title": "Sports day",
        "subject": RiskSubject.EVENT,
        "event_name": "Sports day",
        "event_in_days": 40,
        "venue": "School field",
        "status": RiskAssessmentStatus.DRAFT,
        "review_in_days": 60,
        "description": "Whole-school sports day with parents watching.",
        "hazards": [
            (
                "Spectators crossing the track during races",
                "Spectators and runners",
                3,
                4,
                "Rope barrier along the track; marshals at crossing points.",
                2,
                3,
            ),
            (
                "Sun exposure over a full day",
                "Everyone",
                4,
                2,
                "Shade tents; sunscreen reminders in the letter home; water station.",
                2,
                2,
            ),
        ],
    },
]


def _people(school):
    by_local = {
        local: User.objects.filter(email=f"{local}@{school.slug}.demo").first()
        for local in ("teacher", "teacher2", "head")
    }
    return by_local["teacher"], by_local["teacher2"] or by_local["teacher"], by_local["head"]


def _create(school, spec, owner, head, today) -> None:
    if RiskAssessment.objects.filter(school=school, title=spec["title"]).exists():
        return
    activity = None
    for slug in spec.get("activity_slugs", []):
        activity = Activity.objects.filter(school__isnull=True, slug=slug).first()
        if activity is not None:
            break
    subject = spec["subject"]
    if subject == RiskSubject.ACTIVITY and activity is None:
        subject = RiskSubject.VENUE
    pe_class = None
    if subject == RiskSubject.CLASS:
        pe_class = base_only(PEClass.objects.filter(school=school)).order_by("pk").first()
        if pe_class is None:
            subject = RiskSubject.VENUE
    status = spec["status"]
    now = timezone.now()
    decided = status == RiskAssessmentStatus.APPROVED
    assessment = RiskAssessment.objects.create(
        school=school,
        title=spec["title"],
        subject=subject,
        activity=activity,
        pe_class=pe_class,
        venue=spec.get("venue", "") or ("Climbing wall" if subject == RiskSubject.VENUE else ""),
        event_name=spec.get("event_name", ""),
        event_date=today + datetime.timedelta(days=spec["event_in_days"]) if "event_in_days" in spec else None,
        description=spec["description"],
        owner=owner,
        created_by=owner,
        review_date=today + datetime.timedelta(days=spec["review_in_days"]),
        status=status,
        submitted_at=now if status != RiskAssessmentStatus.DRAFT else None,
        decided_by=head if decided else None,
        decided_at=now if decided else None,
    )
    Hazard.objects.bulk_create(
        [
            Hazard(
                assessment=assessment,
                order=index,
                description=description,
                who_at_risk=who,
                likelihood=likelihood,
                severity=severity,
                controls=controls,
                residual_likelihood=residual_likelihood,
                residual_severity=residual_severity,
            )
            for index, (description, who, likelihood, severity, controls, residual_likelihood, residual_severity) in (
                enumerate(spec["hazards"], start=1)
            )
        ]
    )
    record_event("safety.risk_assessment_created", actor=owner, school=school, target=assessment)
    if status != RiskAssessmentStatus.DRAFT:
        record_event("safety.risk_assessment_submitted", actor=owner, school=school, target=assessment)
    if decided:
        record_event("safety.risk_assessment_approved", actor=head, school=school, target=assessment)


@transaction.atomic
def seed(context) -> None:
    today = timezone.localdate()
    for school in (context.get("schools") or {}).values():
        teacher, teacher2, head = _people(school)
        if teacher is None or head is None:
            continue
        for index, spec in enumerate(ASSESSMENTS):
            _create(school, spec, teacher if index % 2 == 0 else teacher2, head, today)
