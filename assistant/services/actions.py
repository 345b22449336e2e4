"""Confirming or rejecting what the assistant proposed.

Only the conversation's owner decides, and only once: an action that is no longer ``proposed``
is a 409 ``already_decided``. Confirming runs the owning app's own service with the ids the
proposal resolved — which checks permissions and values again, since the data may have changed
since the proposal: a progress goal (``progress.services.goals.create_goal``), a draft content
item (``content.services.items.create_item``), fitness results
(``assessments.services.fitness.record_fitness_results``, see ``attachments_import``). A refusal
of that service marks the action ``failed`` with the message the person sees; nothing of the
write is kept. Both decisions are audited.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assistant.models import ActionStatus, ProposedAction


def _require_open(actor, action) -> ProposedAction:
    conversation = action.message.conversation
    if actor is None or conversation.owner_id != actor.pk:
        raise ServiceError(_("Not found."), code="not_found", status=404)
    locked = (
        ProposedAction.objects.select_for_update().select_related("message__conversation__school").get(pk=action.pk)
    )
    if locked.status != ActionStatus.PROPOSED:
        raise ServiceError(
            _("This action was already decided (%(status)s).") % {"status": locked.get_status_display()},
            code="already_decided",
            status=409,
        )
    return locked


def _create_goal(actor, school, payload) -> tuple[str, str]:
    from physed.models import PEClass, Student
    from progress.services.goals import create_goal

    student = pe_class = None
    if payload.get("student_id"):
        student = Student.objects.visible_to(actor).filter(pk=payload["student_id"], school=school).first()
        if student is None:
            raise ServiceError(_("The student is no longer available."), code="not_found")
    else:
        pe_class = PEClass.objects.visible_to(actor).filter(pk=payload.get("class_id"), school=school).first()
        if pe_class is None:
            raise ServiceError(_("The class is no longer available."), code="not_found")
    goal = create_goal(
        actor=actor,
        school=school,
        student=student,
        pe_class=pe_class,
        title=payload["title"],
        metric_key=payload["metric_key"],
        target=payload["target"],
        deadline=datetime.date.fromisoformat(payload["deadline"]),
        baseline=payload.get("baseline"),
    )
    return goal.title, reverse("progress-goal-detail", args=[goal.pk])


def _draft_lesson_plan(actor, school, payload) -> tuple[str, str]:
    from content.models import ContentKind, ContentStatus
    from content.services.items import create_item
    from physed.models import Activity

    fields = {
        "kind": ContentKind.LESSON_PLAN,
        "status": ContentStatus.DRAFT,
        "summary": payload.get("summary", ""),
        "body": payload.get("body", ""),
        "duration_minutes": payload.get("duration_minutes"),
        "grade_min": payload.get("grade_min", 0),
        "grade_max": payload.get("grade_max", 12),
    }
    if payload.get("activity_id"):
        activity = Activity.objects.visible_to(actor).filter(pk=payload["activity_id"]).first()
        if activity is not None and activity.school_id in (None, school.pk):
            fields["activities"] = [activity]
    item = create_item(
        actor=actor, school=school, title=payload["title"], change_note=_("Drafted by the assistant"), **fields
    )
    return item.title, reverse("content-item-detail", args=[item.pk])


def _record_results(actor, school, payload) -> tuple[str, str]:
    from assistant.services.attachments_import import import_results

    label, url, _summary = import_results(actor=actor, school=school, payload=payload)
    return label, url


HANDLERS = {
    "create_goal": _create_goal,
    "draft_lesson_plan": _draft_lesson_plan,
    "record_results": _record_results,
}


def confirm_action(*, actor, action) -> ProposedAction:
    """Carries out the proposed write (see the module docstring); returns the decided action."""
    with transaction.atomic():
        action = _require_open(actor, action)
        school = action.message.conversation.school
        handler = HANDLERS.get(action.kind)
        action.decided_at = timezone.now()
        try:
            if handler is None:
                raise ServiceError(_("The assistant cannot do this kind of action."), code="invalid")
            with transaction.atomic():
                label, url = handler(actor, school, action.payload)
        except ServiceError as exc:
            action.status, action.error = ActionStatus.FAILED, exc.message
        except (KeyError, TypeError, ValueError) as exc:  # a payload that no longer fits the service
            action.status, action.error = (
                ActionStatus.FAILED,
                _("The proposal is incomplete: %(reason)s") % {"reason": exc},
            )
        else:
            action.status, action.result_label, action.result_url = ActionStatus.DONE, str(label)[:200], url[:300]
        action.save(update_fields=["status", "decided_at", "result_label", "result_url", "error"])
        record_event(
            "assistant.action_confirmed",
            actor=actor,
            school=school,
            target=action,
            target_label=action.summary,
            changes={"kind": action.kind, "status": action.status, "error": action.error, "result": action.result_url},
        )
    return action


def reject_action(*, actor, action) -> ProposedAction:
    """The person does not want it: nothing is written."""
    with transaction.atomic():
        action = _require_open(actor, action)
        action.status, action.decided_at = ActionStatus.REJECTED, timezone.now()
        action.save(update_fields=["status", "decided_at"])
        record_event(
            "assistant.action_rejected",
            actor=actor,
            school=action.message.conversation.school,
            target=action,
            target_label=action.summary,
            changes={"kind": action.kind},
        )
    return action
