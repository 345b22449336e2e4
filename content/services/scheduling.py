"""Scheduling lesson plans into class sessions (content §1 → physed). Only ``lesson_plan`` items;
the session must belong to the item's school and a class the actor teaches (or any class of the
school with ``content.manage_contentitem``); the version scheduled is kept with the schedule."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from content.models import ContentKind, LessonSchedule
from content.models.visibility import MANAGE_PERM
from content.services.common import require_edit


def may_schedule_into(actor, session) -> bool:
    """The actor teaches the session's class, or manages the school's library."""
    if actor is None or actor.is_superuser:
        return True
    school_id = session.pe_class.school_id
    from physed.models import ClassSession

    if not ClassSession.objects.visible_to(actor).filter(pk=session.pk).exists():
        return False
    if has_school_perm(actor, MANAGE_PERM, school_id):
        return True
    return session.pe_class.teachers.filter(pk=actor.pk).exists()


@transaction.atomic
def schedule_lesson(*, actor, item, session) -> LessonSchedule:
    require_edit(actor, item)
    if item.kind != ContentKind.LESSON_PLAN:
        raise ServiceError(_("Only lesson plans can be scheduled into a session."), field="item", code="invalid")
    if session.pe_class.school_id != item.school_id or not may_schedule_into(actor, session):
        raise ServiceError(_("Choose a session of a class you teach."), field="session", code="does_not_exist")
    try:
        with transaction.atomic():
            schedule = LessonSchedule.objects.create(
                item=item, session=session, version_number=item.version, scheduled_by=actor
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("This lesson plan is already scheduled into that session."), field="session", code="unique"
        ) from exc
    record_event(
        "content.lesson_scheduled",
        actor=actor,
        school=item.school,
        target=item,
        target_label=item.title,
        changes={"session": [None, session.pk], "version": [None, item.version]},
    )
    return schedule


@transaction.atomic
def unschedule_lesson(*, actor, schedule) -> None:
    """Removes a schedule (edit rights on the item, or whoever scheduled it)."""
    if actor is not None and schedule.scheduled_by_id != actor.pk:
        require_edit(actor, schedule.item)
    item = schedule.item
    record_event(
        "content.lesson_unscheduled",
        actor=actor,
        school=item.school,
        target=item,
        target_label=item.title,
        changes={"session": [schedule.session_id, None]},
    )
    schedule.delete()
