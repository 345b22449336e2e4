"""Writes for rubrics and skill assessments (keyword-only, atomic, audited).

Rubric structure rules: at least one criterion, at least two performance levels, level names unique
(case-insensitive), level points distinct and ≥ 0, weights > 0. The criteria × levels of a rubric
that has assessments are frozen (scores point at them): copy it to change the structure. A rubric
with assessments is archived instead of deleted.

Scoring (``score_student``) modes:

* ``teacher`` — staff holding ``add_skillassessment`` in the student's school;
* ``self`` — a student on their own record, with a rubric available to them (a school template
  or one a teacher used in one of their active classes);
* ``peer`` — a student on a classmate: both actively enrolled in ``pe_class``, the rubric used by a
  teacher in that class (or a template) and the rubric's ``peer_mode`` switched on by staff.

Saving again for the same student, rubric, date, mode, session and assessor replaces the earlier
scores (a teacher re-tapping a level in the gym); self and peer rows never touch teacher rows.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.selectors import has_school_perm
from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assessments.engines.rubric_scoring import weighted_score
from assessments.models import (
    AssessmentMode,
    CriterionScore,
    LevelDescriptor,
    PerformanceLevel,
    Rubric,
    RubricCriterion,
    SkillAssessment,
)
from assessments.selectors import rubrics as sel
from physed.models import Enrollment, EnrollmentStatus

RUBRIC_FIELDS = ("title", "description", "activity", "grade_from", "grade_to", "shared", "peer_mode", "archived")


def _denied():
    return ServiceError(_("You do not have permission to do this."), code="permission_denied", status=403)


def _decimal(value, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ServiceError(_("Enter a number."), field=field) from None
    if not number.is_finite():
        raise ServiceError(_("Enter a number."), field=field)
    return number


def validate_structure(criteria: list[dict], levels: list[dict]) -> None:
    if not criteria:
        raise ServiceError(_("A rubric needs at least one criterion."), field="criteria")
    if len(levels) < 2:
        raise ServiceError(_("A rubric needs at least two performance levels."), field="levels")
    names, points = set(), set()
    for level in levels:
        name = (level.get("name") or "").strip()
        if not name:
            raise ServiceError(_("Every level needs a name."), field="levels")
        if name.casefold() in names:
            raise ServiceError(_("Level names must be unique (“%(name)s” repeats).") % {"name": name}, field="levels")
        names.add(name.casefold())
        value = _decimal(level.get("points"), field="levels")
        if value < 0 or value > 999:
            raise ServiceError(_("Level points must be between 0 and 999."), field="levels")
        if value in points:
            raise ServiceError(_("Each level needs different points."), field="levels")
        points.add(value)
    if max(points) <= 0:
        raise ServiceError(_("The top level must be worth more than 0 points."), field="levels")
    for criterion in criteria:
        if not (criterion.get("name") or "").strip():
            raise ServiceError(_("Every criterion needs a name."), field="criteria")
        weight = _decimal(criterion.get("weight", 1), field="criteria")
        if weight <= 0 or weight > 999:
            raise ServiceError(_("Criterion weights must be greater than 0 (and below 1000)."), field="criteria")
        if len(criterion.get("descriptors") or []) > len(levels):
            raise ServiceError(_("There are more descriptors than levels."), field="criteria")


def _check_alignment(school, *, activity=None, grade_from=None, grade_to=None):
    if activity is not None and activity.school_id not in (None, school.pk):
        raise ServiceError(_("Choose an activity of your school."), field="activity")
    if grade_from is not None and grade_to is not None and grade_from > grade_to:
        raise ServiceError(_("The lowest grade must not be above the highest."), field="grade_to")


def _write_structure(rubric, criteria: list[dict], levels: list[dict]) -> None:
    rubric.criteria.all().delete()
    rubric.levels.all().delete()
    level_rows = [
        PerformanceLevel.objects.create(
            rubric=rubric, name=level["name"].strip(), points=_decimal(level["points"], field="levels"), position=index
        )
        for index, level in enumerate(levels)
    ]
    for index, item in enumerate(criteria):
        criterion = RubricCriterion.objects.create(
            rubric=rubric,
            name=item["name"].strip(),
            description=item.get("description", "") or "",
            weight=_decimal(item.get("weight", 1), field="criteria"),
            position=index,
        )
        if item.get("indicators"):
            criterion.indicators.set(item["indicators"])
        LevelDescriptor.objects.bulk_create(
            LevelDescriptor(criterion=criterion, level=level_rows[position], text=text.strip())
            for position, text in enumerate(item.get("descriptors") or [])
            if text and text.strip()
        )


@transaction.atomic
def create_rubric(
    *, actor, school, title: str, criteria: list[dict], levels: list[dict], standards=(), indicators=(), **fields
) -> Rubric:
    if actor is not None and not has_school_perm(actor, sel.ADD, school.pk):
        raise _denied()
    if not (title or "").strip():
        raise ServiceError(_("Give the rubric a title."), field="title")
    validate_structure(criteria, levels)
    _check_alignment(
        school,
        activity=fields.get("activity"),
        grade_from=fields.get("grade_from", 0),
        grade_to=fields.get("grade_to", 12),
    )
    values = {key: value for key, value in fields.items() if key in RUBRIC_FIELDS}
    rubric = Rubric.objects.create(school=school, title=title.strip(), owner=actor, **values)
    rubric.standards.set(standards)
    rubric.indicators.set(indicators)
    _write_structure(rubric, criteria, levels)
    record_event("assessments.rubric_created", actor=actor, school=school, target=rubric, target_label=rubric.title)
    return rubric


@transaction.atomic
def update_rubric(*, actor, rubric: Rubric, criteria=None, levels=None, standards=None, indicators=None, **fields):
    if actor is not None and not sel.can_edit_rubric(actor, rubric):
        raise _denied()
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if "title" in fields and not (fields["title"] or "").strip():
        raise ServiceError(_("Give the rubric a title."), field="title")
    _check_alignment(
        rubric.school,
        activity=fields.get("activity"),
        grade_from=fields.get("grade_from", rubric.grade_from),
        grade_to=fields.get("grade_to", rubric.grade_to),
    )
    changes = {}
    for key, value in fields.items():
        if key in RUBRIC_FIELDS and getattr(rubric, key) != value:
            changes[key] = [str(getattr(rubric, key)), str(value)]
            setattr(rubric, key, value)
    rubric.save()
    if standards is not None:
        rubric.standards.set(standards)
    if indicators is not None:
        rubric.indicators.set(indicators)
    if criteria is not None or levels is not None:
        if rubric.assessments.exists():
            raise ServiceError(
                _("This rubric has been used to assess students; copy it to change its criteria or levels."),
                field="criteria",
                code="rubric_in_use",
            )
        criteria = criteria if criteria is not None else _current_criteria(rubric)
        levels = (
            levels if levels is not None else [{"name": lv.name, "points": lv.points} for lv in rubric.levels.all()]
        )
        validate_structure(criteria, levels)
        _write_structure(rubric, criteria, levels)
        changes["structure"] = ["", "replaced"]
    record_event(
        "assessments.rubric_updated",
        actor=actor,
        school=rubric.school,
        target=rubric,
        changes=changes,
        target_label=rubric.title,
    )
    return rubric


def _current_criteria(rubric) -> list[dict]:
    levels = list(rubric.levels.order_by("position", "points"))
    rows = []
    for criterion in rubric.criteria.order_by("position", "pk").prefetch_related("descriptors", "indicators"):
        texts = {d.level_id: d.text for d in criterion.descriptors.all()}
        rows.append(
            {
                "name": criterion.name,
                "description": criterion.description,
                "weight": criterion.weight,
                "indicators": list(criterion.indicators.all()),
                "descriptors": [texts.get(level.pk, "") for level in levels],
            }
        )
    return rows


@transaction.atomic
def copy_rubric(*, actor, rubric: Rubric, title: str = "") -> Rubric:
    """A private copy owned by ``actor`` of a school template (or of a rubric the actor may edit)."""
    if actor is not None and not has_school_perm(actor, sel.ADD, rubric.school_id):
        raise _denied()
    if actor is not None and not rubric.shared and not sel.can_edit_rubric(actor, rubric):
        raise _denied()
    copy = Rubric.objects.create(
        school=rubric.school,
        title=(title or "").strip() or _("%(title)s (copy)") % {"title": rubric.title},
        description=rubric.description,
        activity=rubric.activity,
        grade_from=rubric.grade_from,
        grade_to=rubric.grade_to,
        owner=actor,
    )
    copy.standards.set(rubric.standards.all())
    copy.indicators.set(rubric.indicators.all())
    levels = [{"name": lv.name, "points": lv.points} for lv in rubric.levels.order_by("position", "points")]
    _write_structure(copy, _current_criteria(rubric), levels)
    record_event(
        "assessments.rubric_copied",
        actor=actor,
        school=rubric.school,
        target=copy,
        changes={"source": ["", str(rubric.pk)]},
        target_label=copy.title,
    )
    return copy


@transaction.atomic
def delete_rubric(*, actor, rubric: Rubric) -> str:
    """Deletes an unused rubric; archives one with assessments. Returns "deleted" or "archived"."""
    if actor is not None and not (
        has_school_perm(actor, sel.DELETE, rubric.school_id)
        or (rubric.owner_id == actor.pk and sel.can_edit_rubric(actor, rubric))
    ):
        raise _denied()
    if rubric.assessments.exists():
        rubric.archived = True
        rubric.save(update_fields=["archived", "updated_at"])
        outcome = "archived"
    else:
        rubric.delete()
        outcome = "deleted"
    record_event(
        f"assessments.rubric_{outcome}",
        actor=actor,
        school=rubric.school,
        target_type="assessments.rubric",
        target_id=str(rubric.pk) if rubric.pk else "",
        target_label=rubric.title,
    )
    return outcome


def _check_scoring_rights(*, actor, rubric, student, mode, pe_class, peer):
    """Returns the peer Student row (peer mode) after the mode's rules; raises otherwise."""
    if mode == AssessmentMode.TEACHER:
        if actor is not None and not has_school_perm(actor, sel.SCORE, student.school_id):
            raise _denied()
        return None
    own = sel.student_record(actor, student.school_id) if actor is not None else peer
    if own is None:
        raise _denied()
    if mode == AssessmentMode.SELF:
        if own.pk != student.pk:
            raise ServiceError(
                _("A self-assessment is about yourself."), field="student", status=403, code="permission_denied"
            )
        if not sel.rubrics_for_student(student).filter(pk=rubric.pk).exists():
            raise ServiceError(_("This rubric is not used in your classes."), field="rubric")
        if pe_class is not None and pe_class.pk not in sel.active_class_ids(student):
            raise ServiceError(_("Choose one of your classes."), field="pe_class")
        return None
    # peer
    if own.pk == student.pk:
        raise ServiceError(_("Use self-assessment for your own record."), field="student")
    if not rubric.peer_mode:
        raise ServiceError(
            _("Peer assessment is not switched on for this rubric."), field="mode", status=403, code="permission_denied"
        )
    if pe_class is None:
        raise ServiceError(_("Peer assessment needs the class."), field="pe_class")
    enrolled = set(
        Enrollment.objects.filter(
            pe_class=pe_class, status=EnrollmentStatus.ACTIVE, student__in=[own, student]
        ).values_list("student_id", flat=True)
    )
    if enrolled != {own.pk, student.pk}:
        raise ServiceError(
            _("You can only assess classmates in your class."), field="student", status=403, code="permission_denied"
        )
    if not (rubric.shared or sel.rubric_used_in_class(rubric, pe_class.pk)):
        raise ServiceError(_("This rubric is not used in this class."), field="rubric")
    return own


@transaction.atomic
def score_student(
    *,
    actor,
    rubric: Rubric,
    student,
    levels: dict,
    mode: str = AssessmentMode.TEACHER,
    date: datetime.date | None = None,
    pe_class=None,
    session=None,
    comment: str = "",
    peer=None,
) -> SkillAssessment:
    """Scores ``student`` on every criterion of ``rubric`` (``levels`` = {criterion_id: level_id}).
    Any criterion missing or a level not of this rubric → 400 "rubric scores outside levels"."""
    if mode not in AssessmentMode.values:
        raise ServiceError(_("Choose teacher, self or peer."), field="mode")
    if rubric.school_id != student.school_id:
        raise ServiceError(_("Choose a student of the rubric's school."), field="student")
    if rubric.archived:
        raise ServiceError(_("This rubric is archived."), field="rubric")
    if pe_class is not None and pe_class.school_id != student.school_id:
        raise ServiceError(_("Choose a class of the student's school."), field="pe_class")
    if session is not None:
        if pe_class is None:
            pe_class = session.pe_class
        if session.pe_class_id != pe_class.pk:
            raise ServiceError(_("The session is not of this class."), field="session")
    peer_student = _check_scoring_rights(
        actor=actor, rubric=rubric, student=student, mode=mode, pe_class=pe_class, peer=peer
    )
    if (
        mode == AssessmentMode.TEACHER
        and pe_class is not None
        and not Enrollment.objects.filter(pe_class=pe_class, student=student).exists()
    ):
        raise ServiceError(_("The student is not in this class."), field="student")
    date = date or datetime.date.today()
    criteria = {c.pk: c for c in rubric.criteria.all()}
    level_rows = {lv.pk: lv for lv in rubric.levels.all()}
    try:
        chosen = {int(key): int(value) for key, value in (levels or {}).items()}
    except (TypeError, ValueError):
        chosen = None
    if chosen is None or set(chosen) != set(criteria) or any(v not in level_rows for v in chosen.values()):
        raise ServiceError(
            _("Rubric scores outside levels: score every criterion with one of this rubric's levels."),
            field="levels",
            code="rubric_scores_outside_levels",
        )
    max_points = max(lv.points for lv in level_rows.values())
    score = weighted_score([(criteria[cid].weight, level_rows[lid].points) for cid, lid in chosen.items()], max_points)
    assessor = actor if actor is not None else None
    match = SkillAssessment.objects.filter(
        rubric=rubric,
        student=student,
        date=date,
        mode=mode,
        session=session,
        pe_class=pe_class,
        peer=peer_student,
        assessor=assessor,
    ).first()
    if match is None:
        assessment = SkillAssessment.objects.create(
            rubric=rubric,
            student=student,
            date=date,
            mode=mode,
            session=session,
            pe_class=pe_class,
            peer=peer_student,
            assessor=assessor,
            score=score,
            comment=comment or "",
        )
        action = "assessments.skill_scored"
    else:
        assessment = match
        assessment.score, assessment.comment = score, comment or ""
        assessment.save(update_fields=["score", "comment", "updated_at"])
        assessment.scores.all().delete()
        action = "assessments.skill_rescored"
    CriterionScore.objects.bulk_create(
        CriterionScore(
            assessment=assessment, criterion=criteria[cid], level=level_rows[lid], points=level_rows[lid].points
        )
        for cid, lid in chosen.items()
    )
    record_event(
        action,
        actor=actor,
        school=student.school,
        target=assessment,
        changes={"score": ["", str(score)], "mode": ["", mode]},
        target_label=str(student),
    )
    return assessment


@transaction.atomic
def delete_assessment(*, actor, assessment: SkillAssessment) -> None:
    """Staff with ``delete_skillassessment``; a student may delete their own self/peer rows."""
    own = assessment.mode != AssessmentMode.TEACHER and actor is not None and assessment.assessor_id == actor.pk
    if actor is not None and not own and not has_school_perm(actor, sel.DELETE_SCORE, assessment.student.school_id):
        raise _denied()
    record_event(
        "assessments.skill_deleted",
        actor=actor,
        school=assessment.student.school,
        target=assessment,
        target_label=str(assessment.student),
    )
    for evidence in assessment.evidence.all():
        evidence.file.delete(save=False)
    assessment.delete()
