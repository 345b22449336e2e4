"""Builders for the analytics tests: a class with students, test events in two windows and
results with given values and zones (written straight to the table — classification is the
fitness area's job and is not what these tests check)."""

import datetime

from assessments.models import FitnessResult, FitnessTest, TestComponent, TestEvent
from physed.models import AttendanceRecord, ClassSession, Enrollment, PEClass, SessionStatus, Student

__all__ = ["analytics_class", "analytics_event", "analytics_result", "analytics_test", "attendance_for"]


def analytics_test(code="pacer_20m", *, higher_is_better=True, body=False, position=1, unit="laps") -> FitnessTest:
    test, _created = FitnessTest.objects.get_or_create(
        school=None,
        code=code,
        defaults={
            "name": code.replace("_", " ").title(),
            "component": TestComponent.BODY_COMPOSITION if body else TestComponent.AEROBIC,
            "unit": unit,
            "higher_is_better": higher_is_better,
            "plausible_min": 0,
            "plausible_max": 250,
            "is_body_composition": body,
            "position": position,
        },
    )
    return test


def analytics_class(school, *, students=4, grades=None, name="PE 7A", teachers=()) -> tuple[PEClass, list[Student]]:
    from physed.services.roster_classes import set_teachers

    pe_class = PEClass.objects.create(
        school=school, name=name, school_year=2026, grade_from=6, grade_to=8, capacity=30, location="Gym"
    )
    people = []
    for number in range(students):
        grade = (grades or [7] * students)[number]
        student = Student.objects.create(
            school=school,
            first_name=f"S{number}",
            last_name=f"{name}-{number}",
            grade=grade,
            sex="F" if number % 2 else "M",
            date_of_birth=datetime.date(2013, 3, 1),
            external_id=f"{name}-{number}",
        )
        Enrollment.objects.create(pe_class=pe_class, student=student, start_date=datetime.date(2026, 8, 20))
        people.append(student)
    if teachers:
        set_teachers(pe_class, list(teachers))
    return pe_class, people


def analytics_event(pe_class, *, window="Fall", date=datetime.date(2026, 9, 15), tests=()) -> TestEvent:
    event = TestEvent.objects.create(pe_class=pe_class, name=f"{window} testing", window=window, date=date)
    event.tests.set(tests)
    return event


def analytics_result(event, student, test, value, zone="") -> FitnessResult:
    from assessments.services.fitness_latest import refresh_latest

    result = FitnessResult.objects.create(event=event, student=student, test=test, value=value, zone=zone)
    refresh_latest([student.pk])  # as the fitness services do
    return result


def attendance_for(pe_class, student, statuses: list[str], *, first=datetime.date(2026, 9, 1)) -> None:
    for offset, status in enumerate(statuses):
        session, _created = ClassSession.objects.get_or_create(
            pe_class=pe_class,
            date=first + datetime.timedelta(days=offset),
            defaults={"period": "1", "status": SessionStatus.COMPLETED},
        )
        AttendanceRecord.objects.create(session=session, student=student, status=status)
