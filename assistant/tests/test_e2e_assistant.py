"""End-to-end, in a real headless Chromium: a teacher opens the assistant, asks how their class did
on the PACER (the answer arrives without a reload, with a link they follow), asks what to do at
95°F, gives a thumbs up, tells the assistant to remember something and finds it on "What the
assistant remembers about me"."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, make_member
from assistant.models import Feedback, Message, MessageRole
from assistant.tests.factories import tools_world
from tests.test_e2e_browser import _sign_in, browser, page  # noqa: F401 - fixtures reused

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teacher(transactional_db):
    school = SchoolFactory(slug="e2e-assistant", name="Lakeside School")
    user = make_member(school, Role.TEACHER, email="e2e.assistant.teacher@example.org")
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    tools_world(school, user)
    return user


def _ask(tab, text):
    replies = tab.locator("#chat-log .as-assistant")
    before = replies.count()
    tab.get_by_role("textbox", name="Your message").fill(text)
    tab.get_by_role("button", name="Send", exact=True).click()
    expect(replies).to_have_count(before + 1)
    expect(tab.get_by_role("textbox", name="Your message")).to_have_value("")
    return replies.last


def test_teacher_asks_follows_a_link_rates_and_finds_a_memory(page, teacher, live_server):  # noqa: F811
    _sign_in(page, teacher.email, settings.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/dashboard/")

    page.goto("/assistant/")
    expect(page.locator("main")).to_contain_text("No conversations yet")
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_url(f"{live_server.url}/assistant/*/")
    conversation_url = page.url

    reply = _ask(page, "How did Grade 5 Blue do on the PACER?")
    expect(reply).to_contain_text("Grade 5 Blue")
    expect(reply).to_contain_text("Healthy Fitness Zone")
    assert page.url == conversation_url  # appended by htmx, no reload
    pacer = Message.objects.filter(role=MessageRole.ASSISTANT).get()
    assert pacer.intent == "fitness_results"
    source = reply.locator(".as-sources a").first
    href = source.get_attribute("href")
    assert href and href.startswith("/")
    source.click()
    page.wait_for_url(f"{live_server.url}{href}")
    expect(page.locator("main")).to_contain_text("Grade 5 Blue")

    page.goto(conversation_url)
    heat = _ask(page, "What should I do with my class if it's 95°F?")
    expect(heat.locator(".as-text")).not_to_be_empty()
    assert Message.objects.filter(role=MessageRole.ASSISTANT).order_by("-pk").first().intent == "heat_guidance"

    heat.get_by_role("button", name="Helpful", exact=True).click()
    expect(heat).to_contain_text("You found this helpful.")
    assert Feedback.objects.get().rating == 1

    _ask(page, "Remember that Grade 5 Blue loves relay races")
    page.goto("/assistant/")
    page.get_by_role("link", name="What the assistant remembers about me").click()
    page.wait_for_url(f"{live_server.url}/memory/")
    expect(page.locator("main")).to_contain_text("loves relay races")

    assert page.recorder.console_errors == []
    assert page.recorder.csp_violations() == []
