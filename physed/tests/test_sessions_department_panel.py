"""The department head's dashboard card: figures for the current school, from real rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from physed.models import AttendanceStatus, SessionStatus
from physed.selectors.sessions import department_overview
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory, StudentFactory
from physed.tests.factories_sessions import AttendanceRecordFactory, ClassSessionFactory

pytestmark = pytest.mark.django_db


def _school_with_attendance(school):
    today = timezone.localdate()
    pe_class = PEClassFactory(school=school)
    students = [EnrollmentFactory(pe_class=pe_class).student for _ in range(4)]
    StudentFactory(school=school, status="graduated")
    held = ClassSessionFactory(
        pe_class=pe_class, date=today - datetime.timedelta(days=2), status=SessionStatus.COMPLETED
    )
    ClassSessionFactory(pe_class=pe_class, date=today + datetime.timedelta(days=2))  # planned: not held
    old = ClassSessionFactory(
        pe_class=pe_class, date=today - datetime.timedelta(days=40), status=SessionStatus.COMPLETED
    )
    for student, status in zip(students, ["present", "late", "absent", "sitting_out"], strict=True):
        AttendanceRecordFactory(session=held, student=student, status=status)
    AttendanceRecordFactory(session=old, student=students[0], status=AttendanceStatus.ABSENT)  # outside 28 days
    return pe_class


def test_overview_counts_classes_students_sessions_and_participation(school, other_school):
    _school_with_attendance(school)
    _school_with_attendance(other_school)
    figures = department_overview(school)
    assert figures == {"classes": 1, "students": 4, "sessions_week": 1, "participation": 50, "window_days": 28}


def test_overview_without_attendance_says_so(school):
    assert department_overview(school)["participation"] is None


def test_department_head_sees_the_card_and_a_student_does_not(client, school, department_head, student):
    _school_with_attendance(school)
    client.force_login(department_head)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Department overview" in html and "50&nbsp;%" in html
    client.force_login(student)
    assert "Department overview" not in client.get(reverse("dashboard")).content.decode()
