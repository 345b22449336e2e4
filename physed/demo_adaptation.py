"""Demo data: adaptation profiles for a few students (one IEP, one 504, one no-contact
restriction, plus the demo student login's own), proposals decided on a recent session and a
pick and a dismissal of recommendations. Idempotent: profiles are updated in place, decisions and
feedback are made only once per class."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from physed.demo_scale import base_only
from physed.models import (
    AdaptationProfile,
    AdaptationProposal,
    ClassSession,
    FeedbackAction,
    PEClass,
    ProposalStatus,
    RecommendationFeedback,
    SessionStatus,
    Student,
    StudentStatus,
)

PROFILES = [
    {
        "has_iep": True,
        "skill_level": 2,
        "preferred_modifications": ["equipment", "instruction"],
        "assistance_needs": "Visual schedule and one cue at a time; a peer buddy in games.",
        "notes": "IEP goals include gross-motor coordination (reviewed each semester).",
    },
    {
        "has_504": True,
        "skill_level": 3,
        "restrictions": [{"kind": "no_high_impact", "days": 60}, {"kind": "limited_duration", "days": 60}],
        "assistance_needs": "Rest breaks on request.",
        "notes": "504 plan: asthma action plan on file; inhaler kept with the teacher.",
    },
    {
        "skill_level": 4,
        "restrictions": [{"kind": "no_contact", "days": 30}],
        "notes": "Healing wrist fracture; cleared for non-contact activity.",
    },
]


def _restrictions(spec: dict, today: datetime.date) -> list[dict]:
    return [
        {"kind": item["kind"], "until": (today + datetime.timedelta(days=item["days"])).isoformat()}
        for item in spec.get("restrictions", [])
    ]


def _profiles(school, today) -> None:
    students = list(
        base_only(Student.objects.filter(school=school, status=StudentStatus.ACTIVE, user__isnull=True))[:3]
    )
    login = Student.objects.filter(school=school, user__email=f"student@{school.slug}.demo").first()
    for student, spec in zip(students, PROFILES, strict=False):
        values = {k: v for k, v in spec.items() if k != "restrictions"}
        AdaptationProfile.objects.update_or_create(
            student=student, defaults={**values, "restrictions": _restrictions(spec, today)}
        )
    if login is not None:
        AdaptationProfile.objects.update_or_create(
            student=login, defaults={"skill_level": 3, "preferred_modifications": ["rules"]}
        )


def _decisions(pe_class: PEClass, teacher) -> None:
    from physed.services.adaptation import decide_proposal, refresh_proposals

    session = (
        ClassSession.objects.filter(pe_class=pe_class, status=SessionStatus.COMPLETED, blocks__activity__isnull=False)
        .order_by("-date", "-pk")
        .first()
    )
    if session is None or AdaptationProposal.objects.filter(session=session).exclude(status="pending").exists():
        return
    block = session.blocks.filter(activity__isnull=False).order_by("-order").first()
    refresh_proposals(session=session, block=block)
    pending = list(AdaptationProposal.objects.filter(session=session, status=ProposalStatus.PENDING, required=False))
    for index, proposal in enumerate(pending[:3]):
        decide_proposal(actor=teacher, proposal=proposal, accepted=index != 1, note="Demo decision")


def _feedback(pe_class: PEClass, teacher) -> None:
    from physed.selectors.recommendation import Filters, recommend_for_class
    from physed.services.recommendation import record_feedback

    if RecommendationFeedback.objects.filter(pe_class=pe_class).exists():
        return
    ranking = recommend_for_class(pe_class, Filters(limit=5))
    if len(ranking.recommendations) < 5:
        return
    from physed.models import Activity

    picked, dismissed = ranking.recommendations[0], ranking.recommendations[4]
    for item, action, reason in (
        (picked, FeedbackAction.PICK, ""),
        (dismissed, FeedbackAction.DISMISS, "We did this unit last month."),
    ):
        record_feedback(
            actor=teacher,
            pe_class=pe_class,
            activity=Activity.objects.get(pk=item.activity.id),
            action=action,
            reason=reason,
            score=round(item.score, 4),
        )


@transaction.atomic
def seed(context) -> None:
    """Called by physed.demo.seed in area order."""
    today = timezone.localdate()
    for school in (context.get("schools") or {}).values():
        _profiles(school, today)
        teacher = User.objects.filter(email=f"teacher@{school.slug}.demo").first()
        if teacher is None:
            continue
        for pe_class in base_only(PEClass.objects.filter(school=school, is_active=True)).order_by("pk")[:2]:
            _decisions(pe_class, teacher)
            _feedback(pe_class, teacher)
