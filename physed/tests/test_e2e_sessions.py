"""End-to-end: the one-tap attendance flow in a real headless Chromium (pattern and fixtures of
tests/test_e2e_browser.py). A teacher signs in, opens the attendance page (everyone present),
marks one student absent, saves and sees the summary on the live session page."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from physed.models import AttendanceRecord
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory
from physed.tests.factories_sessions import ClassSessionFactory
from tests.test_e2e_browser import _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_session(transactional_db):
    school = SchoolFactory(slug="e2e-sessions", name="Hillside School")
    teacher = make_member(school, Role.TEACHER, email="e2e.sessions@example.org")
    teacher.set_password(settings.DEMO_PASSWORD)
    teacher.save(update_fields=["password"])
    pe_class = PEClassFactory(school=school, name="PE 8 Green")
    names = [("Ana", "Alvarez"), ("Ben", "Brooks"), ("Cleo", "Chen")]
    students = [
        EnrollmentFactory(
            pe_class=pe_class,
            student__school=school,
            student__first_name=first,
            student__last_name=last,
            start_date=datetime.date(2020, 1, 1),
        ).student
        for first, last in names
    ]
    session = ClassSessionFactory(pe_class=pe_class, date=timezone.localdate(), title="Net games")
    return teacher, session, students


def test_one_tap_attendance(page, running_session, live_server):  # noqa: F811
    teacher, session, _students = running_session
    _sign_in(page, teacher.email, settings.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/dashboard/")

    page.goto(f"/sessions/{session.pk}/attendance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    rows = page.locator("fieldset.ses-row")
    expect(rows).to_have_count(3)
    # everyone starts as present
    for index in range(3):
        expect(rows.nth(index).get_by_role("radio", name="Present")).to_be_checked()

    ben = page.get_by_role("group", name="Ben Brooks")
    ben.get_by_text("Absent", exact=True).click()
    expect(ben.get_by_role("radio", name="Absent")).to_be_checked()
    page.get_by_role("button", name="Save attendance").click()

    page.wait_for_url(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Attendance saved: Present: 2, Absent: 1.")
    attendance = page.get_by_role("region", name="Attendance")
    expect(attendance).to_contain_text("Ben Brooks — Absent")
    statuses = dict(AttendanceRecord.objects.filter(session=session).values_list("student__first_name", "status"))
    assert statuses == {"Ana": "present", "Ben": "absent", "Cleo": "present"}
    assert page.recorder.failed == []
    assert page.recorder.console_errors == []
    assert page.recorder.csp_violations() == []
