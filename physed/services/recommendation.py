"""Writes for recommendations: a teacher's pick (optionally adding the activity as the next block
of a session) or dismissal, which moves the school's learned preference for the activity and its
category (``physed.engines.learning.update_preference``)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.engines.data import recommendation_config
from physed.engines.learning import update_preference
from physed.models import (
    Activity,
    ClassSession,
    EngineWeights,
    FeedbackAction,
    PEClass,
    RecommendationFeedback,
    SessionStatus,
)

OPEN_STATUSES = (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS)


def _learn(school_id: int, activity: Activity, picked: bool) -> dict[str, float]:
    config = recommendation_config()["preference"]
    now = timezone.now()
    updates = {}
    for key in (f"activity:{activity.pk}", f"category:{activity.category}"):
        row, _created = EngineWeights.objects.select_for_update().get_or_create(
            school_id=school_id, engine=EngineWeights.Engine.RECOMMENDATION, key=key, defaults={"weight": 0.0}
        )
        days = (now - row.updated_at).total_seconds() / 86400 if row.decisions else 0.0
        row.weight = update_preference(row.weight, days_since=days, picked=picked, share=1.0, config=config)
        row.decisions += 1
        row.positive += 1 if picked else 0
        row.save()
        updates[key] = round(row.weight, 4)
    return updates


def _append_block(session: ClassSession, activity: Activity, actor):
    """Through the sessions area's ``add_block`` (its permission check and plan audit apply)."""
    if session.status not in OPEN_STATUSES:
        raise ServiceError(_("Activities can only be added to a planned or running session."), field="session")
    from physed.services.sessions import add_block

    return add_block(
        actor=actor,
        session=session,
        planned_minutes=activity.duration_minutes,
        activity=activity,
        notes=_("Added from recommendations"),
    )


@transaction.atomic
def record_feedback(
    *,
    actor,
    pe_class: PEClass,
    activity: Activity,
    action: str,
    reason: str = "",
    session: ClassSession | None = None,
    score: float | None = None,
) -> RecommendationFeedback:
    """A pick (adds the activity as the last block of ``session`` when one is given) or a dismissal."""
    if action not in FeedbackAction.values:
        raise ServiceError(_("Action must be pick or dismiss."), field="action")
    if not Activity.objects.filter(Q(school__isnull=True) | Q(school_id=pe_class.school_id), pk=activity.pk).exists():
        raise ServiceError(_("This activity is not available to the class's school."), field="activity")
    if session is not None and session.pe_class_id != pe_class.pk:
        raise ServiceError(_("The session belongs to another class."), field="session")
    if session is not None and action == FeedbackAction.DISMISS:
        session = None  # a dismissal is about the class, not a session
    block = _append_block(session, activity, actor) if session is not None else None
    feedback = RecommendationFeedback.objects.create(
        pe_class=pe_class,
        activity=activity,
        session=session,
        action=action,
        reason=(reason or "")[:300],
        score=score,
        actor=actor,
    )
    updates = _learn(pe_class.school_id, activity, action == FeedbackAction.PICK)
    record_event(
        f"physed.recommendation_{'picked' if action == FeedbackAction.PICK else 'dismissed'}",
        actor=actor,
        school=pe_class.school,
        target=feedback,
        changes={"activity": activity.slug, "block": block.pk if block else None, "preferences": updates},
    )
    return feedback
