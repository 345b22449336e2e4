"""Achievements: school-defined badges (rule validation) and idempotent awards.

Awards are evaluated for a student when their entries change (the after-entry hook, after goals
so ``goal_achieved`` sees a goal achieved by the same entry) and nightly for every active student
(``progress.tasks_goals.evaluate_achievements``), which is how attendance streaks are awarded —
physed's attendance service has no listener, so streaks may arrive up to a day late (documented
in docs/progress-achievements.md). An award is unique per (badge, student): evaluating the same
facts twice never awards twice.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from progress import metrics
from progress.engines import achievements as engine
from progress.models import Achievement, AchievementDefinition, BadgeIcon, GoalStatus, ProgressEntry
from progress.notifications import BADGE_AWARDED

CHANGE = "progress.change_achievementdefinition"
FIELDS = ("code", "name", "description", "icon", "rule", "active", "source")


def _denied():
    return ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def _clean(values: dict, *, school, instance=None) -> dict:
    from django.utils.text import slugify

    if "rule" in values:
        errors = engine.validate_rule(values["rule"])
        if errors:
            name, message = next(iter(sorted(errors.items())))
            raise ServiceError(f"{name}: {message}", field="rule", code="invalid_rule")
        rule = values["rule"]
        if rule.get("type") == "improvement" and metrics.describe(school, rule["metric_key"]) is None:
            raise ServiceError(_("Unknown metric %(key)s.") % {"key": rule["metric_key"]}, field="rule")
    if "icon" in values and values["icon"] not in BadgeIcon.values:
        raise ServiceError(_("Unknown icon."), field="icon")
    for field in ("name", "description"):
        if field in values and not str(values[field] or "").strip():
            raise ServiceError(_("This field is required."), field=field)
    if "code" in values:
        code = slugify(values["code"] or "")[:60]
        if not code:
            raise ServiceError(_("Enter a code (letters, numbers, hyphens)."), field="code")
        clash = AchievementDefinition.objects.filter(Q(school=school) | Q(school__isnull=True), code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ServiceError(_("A badge with this code exists already."), field="code")
        values["code"] = code
    return values


@transaction.atomic
def create_definition(*, actor, school, **values) -> AchievementDefinition:
    if actor is not None and not has_school_perm(actor, CHANGE, school.pk):
        raise _denied()
    for field in ("code", "name", "description", "rule"):
        values.setdefault(field, "" if field != "rule" else None)
    values = _clean({k: v for k, v in values.items() if k in FIELDS}, school=school)
    definition = AchievementDefinition.objects.create(school=school, **values)
    record_event(
        "progress.badge_created", actor=actor, school=school, target=definition, changes={"rule": definition.rule}
    )
    return definition


def _own(actor, definition):
    if definition.school_id is None:
        raise ServiceError(_("Shipped badges cannot be changed."), code="permission_denied", status=403)
    if actor is not None and not has_school_perm(actor, CHANGE, definition.school_id):
        raise _denied()


@transaction.atomic
def update_definition(*, actor, definition: AchievementDefinition, **values) -> AchievementDefinition:
    _own(actor, definition)
    values = _clean({k: v for k, v in values.items() if k in FIELDS}, school=definition.school, instance=definition)
    changes = {k: [str(getattr(definition, k)), str(v)] for k, v in values.items() if getattr(definition, k) != v}
    for key, value in values.items():
        setattr(definition, key, value)
    definition.save()
    record_event("progress.badge_updated", actor=actor, school=definition.school, target=definition, changes=changes)
    return definition


@transaction.atomic
def delete_definition(*, actor, definition: AchievementDefinition) -> None:
    _own(actor, definition)
    record_event("progress.badge_deleted", actor=actor, school=definition.school, target=definition)
    definition.delete()


def facts_for(student) -> engine.Facts:
    from physed.models import AttendanceRecord, SessionStatus

    entries = [
        engine.EntryFact(e.metric_key, float(e.value), e.date, e.zone, e.group_key)
        for e in ProgressEntry.objects.filter(student=student).order_by("date", "pk")
    ]
    attendance = list(
        AttendanceRecord.objects.filter(student=student)
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by("session__date", "session__start_time", "session_id")
        .values_list("session__date", "status")
    )
    goals = [
        (goal.achieved_at.date() if goal.achieved_at else goal.deadline, goal.title)
        for goal in student.goals.filter(status=GoalStatus.ACHIEVED)
    ]
    directions = {}
    for key in {entry.metric_key for entry in entries}:
        info = metrics.describe(student.school, key)
        directions[key] = info.higher_is_better if info else True
    return engine.Facts(entries=entries, attendance=attendance, goals_achieved=goals, higher_is_better=directions)


def _recipients(student) -> list:
    from physed.models import Guardianship

    users = [student.user] if student.user_id else []
    users += [g.guardian for g in Guardianship.objects.filter(student=student).select_related("guardian")]
    return [user for user in users if user.is_active]


def evaluate_student(student) -> list[Achievement]:
    """Awards every active badge (shipped and the student's school's) the student has earned and
    does not hold yet; returns the new awards. Idempotent."""
    held = set(Achievement.objects.filter(student=student).values_list("definition_id", flat=True))
    definitions = [
        d
        for d in AchievementDefinition.objects.filter(
            Q(school__isnull=True) | Q(school_id=student.school_id), active=True
        )
        if d.pk not in held
    ]
    if not definitions:
        return []
    facts = facts_for(student)
    awarded = []
    for definition in definitions:
        verdict = engine.evaluate(definition.rule, facts)
        if not verdict.earned:
            continue
        try:
            with transaction.atomic():
                award, created = Achievement.objects.get_or_create(
                    definition=definition,
                    student=student,
                    defaults={
                        "awarded_on": verdict.on or timezone.localdate(),
                        "evidence": {
                            "rule": definition.rule,
                            "reasons": verdict.reasons,
                            "numbers": verdict.numbers,
                        },
                    },
                )
        except IntegrityError:
            continue  # awarded concurrently
        if not created:
            continue
        awarded.append(award)
        record_event(
            "progress.badge_awarded",
            school=student.school,
            target=award,
            target_label=definition.name[:200],
            changes={"student": student.pk, "reasons": verdict.reasons},
        )
        from django.urls import reverse

        from accounts.services.notifications import notify

        for user in _recipients(student):
            notify(
                user,
                BADGE_AWARDED,
                _("New badge for %(name)s: %(badge)s") % {"name": student.display_name, "badge": definition.name},
                "; ".join(verdict.reasons),
                url=reverse("progress-student", args=[student.pk]),
            )
    return awarded


def evaluate_students(student_ids) -> int:
    from physed.models import Student

    total = 0
    for student in Student.objects.filter(pk__in=student_ids).select_related("school", "user"):
        total += len(evaluate_student(student))
    return total


def evaluate_all(school=None) -> int:
    """Every active student (of ``school``): the nightly task and the end of the demo."""
    from physed.models import Student, StudentStatus

    rows = Student.objects.filter(status=StudentStatus.ACTIVE)
    if school is not None:
        rows = rows.filter(school=school)
    return evaluate_students(list(rows.values_list("pk", flat=True)))
