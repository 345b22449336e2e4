"""Attachments (upload with table preview, unsupported/malformed 400, owner-only download with
no-store and Content-Disposition), proposed actions (confirm → the real write, reject, 409 once
decided, another person's 404) and feedback on replies through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, Role
from assistant.models import ActionStatus, Attachment, Feedback, MessageRole, ProposedAction
from assistant.tests.factories import (
    SAMPLE_CSV,
    AttachmentFactory,
    ConversationFactory,
    MessageFactory,
    ProposedActionFactory,
)
from content.models import ContentItem

pytestmark = pytest.mark.django_db
CONVERSATIONS = "/api/v1/assistant/conversations/"
ATTACHMENTS = "/api/v1/assistant/attachments/"
ACTIONS = "/api/v1/assistant/actions/"
MESSAGES = "/api/v1/assistant/messages/"


def _upload(api, conversation, name, data, content_type):
    return api.post(
        f"{CONVERSATIONS}{conversation.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
        format="multipart",
    )


def test_csv_upload_gives_a_table_preview_and_downloads(client_for, school, teacher):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    response = _upload(api, conversation, "pacer.csv", SAMPLE_CSV, "text/csv")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "table" and body["original_name"] == "pacer.csv" and body["message"] is None
    assert body["table"]["columns"] == ["student", "value"] and body["table"]["total_rows"] == 2
    assert body["table"]["rows"][0][0] == "Maya Rodriguez"
    assert body["download_url"].startswith("http") and body["download_url"].endswith(f"/{body['id']}/download/")

    meta = api.get(f"{ATTACHMENTS}{body['id']}/")
    assert meta.status_code == 200 and meta.json()["size"] == len(SAMPLE_CSV)
    assert meta["Cache-Control"] == "private, no-store"
    download = api.get(f"{ATTACHMENTS}{body['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == SAMPLE_CSV
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"].startswith("attachment") and "pacer.csv" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="assistant.attachment_downloaded", target_id=str(body["id"])).exists()


def test_unsupported_and_malformed_uploads_are_400(client_for, school, teacher):
    api = client_for(teacher)
    conversation = ConversationFactory(school=school, owner=teacher)
    response = _upload(api, conversation, "notes.pdf", b"%PDF-1.4 hello", "application/pdf")
    assert response.status_code == 400 and response.json()["error"]["fields"]
    response = _upload(api, conversation, "bad.csv", b"student,value\nMaya,1,extra,cells\n", "text/csv")
    assert response.status_code == 400 and response.json()["error"]["fields"]
    response = _upload(api, conversation, "empty.csv", b"", "text/csv")
    assert response.status_code == 400
    assert api.post(f"{CONVERSATIONS}{conversation.pk}/attachments/", {}, format="multipart").status_code == 400
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_ADMIN])
def test_another_persons_attachment_is_404(client_for, school, teacher, member, role):
    attachment = AttachmentFactory(conversation=ConversationFactory(school=school, owner=teacher))
    api = client_for(member(school, role))
    assert api.get(f"{ATTACHMENTS}{attachment.pk}/").status_code == 404
    assert api.get(f"{ATTACHMENTS}{attachment.pk}/download/").status_code == 404
    assert api.post(f"{ATTACHMENTS}{attachment.pk}/attach/", {"content_item": 1}, format="json").status_code == 404
    assert _upload(api, attachment.conversation, "x.csv", SAMPLE_CSV, "text/csv").status_code == 404


def test_attach_to_unknown_content_item_is_400(client_for, school, teacher):
    attachment = AttachmentFactory(conversation=ConversationFactory(school=school, owner=teacher))
    api = client_for(teacher)
    response = api.post(f"{ATTACHMENTS}{attachment.pk}/attach/", {"content_item": 999999}, format="json")
    assert response.status_code == 400 and "content_item" in response.json()["error"]["fields"]
    response = api.post(f"{ATTACHMENTS}{attachment.pk}/attach/", {}, format="json")
    assert response.status_code == 400 and "content_item" in response.json()["error"]["fields"]


def test_confirm_runs_the_write_and_a_second_decision_is_409(client_for, school, teacher):
    conversation = ConversationFactory(school=school, owner=teacher)
    reply = MessageFactory(conversation=conversation, role=MessageRole.ASSISTANT, text="Shall I draft it?")
    action = ProposedActionFactory(
        message=reply,
        kind="draft_lesson_plan",
        summary="Draft a lesson plan on throwing",
        payload={"title": "Throwing basics", "body": "## Warm-up\n\nJog.", "duration_minutes": 45},
    )
    api = client_for(teacher)
    response = api.post(f"{ACTIONS}{action.pk}/confirm/")
    assert response.status_code == 200, response.json()
    body = response.json()
    item = ContentItem.objects.get(title="Throwing basics")
    assert body["status"] == "done" and body["result_label"] == "Throwing basics"
    assert body["result_url"].endswith(f"/{item.pk}/") and item.owner == teacher and item.status == "draft"
    assert response["Cache-Control"] == "private, no-store"
    again = api.post(f"{ACTIONS}{action.pk}/reject/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    assert list(again.json()["error"]["fields"]) == ["non_field_errors"]  # not a version conflict

    # the reply's actions show the decision
    messages = api.get(f"{CONVERSATIONS}{conversation.pk}/messages/").json()["results"]
    assert messages[0]["actions"][0]["status"] == "done"


def test_reject_and_owner_isolation(client_for, school, teacher, member):
    action = ProposedActionFactory(message__conversation=ConversationFactory(school=school, owner=teacher))
    admin = client_for(member(school, Role.SCHOOL_ADMIN))
    assert admin.post(f"{ACTIONS}{action.pk}/confirm/").status_code == 404
    assert admin.post(f"{ACTIONS}{action.pk}/reject/").status_code == 404
    response = client_for(teacher).post(f"{ACTIONS}{action.pk}/reject/")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert ProposedAction.objects.get(pk=action.pk).status == ActionStatus.REJECTED


def test_feedback_on_a_reply(client_for, school, teacher, member):
    conversation = ConversationFactory(school=school, owner=teacher)
    question = MessageFactory(conversation=conversation, text="who was absent today")
    reply = MessageFactory(conversation=conversation, role=MessageRole.ASSISTANT, text="Here is the roster.")
    api = client_for(teacher)
    response = api.put(
        f"{MESSAGES}{reply.pk}/feedback/",
        {"rating": -1, "correction": "I meant attendance", "expected_intent": "attendance"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["rating"] == -1 and body["expected_intent"] == "attendance" and body["message"] == reply.pk
    response = api.post(f"{MESSAGES}{reply.pk}/feedback/", {"rating": 1}, format="json")
    assert response.status_code == 200 and response.json()["rating"] == 1
    assert Feedback.objects.get(message=reply).rating == 1

    listed = api.get(f"{CONVERSATIONS}{conversation.pk}/messages/").json()["results"]
    assert listed[1]["feedback"]["rating"] == 1 and listed[0]["feedback"] is None

    response = api.post(f"{MESSAGES}{reply.pk}/feedback/", {"rating": 5}, format="json")
    assert response.status_code == 400 and "rating" in response.json()["error"]["fields"]
    response = api.post(f"{MESSAGES}{question.pk}/feedback/", {"rating": 1}, format="json")
    assert response.status_code == 400 and "message" in response.json()["error"]["fields"]
    other = client_for(member(school, Role.SCHOOL_ADMIN))
    assert other.post(f"{MESSAGES}{reply.pk}/feedback/", {"rating": -1}, format="json").status_code == 404
    assert Feedback.objects.get(message=reply).rating == 1
