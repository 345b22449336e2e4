"""Accessibility: axe-core in the e2e tests' headless Chromium over the main pages of each demo role
(the seeded demo school, as the page crawler uses). Fails on any "serious" or "critical" violation
and lists every one found (page, rule, impact, the offending nodes) in one run. docs/accessibility.md.
"""

import pytest
from django.core.management import call_command

from accounts.models import School, User
from assessments.models import ProgressReport, TestEvent
from assessments.selectors.reports import my_reports
from physed.models import ClassSession, PEClass, Student
from safety.models import Incident, RiskAssessment
from tests.a11y import axe_source, check_page
from tests.test_e2e_browser import _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCHOOL = "northside"


def _first_pk(queryset):
    row = queryset.order_by("pk").first()
    return row.pk if row else None


def _pages_by_role() -> dict[str, list[str]]:
    """The main pages of each role, with the demo school's first visible class, session, student…"""
    school = School.objects.get(slug=SCHOOL)
    teacher = User.objects.get(email=f"teacher@{SCHOOL}.demo")
    guardian = User.objects.get(email=f"guardian@{SCHOOL}.demo")
    pe_class = _first_pk(PEClass.objects.visible_to(teacher).filter(school=school))
    session = _first_pk(ClassSession.objects.visible_to(teacher).filter(pe_class_id=pe_class))
    student = _first_pk(Student.objects.visible_to(teacher).filter(school=school))
    incident = _first_pk(Incident.objects.visible_to(teacher).filter(school=school))
    risk = _first_pk(RiskAssessment.objects.visible_to(teacher).filter(school=school))
    event = _first_pk(TestEvent.objects.visible_to(teacher))
    report = _first_pk(ProgressReport.objects.visible_to(teacher))
    my_report = _first_pk(my_reports(guardian))  # the selector the guardian's report page uses
    teacher_pages = [
        "/dashboard/",
        "/classes/",
        f"/classes/{pe_class}/",
        f"/sessions/{session}/",
        f"/sessions/{session}/attendance/",
        f"/sessions/{session}/results/",
        "/students/",
        f"/students/{student}/",
        "/safety/incidents/",
        "/safety/incidents/report/",
        "/safety/risk-assessments/",
        "/assessments/",
        "/assessments/fitness/events/",
        f"/assessments/classes/{pe_class}/reports/",
        f"/progress/students/{student}/",
        "/progress/goals/",
        "/content/",
        "/memory/",
        "/assistant/",
        "/profile/",
        "/accounts/settings/",
        "/me/data/",
    ]
    for path, pk in (
        ("/safety/incidents/{}/", incident),
        ("/safety/risk-assessments/{}/", risk),
        ("/assessments/fitness/events/{}/", event),
        ("/assessments/reports/{}/", report),
    ):
        if pk is not None:
            teacher_pages.append(path.format(pk))
    guardian_pages = ["/dashboard/", "/assessments/my-reports/", "/me/data/"]
    if my_report is not None:
        guardian_pages.append(f"/assessments/my-reports/{my_report}/")
    return {
        "teacher": teacher_pages,
        "head": ["/dashboard/", "/safety/risk-assessments/", "/safety/incidents/", "/progress/goals/"],
        "guardian": guardian_pages,
        "student": ["/dashboard/", "/my-pe/", "/progress/goals/"],
        "schooladmin": ["/dashboard/", "/school/people/", "/school/roles/", "/school/data/", "/audit/"],
    }


def test_main_pages_of_each_role_have_no_serious_or_critical_violations(browser, live_server, settings):  # noqa: F811
    axe_source()  # skip (or fail in CI) before the slow seeding when axe is missing
    # live_server overrides settings, and the override's holder has no SETTINGS_MODULE (seed_demo reads it)
    settings.SETTINGS_MODULE = "config.settings.test"
    call_command("seed_demo", "--quiet-logins")
    problems: list[str] = []
    checked = 0

    context = browser.new_context(base_url=live_server.url, locale="en-US")
    anonymous = context.new_page()
    problems += check_page(anonymous, "/accounts/login/")
    checked += 1
    context.close()

    for role, urls in _pages_by_role().items():
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(30_000)
        tab = context.new_page()
        _sign_in(tab, f"{role}@{SCHOOL}.demo", settings.DEMO_PASSWORD)
        tab.wait_for_url(f"{live_server.url}/dashboard/")
        for url in urls:
            response = tab.goto(url)
            assert response is not None and response.status == 200, f"{role}: {url} answered {response.status}"
            found = [f"{role} {line}" for line in check_page(tab)]
            print(*found, sep="\n")  # as they come (pytest -s), the assertion below lists them all
            problems += found
            checked += 1
        context.close()

    assert checked > 35
    assert problems == [], "\n" + "\n".join(problems)
