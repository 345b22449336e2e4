"""What a reply shows and what can be done with it: cards (accessible table, SVG bar chart,
links — only site-internal links kept), citations, the "why", Confirm / Reject of a proposed
action, thumbs up/down with a correction (htmx swaps the block), and the owner-only, no-store
attachment download."""

import pytest

from assistant.models import ActionStatus, Feedback, MessageRole
from assistant.tests.factories import (
    AttachmentFactory,
    ConversationFactory,
    MessageFactory,
    ProposedActionFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def web(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def conversation(school, teacher):
    return ConversationFactory(school=school, owner=teacher, title="PACER")


def _reply(conversation, **fields):
    return MessageFactory(
        conversation=conversation, role=MessageRole.ASSISTANT, text="Grade 5 Blue did well.", **fields
    )


def test_reply_cards_citations_and_why_are_rendered(web, conversation):
    reply = _reply(
        conversation,
        intent="fitness_results",
        confidence=0.87,
        reasons=["named class Grade 5 Blue (score 1.00)", "asked about the PACER"],
        tool_calls=[{"tool": "fitness_results", "arguments": {}, "ok": True, "message": "", "data": {}}],
        persona_name="Straight talk",
        citations=[
            {"label": "Grade 5 Blue", "url": "/classes/4/", "kind": "class"},
            {"label": "evil", "url": "javascript:alert(1)", "kind": ""},
            {"label": "elsewhere", "url": "//evil.example/x", "kind": ""},
        ],
        cards=[
            {
                "kind": "table",
                "title": "PACER zones",
                "columns": ["Student", "Laps"],
                "rows": [["Maya", 42], ["Liam", 35]],
            },
            {
                "kind": "chart",
                "title": "Zone counts",
                "series": [{"label": "HFZ", "value": 18}, {"label": "NI", "value": 6}],
                "unit": "students",
            },
            {
                "kind": "links",
                "title": "Test events",
                "links": [{"label": "PACER 2026-09-10", "url": "/assessments/events/3/"}],
            },
        ],
    )
    page = web.get(f"/assistant/{conversation.pk}/").content.decode()
    assert f'id="message-{reply.pk}"' in page
    assert "<caption>PACER zones</caption>" in page and '<th scope="row">Maya</th><td>42</td>' in page
    assert '<svg class="chart"' in page and "<title>HFZ: 18</title>" in page
    assert '<a href="/assessments/events/3/">PACER 2026-09-10</a>' in page
    assert '<a href="/classes/4/">Grade 5 Blue</a>' in page
    assert "javascript:" not in page and "evil.example" not in page
    assert "Why this answer" in page and "87%" in page and "asked about the PACER" in page
    assert "<dd>Fitness test results</dd>" in page  # the intent by its label, not its code name
    assert "Straight talk" in page


def test_confirm_and_reject_a_proposed_action(web, conversation):
    reply = _reply(conversation)
    keep = ProposedActionFactory(message=reply, summary="Draft a lesson plan on throwing")
    drop = ProposedActionFactory(message=reply, summary="Draft another plan")
    page = web.get(f"/assistant/{conversation.pk}/").content.decode()
    assert f'action="/assistant/actions/{keep.pk}/confirm/"' in page
    assert f'action="/assistant/actions/{drop.pk}/reject/"' in page

    response = web.post(f"/assistant/actions/{drop.pk}/reject/")
    assert response["Location"] == f"/assistant/{conversation.pk}/#message-{reply.pk}"
    drop.refresh_from_db()
    assert drop.status == ActionStatus.REJECTED
    assert web.get(f"/assistant/actions/{drop.pk}/reject/").status_code == 405

    web.post(f"/assistant/actions/{keep.pk}/confirm/")
    keep.refresh_from_db()
    assert keep.status in (ActionStatus.DONE, ActionStatus.FAILED) and keep.decided_at is not None


def test_actions_of_another_person_are_404(client, conversation, other_teacher, school):
    from accounts.models import Role
    from accounts.tests.factories import make_member

    action = ProposedActionFactory(message=_reply(conversation))
    colleague = make_member(school, Role.TEACHER, email="colleague@northside.test")
    client.force_login(colleague)
    assert client.post(f"/assistant/actions/{action.pk}/confirm/").status_code == 404
    assert client.post(f"/assistant/actions/{action.pk}/reject/").status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED


def test_thumbs_down_with_a_correction_and_htmx_swap(web, conversation):
    reply = _reply(conversation, intent="attendance")
    MessageFactory(conversation=conversation, text="who was missing today")
    response = web.post(
        f"/assistant/messages/{reply.pk}/feedback/",
        {"rating": "-1", "correction": "I meant the fitness results", "expected_intent": "fitness_results"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "You found this not helpful." in response.content.decode()
    feedback = Feedback.objects.get(message=reply)
    assert feedback.rating == -1 and feedback.expected_intent == "fitness_results"
    assert feedback.correction == "I meant the fitness results"

    again = web.post(f"/assistant/messages/{reply.pk}/feedback/", {"rating": "1"})
    assert again.status_code == 302
    feedback.refresh_from_db()
    assert feedback.rating == 1


def test_feedback_is_refused_on_my_own_message_and_bad_ratings(web, conversation):
    mine = MessageFactory(conversation=conversation, text="hi")
    assert web.post(f"/assistant/messages/{mine.pk}/feedback/", {"rating": "1"}, **HTMX).status_code == 400
    reply = _reply(conversation)
    assert web.post(f"/assistant/messages/{reply.pk}/feedback/", {"rating": "5"}, **HTMX).status_code == 400
    assert not Feedback.objects.exists()


def test_attachment_download_is_owner_only_and_not_cached(client, web, conversation, school):
    from accounts.models import Role
    from accounts.tests.factories import make_member

    attachment = AttachmentFactory(conversation=conversation)
    response = web.get(f"/assistant/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"student,value")
    assert response["Cache-Control"] == "private, no-store"
    assert 'attachment; filename="results.csv"' in response["Content-Disposition"]

    admin = make_member(school, Role.SCHOOL_ADMIN, email="admin2@northside.test")
    client.force_login(admin)
    assert client.get(f"/assistant/attachments/{attachment.pk}/download/").status_code == 404
