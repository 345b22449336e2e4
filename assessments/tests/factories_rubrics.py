"""Richer builders for rubrics, skill assessments and feedback tests."""

from assessments.tests.factories_core import RubricFactory
from physed.tests.factories import EnrollmentFactory, GuardianshipFactory, PEClassFactory, StudentFactory

__all__ = ["class_with_students", "link_student_user", "rubric_with_grid"]


def rubric_with_grid(school, **kwargs):
    """Two criteria (Technique ×2, Effort ×1) × Beginning 1 / Developing 2 / Proficient 3."""
    return RubricFactory(school=school, **kwargs)


def class_with_students(school, count=2):
    pe_class = PEClassFactory(school=school)
    students = [
        EnrollmentFactory(pe_class=pe_class, student=StudentFactory(school=school)).student for _ in range(count)
    ]
    return pe_class, students


def link_student_user(student, user=None, guardian=None):
    if user is not None:
        student.user = user
        student.save(update_fields=["user"])
    if guardian is not None:
        GuardianshipFactory(student=student, guardian=guardian)
    return student
