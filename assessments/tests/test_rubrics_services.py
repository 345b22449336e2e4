"""Rubric scoring math, structure validation, self/peer rules, copy and archive."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.services.errors import ServiceError
from accounts.tests.factories import make_member
from assessments.engines.rubric_scoring import weighted_score
from assessments.models import AssessmentMode, CriterionScore, Rubric, SkillAssessment
from assessments.selectors.rubrics import skill_summary
from assessments.services import rubrics as services
from assessments.tests.factories import RubricFactory, class_with_students, link_student_user
from physed.tests.factories import ClassSessionFactory, StudentFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 6)


def _levels(rubric, *names):
    criteria = list(rubric.criteria.order_by("position"))
    levels = {lv.name: lv.pk for lv in rubric.levels.all()}
    return {c.pk: levels[name] for c, name in zip(criteria, names, strict=True)}


def test_weighted_score_exact_values():
    # Technique ×2 at 2 of 3 points, Effort ×1 at 3 of 3: (4 + 3) / (6 + 3) × 100 = 77.78 → 77.8
    assert weighted_score([(2, 2), (1, 3)], 3) == Decimal("77.8")
    assert weighted_score([(1, 3), (1, 3)], 3) == Decimal("100.0")
    assert weighted_score([(Decimal("1.5"), 0), (Decimal("0.5"), 4)], 4) == Decimal("25.0")
    assert weighted_score([], 3) == Decimal("0.0")


def test_teacher_scores_a_student(school, teacher):
    rubric = RubricFactory(school=school)
    pe_class, (kid, _other) = class_with_students(school)
    assessment = services.score_student(
        actor=teacher,
        rubric=rubric,
        student=kid,
        levels=_levels(rubric, "Developing", "Proficient"),
        mode="teacher",
        date=DAY,
        pe_class=pe_class,
        comment="Step with the opposite foot",
    )
    assert assessment.score == Decimal("77.8")
    assert assessment.mode == AssessmentMode.TEACHER
    assert sorted(CriterionScore.objects.filter(assessment=assessment).values_list("points", flat=True)) == [2, 3]
    # a second save the same day replaces the scores instead of adding a row
    again = services.score_student(
        actor=teacher,
        rubric=rubric,
        student=kid,
        levels=_levels(rubric, "Proficient", "Proficient"),
        mode="teacher",
        date=DAY,
        pe_class=pe_class,
    )
    assert again.pk == assessment.pk and again.score == Decimal("100.0")
    assert SkillAssessment.objects.count() == 1 and CriterionScore.objects.count() == 2


@pytest.mark.parametrize("case", ["missing", "foreign_level", "foreign_criterion", "garbage"])
def test_scores_outside_levels_are_refused_and_nothing_stored(school, teacher, case):
    rubric = RubricFactory(school=school)
    other = RubricFactory(school=school)
    kid = StudentFactory(school=school)
    levels = _levels(rubric, "Developing", "Proficient")
    first = next(iter(levels))
    if case == "missing":
        levels.pop(first)
    elif case == "foreign_level":
        levels[first] = other.levels.first().pk
    elif case == "foreign_criterion":
        levels[other.criteria.first().pk] = rubric.levels.first().pk
    else:
        levels = {"x": "y"}
    with pytest.raises(ServiceError) as exc:
        services.score_student(actor=teacher, rubric=rubric, student=kid, levels=levels, mode="teacher", date=DAY)
    assert exc.value.field == "levels"
    assert "outside levels" in exc.value.message
    assert SkillAssessment.objects.count() == 0 and CriterionScore.objects.count() == 0


def test_assistant_cannot_score(school, assistant):
    rubric = RubricFactory(school=school)
    kid = StudentFactory(school=school)
    with pytest.raises(ServiceError) as exc:
        services.score_student(
            actor=assistant, rubric=rubric, student=kid, levels=_levels(rubric, "Beginning", "Beginning"), date=DAY
        )
    assert exc.value.status == 403
    assert SkillAssessment.objects.count() == 0


def test_self_assessment_rules(school, teacher, student):
    rubric = RubricFactory(school=school)
    pe_class, (kid, classmate) = class_with_students(school)
    link_student_user(kid, user=student)
    levels = _levels(rubric, "Proficient", "Developing")
    # not yet used in the class and not a template: refused
    with pytest.raises(ServiceError):
        services.score_student(actor=student, rubric=rubric, student=kid, levels=levels, mode="self", date=DAY)
    teacher_row = services.score_student(
        actor=teacher,
        rubric=rubric,
        student=kid,
        levels=_levels(rubric, "Beginning", "Beginning"),
        mode="teacher",
        date=DAY,
        pe_class=pe_class,
    )
    mine = services.score_student(actor=student, rubric=rubric, student=kid, levels=levels, mode="self", date=DAY)
    assert mine.mode == "self" and mine.score == Decimal("88.9")  # (6 + 2) / 9
    teacher_row.refresh_from_db()
    assert teacher_row.score == Decimal("33.3")  # the teacher's score is untouched
    # never about a classmate, never as teacher
    with pytest.raises(ServiceError) as exc:
        services.score_student(actor=student, rubric=rubric, student=classmate, levels=levels, mode="self", date=DAY)
    assert exc.value.status == 403
    with pytest.raises(ServiceError) as exc:
        services.score_student(actor=student, rubric=rubric, student=kid, levels=levels, mode="teacher", date=DAY)
    assert exc.value.status == 403
    assert SkillAssessment.objects.count() == 2


def test_peer_assessment_needs_peer_mode_and_the_same_class(school, teacher, student):
    rubric = RubricFactory(school=school, shared=True)
    pe_class, (kid, classmate) = class_with_students(school)
    link_student_user(kid, user=student)
    other_class, (stranger,) = class_with_students(school, count=1)
    levels = _levels(rubric, "Developing", "Developing")
    with pytest.raises(ServiceError) as exc:
        services.score_student(
            actor=student, rubric=rubric, student=classmate, levels=levels, mode="peer", date=DAY, pe_class=pe_class
        )
    assert exc.value.field == "mode"
    rubric.peer_mode = True
    rubric.save()
    with pytest.raises(ServiceError) as exc:
        services.score_student(
            actor=student, rubric=rubric, student=stranger, levels=levels, mode="peer", date=DAY, pe_class=other_class
        )
    assert exc.value.status == 403
    row = services.score_student(
        actor=student, rubric=rubric, student=classmate, levels=levels, mode="peer", date=DAY, pe_class=pe_class
    )
    assert row.mode == "peer" and row.peer == kid and row.score == Decimal("66.7")
    assert SkillAssessment.objects.count() == 1


def test_structure_validation_stores_nothing(school, teacher):
    good_levels = [{"name": "Beginning", "points": 1}, {"name": "Proficient", "points": 3}]
    good_criteria = [{"name": "Step", "weight": 1}]
    bad = [
        ([], good_levels, "criteria"),
        (good_criteria, good_levels[:1], "levels"),
        (good_criteria, [{"name": "A", "points": 1}, {"name": "a", "points": 2}], "levels"),
        (good_criteria, [{"name": "A", "points": 1}, {"name": "B", "points": 1}], "levels"),
        ([{"name": "Step", "weight": 0}], good_levels, "criteria"),
    ]
    for criteria, levels, field in bad:
        with pytest.raises(ServiceError) as exc:
            services.create_rubric(actor=teacher, school=school, title="Throw", criteria=criteria, levels=levels)
        assert exc.value.field == field
    assert Rubric.objects.count() == 0
    rubric = services.create_rubric(
        actor=teacher,
        school=school,
        title="Throw",
        criteria=[{"name": "Step", "weight": 2, "descriptors": ["Same foot", "Opposite foot"]}],
        levels=good_levels,
    )
    assert rubric.owner == teacher
    assert [(d.level.name, d.text) for d in rubric.criteria.get().descriptors.order_by("level__points")] == [
        ("Beginning", "Same foot"),
        ("Proficient", "Opposite foot"),
    ]


def test_copy_and_archive(school, teacher, department_head):
    template = RubricFactory(school=school, shared=True, owner=department_head)
    copy = services.copy_rubric(actor=teacher, rubric=template)
    assert copy.owner == teacher and not copy.shared and copy.title.endswith("(copy)")
    assert list(copy.criteria.values_list("name", "weight")) == [
        ("Technique", Decimal("2.00")),
        ("Effort", Decimal("1.00")),
    ]
    assert list(copy.levels.values_list("name", flat=True)) == ["Beginning", "Developing", "Proficient"]
    kid = StudentFactory(school=school)
    services.score_student(
        actor=teacher, rubric=copy, student=kid, levels=_levels(copy, "Beginning", "Beginning"), date=DAY
    )
    with pytest.raises(ServiceError) as exc:
        services.update_rubric(
            actor=teacher, rubric=copy, levels=[{"name": "A", "points": 1}, {"name": "B", "points": 2}]
        )
    assert exc.value.code == "rubric_in_use"
    assert services.delete_rubric(actor=teacher, rubric=copy) == "archived"
    copy.refresh_from_db()
    assert copy.archived
    unused = services.copy_rubric(actor=teacher, rubric=template)
    assert services.delete_rubric(actor=teacher, rubric=unused) == "deleted"


def test_skill_summary_keeps_self_apart(school, teacher, student):
    rubric = RubricFactory(school=school, shared=True, title="Overhand throw")
    kid = link_student_user(StudentFactory(school=school), user=student)
    services.score_student(
        actor=teacher, rubric=rubric, student=kid, levels=_levels(rubric, "Beginning", "Beginning"), date=DAY
    )
    services.score_student(
        actor=teacher,
        rubric=rubric,
        student=kid,
        levels=_levels(rubric, "Proficient", "Developing"),
        date=DAY + datetime.timedelta(days=7),
    )
    services.score_student(
        actor=student,
        rubric=rubric,
        student=kid,
        levels=_levels(rubric, "Proficient", "Proficient"),
        mode="self",
        date=DAY,
    )
    [row] = skill_summary(kid, start=DAY, end=DAY + datetime.timedelta(days=30))
    assert row["title"] == "Overhand throw" and row["count"] == 2
    assert row["teacher"]["score"] == Decimal("88.9") and row["teacher"]["date"] == DAY + datetime.timedelta(days=7)
    assert row["teacher"]["levels"] == [
        {"criterion": "Technique", "level": "Proficient"},
        {"criterion": "Effort", "level": "Developing"},
    ]
    assert row["self"]["score"] == Decimal("100.0") and row["peer"] is None


def test_other_school_student_refused(school, other_school, teacher):
    rubric = RubricFactory(school=school)
    kid = StudentFactory(school=other_school)
    with pytest.raises(ServiceError):
        services.score_student(
            actor=teacher, rubric=rubric, student=kid, levels=_levels(rubric, "Beginning", "Beginning"), date=DAY
        )
    assert SkillAssessment.objects.count() == 0


def test_session_must_be_of_the_class(school, teacher):
    rubric = RubricFactory(school=school)
    pe_class, (kid, _x) = class_with_students(school)
    session = ClassSessionFactory(pe_class=class_with_students(school, 1)[0])
    with pytest.raises(ServiceError) as exc:
        services.score_student(
            actor=teacher,
            rubric=rubric,
            student=kid,
            levels=_levels(rubric, "Beginning", "Beginning"),
            date=DAY,
            pe_class=pe_class,
            session=session,
        )
    assert exc.value.field == "session"


def test_custom_role_owner_rule(school):
    viewer = make_member(school, Role.ASSISTANT)
    rubric = RubricFactory(school=school, owner=viewer)
    with pytest.raises(ServiceError):
        services.update_rubric(actor=viewer, rubric=rubric, title="Mine?")
