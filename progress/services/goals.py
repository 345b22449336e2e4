"""Goals and milestones: create, edit, propose/approve/reject, cancel, and the automatic status
changes (achieved from the after-entry hook, missed after the deadline by the daily task).

Rules (docs/progress-goals.md): exactly one subject (a student or a class); the metric key must be
in the catalogue (``progress.metrics.describe``; its label, unit and direction are copied onto the
goal); the baseline defaults to the latest value before the start; the target must be better
than the baseline in the metric's direction; start ≤ deadline and, on create, the deadline is not
in the past; milestones lie strictly between baseline and target, are due within the goal period
and, ordered by due date, never step back. Every change is audited.
"""

import datetime
import itertools
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_on_object
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from progress import metrics
from progress.models import Goal, GoalStatus, Milestone
from progress.notifications import GOAL_ACHIEVED, GOAL_DECIDED, GOAL_PROPOSED
from progress.selectors import goals as selectors

VIEW = "progress.view_goal"
ADD = "progress.add_goal"
CHANGE = "progress.change_goal"
DELETE = "progress.delete_goal"
APPROVE = "progress.approve_goal"
EDITABLE = (GoalStatus.ACTIVE, GoalStatus.PROPOSED)


def _denied():
    return ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def _can(actor, perm, obj) -> bool:
    return actor is None or actor.is_superuser or allowed_on_object(actor, perm, obj)


def _is_the_student(actor, student) -> bool:
    return bool(actor is not None and student is not None and student.user_id and student.user_id == actor.pk)


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError(_("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("100000000"):
        raise ServiceError(_("Enter a number."), field=field)
    return number.quantize(Decimal("0.01"))


def _better(higher: bool, value, than) -> bool:
    return value > than if higher else value < than


def _validate_milestones(milestones, *, baseline, target, higher, start, deadline) -> list[dict]:
    cleaned = []
    for index, row in enumerate(milestones or []):
        field = f"milestones[{index}]"
        title = str(row.get("title") or "").strip()
        if not title:
            raise ServiceError(_("Give the milestone a title."), field=field)
        value = _number(row.get("target_value"), field)
        due = row.get("due_date")
        if isinstance(due, str):
            try:
                due = datetime.date.fromisoformat(due)
            except ValueError:
                due = None
        if not isinstance(due, datetime.date):
            raise ServiceError(_("Give the milestone a due date."), field=field)
        if not (_better(higher, value, baseline) and _better(higher, target, value)):
            raise ServiceError(_("A milestone must lie between the baseline and the target."), field=field)
        if not start <= due <= deadline:
            raise ServiceError(_("A milestone must be due within the goal's period."), field=field)
        cleaned.append({"title": title[:160], "target_value": value, "due_date": due})
    cleaned.sort(key=lambda row: row["due_date"])
    for earlier, later in itertools.pairwise(cleaned):
        if _better(higher, earlier["target_value"], later["target_value"]):
            raise ServiceError(_("Later milestones may not ask for less than earlier ones."), field="milestones")
    return cleaned


def _validated(*, school, student, pe_class, metric_key, baseline, target, start, deadline, milestones, creating):
    info = metrics.describe(school, metric_key or "")
    if info is None:
        raise ServiceError(_("Unknown metric."), field="metric_key")
    if deadline < start:
        raise ServiceError(_("The deadline must be on or after the start."), field="deadline")
    if creating and deadline < timezone.localdate():
        raise ServiceError(_("The deadline is in the past."), field="deadline")
    if baseline is None:
        baseline = selectors.default_baseline(metric_key=info.key, start=start, student=student, pe_class=pe_class)
        if baseline is None:
            raise ServiceError(
                _("There is no value before the start to use as the baseline; enter one."), field="baseline"
            )
    baseline = _number(baseline, "baseline")
    target = _number(target, "target")
    for field, value in (("baseline", baseline), ("target", target)):
        if info.min_value is not None and value < Decimal(str(info.min_value)):
            raise ServiceError(_("The value is below this metric's lowest valid value."), field=field)
        if info.max_value is not None and value > Decimal(str(info.max_value)):
            raise ServiceError(_("The value is above this metric's highest valid value."), field=field)
    if not _better(info.higher_is_better, target, baseline):
        message = (
            _("For this metric higher is better: the target must be above the baseline.")
            if info.higher_is_better
            else _("For this metric lower is better: the target must be below the baseline.")
        )
        raise ServiceError(message, field="target")
    cleaned = (
        None
        if milestones is None
        else _validate_milestones(
            milestones, baseline=baseline, target=target, higher=info.higher_is_better, start=start, deadline=deadline
        )
    )
    return info, baseline, target, cleaned


def _replace_milestones(goal, rows) -> None:
    goal.milestones.all().delete()
    Milestone.objects.bulk_create([Milestone(goal=goal, **row) for row in rows])


def _snapshot(goal) -> dict:
    return {
        "status": goal.status,
        "metric_key": goal.metric_key,
        "baseline": str(goal.baseline),
        "target": str(goal.target),
        "start_date": goal.start_date.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "milestones": [[m.due_date.isoformat(), str(m.target_value)] for m in goal.milestones.all()],
    }


def _audit(action, actor, goal, changes=None):
    record_event(
        f"progress.goal_{action}",
        actor=actor if actor is not None and actor.is_authenticated else None,
        school=goal.school,
        target=goal,
        target_label=goal.title[:200],
        changes=changes or {},
    )


def _approvers(goal) -> list:
    """Teachers of the student's current classes (or of the class) holding approve_goal; else the
    school's department heads."""
    from accounts.models import Role
    from accounts.selectors import has_school_perm, members_of
    from physed.models import PEClass

    if goal.pe_class_id:
        classes = PEClass.objects.filter(pk=goal.pe_class_id)
    else:
        classes = PEClass.objects.filter(pk__in=selectors._class_ids_of([goal.student_id]))
    users = {user for pe_class in classes.prefetch_related("teachers") for user in pe_class.teachers.all()}
    users = [user for user in users if user.is_active and has_school_perm(user, APPROVE, goal.school_id)]
    return users or list(members_of(goal.school, [Role.DEPARTMENT_HEAD]))


def _student_recipients(student) -> list:
    from physed.models import Guardianship

    users = [student.user] if student.user_id and student.user.is_active else []
    users += [g.guardian for g in Guardianship.objects.filter(student=student).select_related("guardian")]
    return [user for user in users if user.is_active]


def _goal_url(goal) -> str:
    from django.urls import reverse

    return reverse("progress-goal-detail", args=[goal.pk])


@transaction.atomic
def create_goal(
    *,
    actor,
    school=None,
    student=None,
    pe_class=None,
    title: str,
    metric_key: str,
    target,
    deadline: datetime.date,
    start_date: datetime.date | None = None,
    baseline=None,
    note: str = "",
    milestones: list | None = None,
) -> Goal:
    """A goal for ``student`` or ``pe_class`` (exactly one). Staff with ``add_goal`` create it
    active; a student proposing for themselves creates it ``proposed`` (teachers are notified)."""
    if (student is None) == (pe_class is None):
        raise ServiceError(_("Set the goal for a student or for a class, not both."), field="student")
    subject = student or pe_class
    if school is not None and school.pk != subject.school_id:
        raise ServiceError(_("The student or class belongs to another school."), field="school")
    school = subject.school
    proposed = False
    if not _can(actor, ADD, subject):
        if pe_class is None and _is_the_student(actor, student):
            proposed = True
        else:
            raise _denied()
    if not str(title or "").strip():
        raise ServiceError(_("Give the goal a title."), field="title")
    start = start_date or timezone.localdate()
    info, baseline, target, cleaned = _validated(
        school=school,
        student=student,
        pe_class=pe_class,
        metric_key=metric_key,
        baseline=baseline,
        target=target,
        start=start,
        deadline=deadline,
        milestones=milestones or [],
        creating=True,
    )
    goal = Goal.objects.create(
        school=school,
        student=student,
        pe_class=pe_class,
        title=title.strip()[:160],
        metric_key=info.key,
        metric_label=info.label[:120],
        unit=info.unit[:20],
        higher_is_better=info.higher_is_better,
        baseline=baseline,
        target=target,
        start_date=start,
        deadline=deadline,
        status=GoalStatus.PROPOSED if proposed else GoalStatus.ACTIVE,
        proposed_by_student=proposed,
        note=note or "",
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _replace_milestones(goal, cleaned)
    _audit("proposed" if proposed else "created", actor, goal, _snapshot(goal))
    if proposed:
        from accounts.services.notifications import notify

        for user in _approvers(goal):
            notify(
                user,
                GOAL_PROPOSED,
                _("%(student)s proposed a goal: %(title)s") % {"student": student.display_name, "title": goal.title},
                url=_goal_url(goal),
            )
    else:
        _evaluate_goal(goal)
    return goal


@transaction.atomic
def update_goal(*, actor, goal: Goal, **fields) -> Goal:
    """Edits an active or proposed goal (staff with ``change_goal``; a student their own proposal).
    ``milestones`` (a list) replaces them all. The subject cannot change."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if not (_can(actor, CHANGE, goal) or (goal.status == GoalStatus.PROPOSED and _is_the_student(actor, goal.student))):
        raise _denied()
    if goal.status not in EDITABLE:
        raise ServiceError(_("Only active or proposed goals can be edited."), field="status")
    for field in ("student", "pe_class", "school"):
        if field in fields and fields.pop(field) not in (None, getattr(goal, field)):
            raise ServiceError(_("The goal's student or class cannot change."), field=field)
    before = _snapshot(goal)
    if "title" in fields:
        if not str(fields["title"] or "").strip():
            raise ServiceError(_("Give the goal a title."), field="title")
        goal.title = fields["title"].strip()[:160]
    if "note" in fields:
        goal.note = fields["note"] or ""
    metric_key = fields.get("metric_key", goal.metric_key)
    info, baseline, target, cleaned = _validated(
        school=goal.school,
        student=goal.student,
        pe_class=goal.pe_class,
        metric_key=metric_key,
        baseline=fields.get("baseline", goal.baseline),
        target=fields.get("target", goal.target),
        start=fields.get("start_date") or goal.start_date,
        deadline=fields.get("deadline") or goal.deadline,
        milestones=fields.get("milestones"),
        creating="deadline" in fields and fields["deadline"] != goal.deadline,
    )
    if cleaned is None and ({"baseline", "target", "start_date", "deadline", "metric_key"} & set(fields)):
        current = [
            {"title": m.title, "target_value": m.target_value, "due_date": m.due_date} for m in goal.milestones.all()
        ]
        _validate_milestones(
            current,
            baseline=baseline,
            target=target,
            higher=info.higher_is_better,
            start=fields.get("start_date") or goal.start_date,
            deadline=fields.get("deadline") or goal.deadline,
        )
    goal.metric_key, goal.metric_label, goal.unit = info.key, info.label[:120], info.unit[:20]
    goal.higher_is_better = info.higher_is_better
    goal.baseline, goal.target = baseline, target
    goal.start_date = fields.get("start_date") or goal.start_date
    goal.deadline = fields.get("deadline") or goal.deadline
    goal.save()
    if cleaned is not None:
        _replace_milestones(goal, cleaned)
    after = _snapshot(goal)
    _audit("updated", actor, goal, {key: [before[key], after[key]] for key in after if before[key] != after[key]})
    if goal.status == GoalStatus.ACTIVE:
        _evaluate_goal(goal)
    return goal


def _decide(*, actor, goal, approve: bool, note: str) -> Goal:
    goal = Goal.objects.select_for_update(of=("self",)).select_related("student__user").get(pk=goal.pk)
    if not _can(actor, APPROVE, goal):
        raise _denied()
    if goal.status != GoalStatus.PROPOSED:
        raise ServiceError(_("Only proposed goals can be approved or rejected."), field="status")
    if not approve and not (note or "").strip():
        raise ServiceError(_("Tell the student why the goal is not approved."), field="note")
    if approve and goal.deadline < timezone.localdate():
        raise ServiceError(_("The deadline has passed; edit the goal first."), field="deadline")
    goal.status = GoalStatus.ACTIVE if approve else GoalStatus.REJECTED
    goal.decision_note = (note or "").strip()[:300]
    goal.approved_by = actor if actor is not None and actor.is_authenticated else None
    goal.approved_at = timezone.now()
    goal.save(update_fields=["status", "decision_note", "approved_by", "approved_at", "updated_at"])
    _audit("approved" if approve else "rejected", actor, goal, {"note": goal.decision_note})
    from accounts.services.notifications import notify

    title = (_("Your goal was approved: %(title)s") if approve else _("Your goal was not approved: %(title)s")) % {
        "title": goal.title
    }
    for user in _student_recipients(goal.student):
        notify(user, GOAL_DECIDED, title, goal.decision_note, url=_goal_url(goal))
    if approve:
        _evaluate_goal(goal)
    return goal


@transaction.atomic
def approve_goal(*, actor, goal: Goal, note: str = "") -> Goal:
    return _decide(actor=actor, goal=goal, approve=True, note=note)


@transaction.atomic
def reject_goal(*, actor, goal: Goal, note: str = "") -> Goal:
    return _decide(actor=actor, goal=goal, approve=False, note=note)


@transaction.atomic
def cancel_goal(*, actor, goal: Goal, note: str = "") -> Goal:
    goal = Goal.objects.select_for_update(of=("self",)).select_related("student").get(pk=goal.pk)
    own_proposal = goal.status == GoalStatus.PROPOSED and _is_the_student(actor, goal.student)
    if not (_can(actor, CHANGE, goal) or own_proposal):
        raise _denied()
    if goal.status not in EDITABLE:
        raise ServiceError(_("Only active or proposed goals can be cancelled."), field="status")
    goal.status = GoalStatus.CANCELLED
    if note:
        goal.decision_note = note.strip()[:300]
    goal.save(update_fields=["status", "decision_note", "updated_at"])
    _audit("cancelled", actor, goal, {"note": note or ""})
    return goal


@transaction.atomic
def delete_goal(*, actor, goal: Goal) -> None:
    if not _can(actor, DELETE, goal):
        raise _denied()
    _audit("deleted", actor, goal, _snapshot(goal))
    goal.delete()


def _evaluate_goal(goal: Goal) -> bool:
    """Milestones reached and achievement of one goal from its series; True if it became achieved."""
    if goal.status not in (GoalStatus.ACTIVE, GoalStatus.ACHIEVED):
        return False
    series = selectors.goal_series(goal)
    if not series:
        return False
    for milestone in goal.milestones.filter(reached_at__isnull=True):
        hit = next((point for point in series if selectors.reached(goal, point[1], milestone.target_value)), None)
        if hit is not None:
            milestone.reached_at, milestone.reached_value = hit[0], Decimal(str(hit[1])).quantize(Decimal("0.01"))
            milestone.save(update_fields=["reached_at", "reached_value"])
            record_event(
                "progress.milestone_reached",
                school=goal.school,
                target=milestone,
                target_label=milestone.title[:200],
                changes={"goal": goal.pk, "value": str(milestone.reached_value), "date": hit[0].isoformat()},
            )
    if goal.status != GoalStatus.ACTIVE or not selectors.reached(goal, series[-1][1], goal.target):
        return False
    goal.status = GoalStatus.ACHIEVED
    goal.achieved_at = timezone.now()
    goal.save(update_fields=["status", "achieved_at", "updated_at"])
    _audit("achieved", None, goal, {"value": series[-1][1], "date": series[-1][0].isoformat()})
    from accounts.services.notifications import notify

    recipients = _student_recipients(goal.student) if goal.student_id else list(goal.pe_class.teachers.all())
    for user in recipients:
        notify(user, GOAL_ACHIEVED, _("Goal achieved: %(title)s") % {"title": goal.title}, url=_goal_url(goal))
    return True


def goals_affected(student_ids, metric_keys):
    from django.db.models import Q

    classes = selectors._class_ids_of(student_ids)
    return (
        Goal.objects.filter(status__in=[GoalStatus.ACTIVE, GoalStatus.ACHIEVED], metric_key__in=metric_keys)
        .filter(Q(student_id__in=student_ids) | Q(pe_class_id__in=classes))
        .select_related("school", "student__user", "pe_class")
    )


@transaction.atomic
def evaluate_goals(student_ids, metric_keys) -> list[Goal]:
    """After-entry hook: milestones and achievement of the goals the changed entries measure.
    Returns the goals that became achieved."""
    return [goal for goal in goals_affected(student_ids, metric_keys) if _evaluate_goal(goal)]


@transaction.atomic
def mark_missed(today: datetime.date | None = None) -> int:
    """Active goals whose deadline has passed become ``missed`` (the daily task)."""
    today = today or timezone.localdate()
    count = 0
    for goal in Goal.objects.filter(status=GoalStatus.ACTIVE, deadline__lt=today).select_related("school"):
        if _evaluate_goal(goal):
            continue
        goal.status = GoalStatus.MISSED
        goal.save(update_fields=["status", "updated_at"])
        _audit("missed", None, goal, {"deadline": goal.deadline.isoformat()})
        count += 1
    return count
