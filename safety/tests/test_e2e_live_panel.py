"""End-to-end, in a real headless Chromium: the issue's acceptance scenario. A teacher starts a
session on a hot afternoon, opens the live safety panel from the session page and is told what to
change and who needs an inhaler; the panel polls itself (htmx, served locally) and the server
answers 304 while nothing changed, then the new decision after a hotter reading."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from safety.models import EnvironmentReading
from safety.tests.factories_monitoring import HEAT_ACTIONS, hot_afternoon
from tests.test_e2e_browser import _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hot_session(transactional_db):
    school = SchoolFactory(slug="e2e-safety", name="Hillside School")
    teacher = make_member(school, Role.TEACHER, email="e2e.safety@example.org")
    teacher.set_password(settings.DEMO_PASSWORD)
    teacher.save(update_fields=["password"])
    return teacher, hot_afternoon(school, teacher)


def test_teacher_sees_what_to_change_and_who_needs_an_inhaler(page, hot_session, live_server):  # noqa: F811
    teacher, scenario = hot_session
    session = scenario["session"]
    page.clock.install()
    _sign_in(page, teacher.email, settings.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/dashboard/")

    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Live safety panel").click()
    page.wait_for_url(f"{live_server.url}/safety/sessions/{session.pk}/live/")
    panel = page.locator("#live-panel")
    expect(panel).to_contain_text("Go with modifications")
    for action in HEAT_ACTIONS:
        expect(panel).to_contain_text(action)
    expect(panel).to_contain_text("Maya Ortiz")
    expect(panel).to_contain_text("Inhaler before PE")
    assert any("/static/django_htmx/htmx" in url for url in page.recorder.requests)

    # the poll: unchanged → 304 and the panel stays as it was
    with page.expect_response(lambda r: "/live/fragment/" in r.url) as first:
        page.clock.run_for(31_000)
    assert first.value.status == 304
    expect(panel).to_contain_text("Maya Ortiz")

    # a hotter reading arrives → the next poll swaps in the new decision
    EnvironmentReading.objects.create(
        school=session.pe_class.school,
        recorded_at=timezone.now(),
        space="field",
        temperature_c=Decimal("41.0"),
        relative_humidity=Decimal("60.0"),
        heat_index_c=Decimal("65.0"),
    )
    with page.expect_response(lambda r: "/live/fragment/" in r.url) as second:
        page.clock.run_for(31_000)
    assert second.value.status == 200
    expect(page.locator("#live-panel")).not_to_contain_text("Go with modifications")
    assert page.recorder.failed == []
    assert page.recorder.console_errors == []
    assert page.recorder.csp_violations() == []


def test_assistant_records_a_near_miss_on_a_phone(browser, live_server, hot_session):  # noqa: F811
    """The quick near-miss path at phone size: the report lands with a reference, in the
    school's incident list, and the department head is told."""
    from accounts.models import Notification
    from safety.models import Incident

    teacher, scenario = hot_session
    school = scenario["session"].pe_class.school
    head = make_member(school, Role.DEPARTMENT_HEAD, email="e2e.head@example.org")
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    _sign_in(phone, teacher.email, settings.DEMO_PASSWORD)
    phone.wait_for_url(f"{live_server.url}/dashboard/")
    phone.goto("/safety/incidents/near-miss/")
    phone.get_by_label("Location").fill("Field, east goal")
    phone.get_by_label("What nearly happened").fill("Unanchored goal tipped when a student swung on the crossbar.")
    phone.get_by_role("button", name="Record").click()
    expect(phone.get_by_role("status")).to_contain_text("Near miss INC-")
    incident = Incident.objects.get(school=school)
    assert (incident.kind, incident.severity, incident.location) == ("near_miss", "none", "Field, east goal")
    assert incident.reference.startswith(f"INC-{timezone.localdate().year}-")
    assert Notification.objects.filter(user=head, kind="safety.incident_reported").count() == 1
    context.close()
