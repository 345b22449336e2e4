"""End-to-end, in a real headless Chromium: the issue's acceptance — a guardian whose language is
Spanish signs in, follows "Informes" from the navigation, opens the published report of their child
and reads the evaluation in Spanish; the draft of another term is not listed."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role, UserPreference
from accounts.tests.factories import SchoolFactory, make_member
from assessments.services import reports as services
from assessments.tests.factories_reports import PERIOD_END, PERIOD_START, build_report_world
from tests.test_e2e_browser import _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spanish_guardian(transactional_db):
    school = SchoolFactory(slug="e2e-reports", name="Lakeside School")
    teacher = make_member(school, Role.TEACHER, email="e2e.reports.teacher@example.org")
    guardian = make_member(school, Role.GUARDIAN, email="e2e.reports.guardian@example.org")
    guardian.set_password(settings.DEMO_PASSWORD)
    guardian.save(update_fields=["password"])
    UserPreference.objects.update_or_create(user=guardian, defaults={"language": "es"})
    world = build_report_world(school, teacher=teacher, guardian_user=guardian)
    report = services.generate_report(
        actor=teacher,
        student=world.student,
        pe_class=world.pe_class,
        school_year=2026,
        term="s1",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )
    services.publish_report(actor=teacher, report=report)
    draft = services.generate_report(
        actor=teacher,
        student=world.student,
        pe_class=world.pe_class,
        school_year=2026,
        term="s2",
        period_start=PERIOD_END,
        period_end=PERIOD_END,
    )
    return guardian, report, draft


def test_guardian_reads_the_published_report_in_spanish(page, spanish_guardian, live_server):  # noqa: F811
    guardian, report, draft = spanish_guardian
    _sign_in(page, guardian.email, settings.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/dashboard/")

    page.get_by_role("link", name="Informes", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/assessments/my-reports/")
    expect(page.locator(f'a[href="/assessments/my-reports/{draft.pk}/"]')).to_have_count(0)
    page.locator(f'a[href="/assessments/my-reports/{report.pk}/"]').first.click()
    page.wait_for_url(f"{live_server.url}/assessments/my-reports/{report.pk}/")

    main = page.locator("main")
    expect(main).to_contain_text("Maya asistió a 18 de 20 clases (90 %)")
    expect(main).not_to_contain_text("Maya attended")
    assert page.locator("html").get_attribute("lang") == "es"
    assert not page.recorder.console_errors, page.recorder.console_errors
