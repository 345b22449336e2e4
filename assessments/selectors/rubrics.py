"""Reads for rubrics and skill assessments, always scoped by the requesting user.

* Rubrics: staff with ``view_rubric`` read every rubric of their school; a student reads the
  rubrics available to them for self/peer assessment (``rubrics_for_student``).
* Skill assessments: staff with ``view_rubric`` read their school's; a student reads the ones about
  themselves and the peer assessments they gave; a guardian reads their child's.
* ``skill_summary`` is the stable contract for the reports area.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from accounts.selectors import has_school_perm, schools_where
from assessments.models import (
    AssessmentMode,
    CriterionScore,
    EvidenceFile,
    PerformanceLevel,
    Rubric,
    RubricCriterion,
    SkillAssessment,
)
from physed.models import Enrollment, EnrollmentStatus, Guardianship, Student

VIEW = "assessments.view_rubric"
ADD = "assessments.add_rubric"
CHANGE = "assessments.change_rubric"
DELETE = "assessments.delete_rubric"
SCORE = "assessments.add_skillassessment"
CHANGE_SCORE = "assessments.change_skillassessment"
DELETE_SCORE = "assessments.delete_skillassessment"


def rubric_detail_queryset(queryset=None):
    queryset = Rubric.objects.all() if queryset is None else queryset
    return queryset.select_related("school", "owner", "activity").prefetch_related(
        Prefetch(
            "criteria",
            queryset=RubricCriterion.objects.prefetch_related("indicators", "descriptors").order_by("position", "pk"),
        ),
        Prefetch("levels", queryset=PerformanceLevel.objects.order_by("position", "points")),
        "standards",
        "indicators",
    )


def rubrics_for(user, *, query: str = "", scope: str = "", include_archived: bool = False):
    """Rubrics the user may read as staff; ``scope`` "templates" (shared) or "mine" (owned)."""
    rows = Rubric.objects.visible_to(user).filter(school__in=schools_where(user, VIEW))
    if not include_archived:
        rows = rows.filter(archived=False)
    if scope == "templates":
        rows = rows.filter(shared=True)
    elif scope == "mine":
        rows = rows.filter(owner=user)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return rows.select_related("owner", "activity").annotate(
        criteria_count=Count("criteria", distinct=True), assessment_count=Count("assessments", distinct=True)
    )


def can_edit_rubric(user, rubric) -> bool:
    """The owner (with ``add_rubric``) edits their own; ``change_rubric`` holders edit any of the
    school's. (Teachers hold both; the owner rule matters for custom roles.)"""
    if user is None or not user.is_authenticated:
        return False
    if has_school_perm(user, CHANGE, rubric.school_id):
        return True
    return rubric.owner_id == user.pk and has_school_perm(user, ADD, rubric.school_id)


def student_record(user, school_id=None):
    """The ``Student`` row of a student user (optionally in one school), else None."""
    if user is None or not user.is_authenticated:
        return None
    rows = Student.objects.filter(user=user)
    if school_id is not None:
        rows = rows.filter(school_id=school_id)
    return rows.first()


def active_class_ids(student) -> set[int]:
    return set(
        Enrollment.objects.filter(student=student, status=EnrollmentStatus.ACTIVE).values_list("pe_class_id", flat=True)
    )


def rubric_used_in_class(rubric, pe_class_id) -> bool:
    return SkillAssessment.objects.filter(rubric=rubric, pe_class_id=pe_class_id, mode=AssessmentMode.TEACHER).exists()


def rubrics_for_student(student):
    """Rubrics a student may self-assess with: non-archived rubrics of their school that are
    school templates or were used by a teacher in one of their active classes."""
    classes = active_class_ids(student)
    used = SkillAssessment.objects.filter(rubric=OuterRef("pk"), pe_class_id__in=classes, mode=AssessmentMode.TEACHER)
    return (
        Rubric.objects.filter(school_id=student.school_id, archived=False)
        .filter(Q(shared=True) | Exists(used))
        .order_by("title", "pk")
    )


def assessments_for(user):
    """Skill assessments ``user`` may read (see the module docstring)."""
    if user is None or not user.is_authenticated:
        return SkillAssessment.objects.none()
    guardian_of = Guardianship.objects.filter(guardian=user, student=OuterRef("student"))
    return SkillAssessment.objects.visible_to(user).filter(
        Q(student__school__in=schools_where(user, VIEW))
        | Q(student__user=user)
        | Q(peer__user=user)
        | Exists(guardian_of)
    )


def assessment_detail_queryset(queryset=None):
    queryset = SkillAssessment.objects.all() if queryset is None else queryset
    return queryset.select_related("rubric", "student", "pe_class", "session", "assessor", "peer").prefetch_related(
        Prefetch(
            "scores",
            queryset=CriterionScore.objects.select_related("criterion", "level").order_by(
                "criterion__position", "criterion__pk"
            ),
        ),
        Prefetch("evidence", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk")),
    )


def can_view_student_skills(user, student) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if has_school_perm(user, VIEW, student.school_id) or student.user_id == user.pk:
        return True
    return Guardianship.objects.filter(student=student, guardian=user).exists()


def student_assessments(student, *, start=None, end=None):
    rows = assessment_detail_queryset(SkillAssessment.objects.filter(student=student))
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return rows.order_by("-date", "-pk")


def skill_summary(student, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per rubric used on ``student`` in [start, end]: ``rubric_id``, ``title``, ``teacher`` (the
    latest teacher assessment: ``score``, ``date``, ``levels`` = [{criterion, level}]),
    ``self`` and ``peer`` (same shape for the latest of that mode, or None) and ``count`` (number of
    teacher assessments). Teacher results are never mixed with self/peer ones."""
    by_rubric: dict[int, dict] = {}
    for assessment in student_assessments(student, start=start, end=end):
        entry = by_rubric.setdefault(
            assessment.rubric_id,
            {
                "rubric_id": assessment.rubric_id,
                "title": assessment.rubric.title,
                "teacher": None,
                "self": None,
                "peer": None,
                "count": 0,
            },
        )
        if assessment.mode == AssessmentMode.TEACHER:
            entry["count"] += 1
        if entry[assessment.mode] is None:  # rows come newest first
            entry[assessment.mode] = {
                "assessment_id": assessment.pk,
                "score": assessment.score,
                "date": assessment.date,
                "levels": [{"criterion": s.criterion.name, "level": s.level.name} for s in assessment.scores.all()],
            }
    return sorted(by_rubric.values(), key=lambda row: (row["title"], row["rubric_id"]))
