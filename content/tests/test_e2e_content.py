"""End-to-end, in a real headless Chromium: a teacher writes a lesson plan with Markdown and tags
(the tag suggestions load on the form), sees it rendered with the script refused, finds it in the
library search, and a colleague's stale edit is stopped with what changed."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from content.models import ContentItem
from content.services.items import update_item
from content.tests.factories import ContentItemFactory
from tests.test_e2e_browser import _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teacher(transactional_db):
    school = SchoolFactory(slug="e2e-content", name="Hillside School")
    user = make_member(school, Role.TEACHER, email="e2e.content.teacher@example.org")
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    ContentItemFactory(school=school, owner=user, title="Older plan", tags=["volleyball"])
    return user


def test_teacher_writes_finds_and_is_protected_from_a_stale_edit(page, teacher, live_server):  # noqa: F811
    _sign_in(page, teacher.email, settings.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/dashboard/")

    page.goto("/content/items/new/")
    page.get_by_role("textbox", name="Title").fill("Volleyball serve stations")
    page.get_by_role("textbox", name="Body").fill(
        "## Warm-up\n\n**Five** minutes of <script>alert(1)</script> passing."
    )
    expect(page.locator("#ci-tag-suggestions")).to_contain_text("Suggested tags")
    page.get_by_role("button", name="Save").click()
    # script in Markdown is refused with the reason, nothing stored
    expect(page.locator("main")).to_contain_text("not allowed")
    assert not ContentItem.objects.filter(title="Volleyball serve stations").exists()

    page.get_by_role("textbox", name="Body").fill("## Warm-up\n\n**Five** minutes of passing.")
    page.get_by_role("textbox", name="Tags").fill("volleyball, serve")
    page.get_by_role("button", name="Save").click()
    item = ContentItem.objects.get(title="Volleyball serve stations")
    page.wait_for_url(f"{live_server.url}/content/items/{item.pk}/")
    expect(page.locator("main h2", has_text="Warm-up")).to_be_visible()
    expect(page.locator("main strong", has_text="Five")).to_be_visible()

    page.goto("/content/?q=serve")
    expect(page.locator("main")).to_contain_text("Volleyball serve stations")
    expect(page.locator("main")).not_to_contain_text("Older plan")

    # the teacher opens the edit form; meanwhile a co-author saves version 2
    page.goto(f"/content/items/{item.pk}/edit/")
    update_item(actor=teacher, item=item, base_version=1, summary="Four serving stations.", change_note="summary")
    page.get_by_role("textbox", name="Title").fill("Serve stations (grade 5)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".ci-conflict")).to_contain_text("Four serving stations.")
    item.refresh_from_db()
    assert item.title == "Volleyball serve stations" and item.version == 2
    # the browser logs the refused save (400) and the conflict (409) as failed loads: those are the point
    unexpected = [e for e in page.recorder.console_errors if "responded with a status of 4" not in e]
    assert unexpected == [], unexpected
