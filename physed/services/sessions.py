"""Planning and running class sessions: create a session with its ordered blocks, edit, reorder,
copy a plan to another date, generate a term's sessions from the weekly schedule, and the
planned → in progress → completed (or cancelled) life cycle.

Every write checks the actor's permission on the class (``allowed_on_object``), runs in one
transaction and writes one audit row: a plan is a teaching record the department may review.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import Activity, ClassSession, Exercise, PEClass, SessionBlock, SessionStatus
from physed.services.sessions_common import require

MAX_BLOCKS = 30
MAX_BLOCK_MINUTES = 240
MAX_GENERATE_DAYS = 366
SESSION_FIELDS = ("date", "period", "start_time", "title", "notes")


@dataclass
class BlockSpec:
    """One block to write: exactly one of ``activity``/``exercise``; ``block_id`` keeps an existing
    block (and the results recorded against it) when a plan is re-saved."""

    planned_minutes: int
    activity: Activity | None = None
    exercise: Exercise | None = None
    notes: str = ""
    block_id: int | None = None


def _check_item(pe_class: PEClass, spec: BlockSpec, index: int) -> None:
    where = f"blocks[{index}]"
    if (spec.activity is None) == (spec.exercise is None):
        raise ServiceError(_("Each block needs exactly one activity or one exercise."), field=where)
    item = spec.activity or spec.exercise
    if item.school_id not in (None, pe_class.school_id):
        raise ServiceError(_("That activity or exercise is not in this school's library."), field=where)
    if not 1 <= int(spec.planned_minutes) <= MAX_BLOCK_MINUTES:
        raise ServiceError(
            _("Minutes must be between 1 and %(max)s.") % {"max": MAX_BLOCK_MINUTES}, field=f"{where}.planned_minutes"
        )


def _write_blocks(session: ClassSession, specs: list[BlockSpec]) -> None:
    if len(specs) > MAX_BLOCKS:
        raise ServiceError(_("A session can have at most %(max)s blocks.") % {"max": MAX_BLOCKS}, field="blocks")
    for index, spec in enumerate(specs):
        _check_item(session.pe_class, spec, index)
    existing = {block.pk: block for block in session.blocks.all()}
    kept_ids = {spec.block_id for spec in specs if spec.block_id is not None}
    unknown = kept_ids - set(existing)
    if unknown:
        raise ServiceError(_("Block %(id)s is not part of this session.") % {"id": min(unknown)}, field="blocks")
    SessionBlock.objects.filter(session=session).exclude(pk__in=kept_ids).delete()
    # move kept blocks out of the way of the unique (session, order) before renumbering
    SessionBlock.objects.filter(pk__in=kept_ids).update(order=F("order") + 1000)
    new_blocks, changed = [], []
    for order, spec in enumerate(specs, start=1):
        values = {
            "order": order,
            "activity": spec.activity,
            "exercise": spec.exercise,
            "planned_minutes": int(spec.planned_minutes),
            "notes": spec.notes or "",
        }
        if spec.block_id is not None:
            block = existing[spec.block_id]
            for name, value in values.items():
                setattr(block, name, value)
            changed.append(block)
        else:
            new_blocks.append(SessionBlock(session=session, **values))
    if changed:
        SessionBlock.objects.bulk_update(changed, ["order", "activity", "exercise", "planned_minutes", "notes"])
    SessionBlock.objects.bulk_create(new_blocks)


def _plan_summary(session: ClassSession) -> list[str]:
    return [str(block) for block in session.blocks.select_related("activity", "exercise")]


@transaction.atomic
def create_session(
    *,
    actor,
    pe_class: PEClass,
    date: datetime.date,
    period: str = "",
    start_time: datetime.time | None = None,
    title: str = "",
    notes: str = "",
    blocks: list[BlockSpec] = (),
) -> ClassSession:
    require(actor, "physed.add_classsession", pe_class)
    session = ClassSession.objects.create(
        pe_class=pe_class,
        date=date,
        period=period or "",
        start_time=start_time,
        title=title or "",
        notes=notes or "",
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _write_blocks(session, list(blocks))
    record_event(
        "physed.session_created",
        actor=actor,
        school=pe_class.school,
        target=session,
        target_label=str(session),
        changes={"after": {"date": date.isoformat(), "title": session.title, "blocks": _plan_summary(session)}},
    )
    return session


@transaction.atomic
def update_session(*, actor, session: ClassSession, blocks: list[BlockSpec] | None = None, **fields) -> ClassSession:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot change: %(names)s") % {"names": ", ".join(sorted(unknown))})
    require(actor, "physed.change_classsession", session)
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("A cancelled session cannot be edited."), field="status")
    before = {name: _plain(getattr(session, name)) for name in fields}
    if blocks is not None:
        before["blocks"] = _plan_summary(session)
    for name, value in fields.items():
        if value is None and name in ("period", "title", "notes"):
            value = ""
        setattr(session, name, value)
    session.save()
    if blocks is not None:
        _write_blocks(session, list(blocks))
    after = {name: _plain(getattr(session, name)) for name in fields}
    if blocks is not None:
        after["blocks"] = _plan_summary(session)
    record_event(
        "physed.session_updated",
        actor=actor,
        school=session.pe_class.school,
        target=session,
        target_label=str(session),
        changes={"before": before, "after": after},
    )
    return session


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date | datetime.time) else value


@transaction.atomic
def add_block(
    *, actor, session: ClassSession, planned_minutes: int, activity=None, exercise=None, notes: str = ""
) -> SessionBlock:
    require(actor, "physed.change_classsession", session)
    specs = [
        BlockSpec(b.planned_minutes, b.activity, b.exercise, b.notes, b.pk)
        for b in session.blocks.select_related("activity", "exercise")
    ]
    specs.append(BlockSpec(planned_minutes, activity, exercise, notes))
    _write_blocks(session, specs)
    _audit_plan(actor, session, "physed.session_block_added")
    return session.blocks.order_by("-order").first()


@transaction.atomic
def remove_block(*, actor, block: SessionBlock) -> None:
    session = block.session
    require(actor, "physed.change_classsession", session)
    specs = [
        BlockSpec(b.planned_minutes, b.activity, b.exercise, b.notes, b.pk)
        for b in session.blocks.select_related("activity", "exercise")
        if b.pk != block.pk
    ]
    _write_blocks(session, specs)
    _audit_plan(actor, session, "physed.session_block_removed")


@transaction.atomic
def move_block(*, actor, block: SessionBlock, direction: str) -> None:
    """Swaps the block with its neighbour above (``up``) or below (``down``); at an end, no-op."""
    session = block.session
    require(actor, "physed.change_classsession", session)
    if direction not in ("up", "down"):
        raise ServiceError(_("Direction must be up or down."), field="direction")
    blocks = list(session.blocks.select_related("activity", "exercise"))
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(blocks):
        return
    blocks[index], blocks[other] = blocks[other], blocks[index]
    _write_blocks(session, [BlockSpec(b.planned_minutes, b.activity, b.exercise, b.notes, b.pk) for b in blocks])
    _audit_plan(actor, session, "physed.session_block_moved")


def _audit_plan(actor, session, action) -> None:
    record_event(
        action,
        actor=actor,
        school=session.pe_class.school,
        target=session,
        target_label=str(session),
        changes={"after": {"blocks": _plan_summary(session)}},
    )


@transaction.atomic
def copy_session(*, actor, session: ClassSession, date: datetime.date, pe_class: PEClass | None = None) -> ClassSession:
    """A new planned session with the same lesson, notes, time and blocks on ``date`` (for the same
    class, or another class of the same school)."""
    require(actor, "physed.view_classsession", session)
    target_class = pe_class or session.pe_class
    if target_class.school_id != session.pe_class.school_id:
        raise ServiceError(_("A plan can only be copied within its school."), field="pe_class")
    blocks = [
        BlockSpec(b.planned_minutes, b.activity, b.exercise, b.notes)
        for b in session.blocks.select_related("activity", "exercise")
    ]
    copy = create_session(
        actor=actor,
        pe_class=target_class,
        date=date,
        period=session.period,
        start_time=session.start_time,
        title=session.title,
        notes=session.notes,
        blocks=blocks,
    )
    return copy


@transaction.atomic
def generate_sessions(
    *, actor, pe_class: PEClass, start: datetime.date, end: datetime.date, title: str = ""
) -> list[ClassSession]:
    """One planned session per weekly meeting slot between ``start`` and ``end`` (inclusive),
    skipping slots that already have a session on that date at that time. Returns the new ones."""
    require(actor, "physed.add_classsession", pe_class)
    if end < start:
        raise ServiceError(_("The end date is before the start date."), field="end")
    if (end - start).days > MAX_GENERATE_DAYS:
        raise ServiceError(_("Generate at most one year of sessions at a time."), field="end")
    meetings = list(pe_class.meetings.all())
    if not meetings:
        raise ServiceError(_("This class has no weekly schedule to generate sessions from."), field="pe_class")
    taken = set(
        ClassSession.objects.filter(pe_class=pe_class, date__range=(start, end)).values_list("date", "start_time")
    )
    created = []
    creator = actor if actor is not None and actor.is_authenticated else None
    day = start
    while day <= end:
        for meeting in meetings:
            if meeting.weekday == day.weekday() and (day, meeting.start_time) not in taken:
                created.append(
                    ClassSession(
                        pe_class=pe_class,
                        date=day,
                        start_time=meeting.start_time,
                        period=meeting.period,
                        title=title,
                        created_by=creator,
                    )
                )
        day += datetime.timedelta(days=1)
    ClassSession.objects.bulk_create(created)
    record_event(
        "physed.sessions_generated",
        actor=actor,
        school=pe_class.school,
        target=pe_class,
        target_label=str(pe_class),
        changes={"after": {"from": start.isoformat(), "to": end.isoformat(), "created": len(created)}},
    )
    return created


TRANSITIONS = {
    "start": ({SessionStatus.PLANNED}, SessionStatus.IN_PROGRESS, "physed.run_session"),
    "finish": ({SessionStatus.PLANNED, SessionStatus.IN_PROGRESS}, SessionStatus.COMPLETED, "physed.run_session"),
    "cancel": ({SessionStatus.PLANNED}, SessionStatus.CANCELLED, "physed.change_classsession"),
    "reopen": ({SessionStatus.COMPLETED, SessionStatus.CANCELLED}, SessionStatus.PLANNED, "physed.change_classsession"),
}


@transaction.atomic
def change_status(*, actor, session: ClassSession, transition: str) -> ClassSession:
    """start (planned → in progress), finish (→ completed), cancel (planned → cancelled), reopen."""
    if transition not in TRANSITIONS:
        raise ServiceError(_("Unknown action."), field="action")
    sources, target, perm = TRANSITIONS[transition]
    require(actor, perm, session)
    if session.status not in sources:
        raise ServiceError(
            _("A session that is %(status)s cannot be %(action)s.")
            % {"status": session.get_status_display().lower(), "action": _action_label(transition)},
            field="status",
        )
    before = session.status
    now = timezone.now()
    session.status = target
    if transition == "start":
        session.started_at = now
    elif transition == "finish":
        session.started_at = session.started_at or now
        session.ended_at = now
    elif transition == "reopen":
        session.started_at = session.ended_at = None
    session.save(update_fields=["status", "started_at", "ended_at"])
    record_event(
        f"physed.session_{transition}",
        actor=actor,
        school=session.pe_class.school,
        target=session,
        target_label=str(session),
        changes={"status": {"before": before, "after": target}},
    )
    return session


def _action_label(transition: str) -> str:
    return {"start": _("started"), "finish": _("finished"), "cancel": _("cancelled"), "reopen": _("reopened")}[
        transition
    ]


@transaction.atomic
def delete_session(*, actor, session: ClassSession) -> None:
    require(actor, "physed.delete_classsession", session)
    school, label, pk = session.pe_class.school, str(session), session.pk
    counts = {"attendance": session.attendance.count(), "results": session.results.count()}
    session.delete()
    record_event(
        "physed.session_deleted",
        actor=actor,
        school=school,
        target_type=ClassSession._meta.label_lower,
        target_id=str(pk),
        target_label=label,
        changes={"before": counts},
    )
