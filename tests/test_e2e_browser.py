"""End-to-end tests in a real headless Chromium (DESIGN.md §9): Debian's ``chromium`` driven by
Playwright's sync API against pytest-django's ``live_server``, which serves /static/ through the
staticfiles finders (as ``runserver`` does), so CSS and Swagger UI's JS come from the app itself.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium. Without it the
tests skip on a developer machine and fail in CI (``CI=true``).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects the Content-Security-Policy violations the browser reports. An init script is injected
# through the DevTools protocol, so the page's own CSP does not apply to it.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an asyncio loop in this thread, so Django's async-safety guard would
    # refuse the ORM calls that tests and fixtures (the transactional_db flush) make meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Recorder:
    """Every request a page makes, its console errors, uncaught errors and failed responses."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        page.add_init_script(CSP_LISTENER)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} {request.failure}"))
        page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium asks for /favicon.ico by itself and the base template declares no icon (reported)
        if url.endswith("/favicon.ico"):
            return
        self.console_errors.append(f"{message.text} [{url}]")

    def _on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} {response.status}")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.recorder = Recorder(page)
    yield page
    context.close()


@pytest.fixture
def teacher_account(transactional_db):
    school = SchoolFactory(slug="e2e-school", name="Riverside Academy")
    user = make_member(school, Role.TEACHER, email="e2e.teacher@example.org")
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user, school


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_teacher_signs_in_and_lands_on_the_dashboard(page, teacher_account, live_server):
    user, school = teacher_account
    _sign_in(page, user.email, settings.DEMO_PASSWORD)

    page.wait_for_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teacher dashboard")
    expect(page.locator("main").get_by_text(school.name).first).to_be_visible()
    # the page's own stylesheet came from /static/ (live_server serves it through the finders)
    assert any(url.startswith(f"{live_server.url}/static/css/") for url in page.recorder.requests)
    assert page.recorder.failed == []
    assert page.recorder.console_errors == []
    assert page.recorder.csp_violations() == []


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page, teacher_account, live_server):
    user, _ = teacher_account
    _sign_in(page, user.email, "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"\S"))
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    expect(page.get_by_label("Password")).to_have_value("")


def test_swagger_ui_renders_from_local_static_only(page, live_server):
    recorder = page.recorder
    page.goto("/api/docs/")

    # Swagger UI's JS ran, fetched /api/schema/ and rendered the spec's title and operations
    # the first request in a process generates the document (seconds on a loaded machine)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        settings.SPECTACULAR_SETTINGS["TITLE"], timeout=60_000
    )
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    origin = live_server.url
    off_site = [url for url in recorder.requests if not url.startswith((f"{origin}/", "data:", "blob:"))]
    assert off_site == []
    assert any(re.search(r"/static/drf_spectacular_sidecar/.+\.js$", url) for url in recorder.requests)
    assert any(url.startswith(f"{origin}/api/schema/") for url in recorder.requests)
    assert recorder.failed == []
    assert recorder.page_errors == []
    # No script refused by the CSP (script-src 'self'; the split view serves Swagger UI's init script
    # as a file). drf-spectacular's page also has an inline <style> block, which style-src 'self'
    # blocks (cosmetic, reported), so only script violations are asserted here.
    assert [v for v in recorder.csp_violations() if v.startswith("script-src")] == []
    assert [t for t in recorder.console_errors if "Content Security Policy" in t and "script-src" in t] == []


def test_language_switch_on_the_login_page_persists(page, live_server):
    html = page.locator("html")
    page.goto("/accounts/login/")
    expect(html).to_have_attribute("lang", "en")

    page.locator("select[name=language]").select_option("es")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(html).to_have_attribute("lang", "es")
    expect(page.locator("select[name=language]")).to_have_value("es")
    # it persists: a fresh visit, without the form post, is still in Spanish
    page.goto("/accounts/login/")
    expect(html).to_have_attribute("lang", "es")
