"""End-to-end, in a real headless Chromium: the main flow of each role through the real pages
(issue 10 §5), with what is stored and what the page shows asserted after each.

Flows that already have their own e2e test are not repeated here:
- teacher takes attendance: physed/tests/test_e2e_sessions.py::test_one_tap_attendance;
- teacher records a near miss (phone size): safety/tests/test_e2e_live_panel.py;
- guardian signs in and reads their child's published report:
  assessments/tests/test_e2e_reports.py::test_guardian_reads_the_published_report_in_spanish.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ErasureRequest, Membership, Role
from accounts.services.privacy import request_erasure
from accounts.tests.factories import SchoolFactory, make_member
from physed.models import AttendanceRecord, AttendanceStatus, PerformanceResult
from physed.tests.factories_roster import EnrollmentFactory, PEClassFactory
from physed.tests.factories_sessions import ClassSessionFactory, shipped_metric
from safety.models import Incident
from safety.tests.factories_risk import HazardFactory, RiskAssessmentFactory
from tests.test_e2e_browser import TIMEOUT_MS, _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _member(school, role, email):
    user = make_member(school, role, email=email)
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _signed_in(tab, user, live_server):
    # the first page of a fresh live server can take long on a loaded machine
    tab.goto("/accounts/login/", timeout=60_000)
    _sign_in(tab, user.email, settings.DEMO_PASSWORD)
    tab.wait_for_url(f"{live_server.url}/dashboard/")


@pytest.fixture
def school(transactional_db):
    return SchoolFactory(slug="e2e-roles", name="Hillside School")


@pytest.fixture
def class_session(school):
    teacher = _member(school, Role.TEACHER, "e2e.roles.teacher@example.org")
    pe_class = PEClassFactory(school=school, name="PE 8 Green")
    students = [
        EnrollmentFactory(
            pe_class=pe_class,
            student__school=school,
            student__first_name=first,
            student__last_name=last,
            start_date=datetime.date(2020, 1, 1),
        ).student
        for first, last in (("Ana", "Alvarez"), ("Ben", "Brooks"))
    ]
    session = ClassSessionFactory(pe_class=pe_class, date=timezone.localdate(), title="Fitness circuit")
    return teacher, session, students


def test_teacher_records_results_for_the_students_present(page, class_session, live_server):  # noqa: F811
    teacher, session, (ana, ben) = class_session
    # attendance itself is taken through the page in physed/tests/test_e2e_sessions.py
    AttendanceRecord.objects.create(session=session, student=ana, status=AttendanceStatus.PRESENT)
    AttendanceRecord.objects.create(session=session, student=ben, status=AttendanceStatus.LATE)
    pacer = shipped_metric("pacer_laps")
    _signed_in(page, teacher, live_server)

    page.goto(f"/sessions/{session.pk}/results/")
    page.locator(f"#m-{pacer.code}").check()
    page.get_by_role("button", name="Show grid").click()
    ana_cell = page.get_by_role("spinbutton", name=re.compile(r"^Ana Alvarez: "))
    ana_cell.fill("31")
    page.get_by_role("spinbutton", name=re.compile(r"^Ben Brooks: ")).fill("27")
    page.get_by_role("button", name="Save results").click()

    expect(page.get_by_role("status")).to_contain_text("Results saved: 2 values, 0 removed.")
    expect(ana_cell).to_have_value(re.compile(r"^31"))
    stored = dict(PerformanceResult.objects.filter(session=session).values_list("student__first_name", "value"))
    assert stored == {"Ana": Decimal("31"), "Ben": Decimal("27")}
    assert page.recorder.console_errors == []
    assert page.recorder.csp_violations() == []


def test_teacher_reports_an_injury(page, class_session, live_server):  # noqa: F811
    teacher, session, (ana, _ben) = class_session
    _signed_in(page, teacher, live_server)

    page.goto("/safety/incidents/report/")
    page.get_by_label("Kind").select_option("injury")
    page.get_by_label("Severity").select_option("minor")
    page.get_by_label("Location", exact=True).fill("Main gym, north end")
    page.get_by_label("What happened").fill("Slipped on a wet patch during the circuit.")
    page.get_by_label("Supervision", exact=True).select_option("direct")
    page.get_by_label("Medical referral").select_option("none")
    page.locator("select[name='students-0-student']").select_option(str(ana.pk))
    page.locator("select[name='students-0-body_area']").select_option("knee")
    page.locator("select[name='students-0-injury_type']").select_option("bruise")
    page.get_by_role("button", name="File the report").click()

    page.wait_for_url(re.compile(r"/safety/incidents/\d+/$"))
    incident = Incident.objects.get(school=session.pe_class.school)
    assert (incident.kind, incident.severity, incident.location) == ("injury", "minor", "Main gym, north end")
    assert incident.reported_by == teacher
    assert list(incident.students.values_list("student_id", flat=True)) == [ana.pk]
    expect(page.get_by_role("heading", level=1)).to_contain_text(incident.reference)
    expect(page.locator("main")).to_contain_text("Main gym, north end")
    assert page.recorder.csp_violations() == []


def test_department_head_approves_a_submitted_risk_assessment(page, school, live_server):  # noqa: F811
    owner = _member(school, Role.TEACHER, "e2e.roles.owner@example.org")
    head = _member(school, Role.DEPARTMENT_HEAD, "e2e.roles.head@example.org")
    assessment = RiskAssessmentFactory(
        school=school, owner=owner, created_by=owner, status="submitted", title="Climbing wall"
    )
    HazardFactory(assessment=assessment, description="Falls from height")
    _signed_in(page, head, live_server)

    page.goto("/safety/risk-assessments/")
    page.get_by_role("link", name="Climbing wall").first.click()
    page.wait_for_url(f"{live_server.url}/safety/risk-assessments/{assessment.pk}/")
    expect(page.locator("main")).to_contain_text("Falls from height")
    page.get_by_role("navigation", name="Actions").get_by_role("link", name="Approve").click()
    page.get_by_label("Note").fill("Mats checked.")
    page.get_by_role("button", name="Approve").click()

    page.wait_for_url(f"{live_server.url}/safety/risk-assessments/{assessment.pk}/")
    expect(page.locator(".rk-head")).to_contain_text("Approved")
    expect(page.locator("main")).to_contain_text("Approved by")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.decided_by) == ("approved", head)
    assert page.recorder.console_errors == []


def test_school_admin_assigns_a_role_to_a_member(page, school, live_server):  # noqa: F811
    admin = _member(school, Role.SCHOOL_ADMIN, "e2e.roles.admin@example.org")
    teacher = _member(school, Role.TEACHER, "e2e.roles.promoted@example.org")
    membership = Membership.objects.get(user=teacher, school=school)
    _signed_in(page, admin, live_server)

    page.goto("/school/people/")
    page.locator(f'a[href="/school/people/{membership.pk}/"]').first.click()
    page.wait_for_url(f"{live_server.url}/school/people/{membership.pk}/")
    role = page.locator("#id_role")
    role.select_option(Role.DEPARTMENT_HEAD)
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(f"{live_server.url}/school/people/")
    expect(page.get_by_role("status")).to_contain_text("Membership updated.")
    row = page.get_by_role("row").filter(has_text=teacher.email)
    expect(row).to_contain_text("Department head")
    membership.refresh_from_db()
    assert membership.role == Role.DEPARTMENT_HEAD
    assert page.recorder.console_errors == []


def test_an_admins_own_erasure_is_approved_by_a_second_admin(browser, school, live_server):  # noqa: F811
    """The rules refuse approving one's own erasure: the first admin is told so, a second one erases."""
    leaving = _member(school, Role.SCHOOL_ADMIN, "e2e.roles.leaving@example.org")
    second = _member(school, Role.SCHOOL_ADMIN, "e2e.roles.second@example.org")
    erasure = request_erasure(requester=leaving, subject=leaving, school=school, reason="Leaving the school")

    def approve(user):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        tab = context.new_page()
        _signed_in(tab, user, live_server)
        tab.goto("/school/data/")
        tab.locator(f'a[href="/school/data/erasure/{erasure.pk}/approve/"]').click()
        tab.get_by_label("Yes, I am sure").check()
        tab.get_by_role("button", name="Erase").click()
        tab.wait_for_url(f"{live_server.url}/school/data/")
        return context, tab

    context, tab = approve(leaving)
    expect(tab.get_by_role("status")).to_contain_text("Another school admin must approve your own erasure.")
    context.close()
    erasure.refresh_from_db()
    assert erasure.status == "pending"

    context, tab = approve(second)
    expect(tab.get_by_role("status")).to_contain_text("The person's data was erased.")
    context.close()
    erasure = ErasureRequest.objects.get(pk=erasure.pk)
    assert (erasure.status, erasure.decided_by) == ("completed", second)
    leaving.refresh_from_db()
    assert leaving.email != "e2e.roles.leaving@example.org"
