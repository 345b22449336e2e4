"""Fitness builders: the shipped tests/standards, and an event over a class with students."""

import datetime

from assessments.models import FitnessTest, TestEvent
from physed.models import Sex
from physed.tests.factories_sessions import class_with_students

__all__ = ["fitness_event", "shipped_tests"]


def shipped_tests() -> dict[str, FitnessTest]:
    from assessments.services.fitness_data import load_shipped

    if not FitnessTest.objects.filter(school=None, code="curl_up").exists():
        load_shipped()
    return {test.code: test for test in FitnessTest.objects.filter(school=None)}


def fitness_event(school, codes=("pacer_20m", "curl_up"), *, count=2, date=datetime.date(2026, 10, 5), ages=None):
    """An event of a new class in ``school`` with ``count`` enrolled students (girls then boys
    alternating; ``ages`` sets each student's age on ``date``). Returns (event, students, tests)."""
    tests = shipped_tests()
    pe_class, students = class_with_students(school, count)
    for index, student in enumerate(students):
        age = (ages or [12] * count)[index]
        student.date_of_birth = (
            datetime.date(date.year - age, 1, 15) if date.month > 1 else datetime.date(date.year - age - 1, 12, 31)
        )
        student.sex = Sex.FEMALE if index % 2 == 0 else Sex.MALE
        student.save()
    event = TestEvent.objects.create(pe_class=pe_class, name="Fall pre-test", window="Fall", date=date)
    event.tests.set([tests[code] for code in codes])
    return event, students, tests
