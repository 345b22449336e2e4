"""Demo rubrics and feedback: seeded through the services, idempotent."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_member
from assessments import demo_feedback, demo_rubrics
from assessments.models import Feedback, Rubric, SkillAssessment
from assessments.tests.factories import class_with_students, link_student_user

pytestmark = pytest.mark.django_db


def test_demo_seeds_rubrics_scores_and_feedback_once(school):
    head = make_member(school, Role.DEPARTMENT_HEAD, email=f"head@{school.slug}.demo")
    make_member(school, Role.TEACHER, email=f"teacher@{school.slug}.demo")
    student_user = make_member(school, Role.STUDENT, email=f"student@{school.slug}.demo")
    guardian_user = make_member(school, Role.GUARDIAN, email=f"guardian@{school.slug}.demo")
    _pe_class, (sky, classmate) = class_with_students(school)
    link_student_user(sky, user=student_user, guardian=guardian_user)
    link_student_user(classmate, user=make_member(school, Role.STUDENT))
    context = {"schools": {school.slug: school}}
    for _ in range(2):
        demo_rubrics.seed(context)
        demo_feedback.seed(context)
    assert sorted(Rubric.objects.values_list("title", "shared")) == [
        ("Cooperative play", False),
        ("Dribbling while moving", True),
        ("Overhand throw", True),
    ]
    assert Rubric.objects.get(title="Overhand throw").owner == head
    # two teacher windows for both students in the one class, one self and one peer for Sky
    assert SkillAssessment.objects.filter(mode="teacher").count() == 4
    assert SkillAssessment.objects.get(mode="self").student == sky
    assert SkillAssessment.objects.get(mode="peer").peer == classmate
    assert sorted(Feedback.objects.values_list("kind", "visibility")) == [
        ("guardian_comment", "family"),
        ("student_reflection", "family"),
        ("teacher_comment", "family"),
        ("teacher_comment", "family"),
        ("teacher_comment", "staff"),
    ]
    assert all(0 <= a.score <= 100 for a in SkillAssessment.objects.all())
