"""Assistant pages: my conversations (empty state with examples, search, archived filter,
pagination), the chat (real replies from the built-in provider, htmx pair vs no-JS redirect, bad
input as 400 with the conversation unchanged), rename / archive / delete, owner-only access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assistant.models import Attachment, Conversation, Message, MessageRole
from assistant.tests.factories import SAMPLE_CSV, ConversationFactory, MessageFactory
from physed.tests.factories_roster import PEClassFactory

pytestmark = pytest.mark.django_db
HOME = "/assistant/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def web(client, teacher):
    client.force_login(teacher)
    return client


def test_anonymous_is_sent_to_sign_in_and_a_student_is_refused(client, student):
    response = client.get(HOME)
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(student)
    assert client.get(HOME).status_code == 403
    assert client.get("/assistant/personas/").status_code == 403
    assert client.post("/assistant/new/").status_code == 403


def test_empty_state_offers_example_questions_naming_my_class(web, school, teacher):
    pe_class = PEClassFactory(school=school, name="Grade 5 Blue")
    pe_class.teachers.add(teacher)
    page = web.get(HOME).content.decode()
    assert "No conversations yet" in page
    assert 'value="How did Grade 5 Blue do on the PACER?"' in page
    assert "What should I do with my class if it&#x27;s 95°F?" in page
    assert 'action="/assistant/new/"' in page and "/memory/" in page


def test_an_example_starts_a_conversation_with_a_real_reply(web, teacher):
    response = web.post("/assistant/new/", {"question": "Remember that Grade 5 Blue loves relay races"})
    conversation = Conversation.objects.get(owner=teacher)
    assert response.status_code == 302 and response["Location"] == f"/assistant/{conversation.pk}/"
    assert conversation.title == "Remember that Grade 5 Blue loves relay races"
    user_message, reply = conversation.messages.order_by("created_at", "pk")
    assert user_message.role == MessageRole.USER and reply.role == MessageRole.ASSISTANT
    assert reply.intent == "remember" and reply.provider == "builtin"
    page = web.get(response["Location"]).content.decode()
    assert 'aria-live="polite"' in page and "loves relay races" in page
    assert "Why this answer" in page and ">Remember something<" in page


def test_search_archived_filter_and_pagination(web, school, teacher):
    pacer = ConversationFactory(school=school, owner=teacher, title="PACER talk")
    MessageFactory(conversation=pacer, text="How many laps did they run?")
    ConversationFactory(school=school, owner=teacher, title="Heat plan")
    archived = ConversationFactory(school=school, owner=teacher, title="Old stuff")
    Conversation.objects.filter(pk=archived.pk).update(archived_at=archived.created_at)
    ConversationFactory(school=school, title="Someone else's PACER")  # another teacher: never listed

    page = web.get(HOME).content.decode()
    assert "PACER talk" in page and "Heat plan" in page
    assert "Old stuff" not in page and "Someone else" not in page
    found = web.get(HOME, {"q": "laps"}).content.decode()
    assert "PACER talk" in found and "Heat plan" not in found
    old = web.get(HOME, {"archived": "on"}).content.decode()
    assert "Old stuff" in old and "PACER talk" not in old
    for number in range(30):
        ConversationFactory(school=school, owner=teacher, title=f"Bulk {number:02d}")
    first = web.get(HOME)
    assert first.context["page"].paginator.count == 32 and len(first.context["page"].object_list) < 32
    assert 'rel="next"' in first.content.decode()


def test_another_persons_conversation_is_404_even_for_a_school_admin(client, school, teacher, school_admin):
    conversation = ConversationFactory(school=school, owner=teacher)
    MessageFactory(conversation=conversation)
    client.force_login(school_admin)
    for url in ("", "rename/", "delete/"):
        assert client.get(f"/assistant/{conversation.pk}/{url}").status_code == 404
    assert client.post(f"/assistant/{conversation.pk}/send/", {"text": "hi"}).status_code == 404
    assert client.post(f"/assistant/{conversation.pk}/archive/").status_code == 404
    assert Message.objects.filter(conversation=conversation).count() == 1


def test_htmx_send_returns_the_new_pair_and_no_js_redirects(web, school, teacher):
    conversation = ConversationFactory(school=school, owner=teacher)
    response = web.post(f"/assistant/{conversation.pk}/send/", {"text": "Hello"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="as-msg as-user"') == 1 and html.count('class="as-msg as-assistant"') == 1
    assert "<html" not in html and "Hello" in html
    assert conversation.messages.count() == 2

    plain = web.post(f"/assistant/{conversation.pk}/send/", {"text": "Thanks"})
    reply = conversation.messages.filter(role=MessageRole.ASSISTANT).order_by("-pk").first()
    assert plain.status_code == 302
    assert plain["Location"] == f"/assistant/{conversation.pk}/#message-{reply.pk}"
    assert conversation.messages.count() == 4


def test_bad_messages_are_400_and_the_conversation_stays_as_it_was(web, school, teacher, settings):
    conversation = ConversationFactory(school=school, owner=teacher)
    empty = web.post(f"/assistant/{conversation.pk}/send/", {"text": "   "}, **HTMX)
    assert empty.status_code == 400 and empty["HX-Retarget"] == "#chat-errors"
    assert "Write a message or attach a file." in empty.content.decode()
    huge = web.post(f"/assistant/{conversation.pk}/send/", {"text": "x" * 100_000})
    assert huge.status_code == 400
    assert f"at most {settings.ASSISTANT_MAX_MESSAGE_CHARS} characters" in huge.content.decode()
    bad_file = SimpleUploadedFile("notes.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    refused = web.post(f"/assistant/{conversation.pk}/send/", {"text": "see file", "file": bad_file})
    assert refused.status_code == 400
    assert conversation.messages.count() == 0 and Attachment.objects.count() == 0


def test_rate_limit_is_a_429_with_the_reason(web, school, teacher, settings):
    settings.ASSISTANT_RATE_PER_MINUTE = 1
    conversation = ConversationFactory(school=school, owner=teacher)
    assert web.post(f"/assistant/{conversation.pk}/send/", {"text": "Hello"}, **HTMX).status_code == 200
    limited = web.post(f"/assistant/{conversation.pk}/send/", {"text": "Hello again"}, **HTMX)
    assert limited.status_code == 429 and limited["HX-Retarget"] == "#chat-errors"
    assert conversation.messages.count() == 2


def test_a_csv_attachment_shows_its_preview_table(web, school, teacher):
    conversation = ConversationFactory(school=school, owner=teacher)
    upload = SimpleUploadedFile("results.csv", SAMPLE_CSV, content_type="text/csv")
    response = web.post(f"/assistant/{conversation.pk}/send/", {"text": "", "file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get(conversation=conversation)
    assert attachment.table["columns"] == ["student", "value"]
    page = web.get(f"/assistant/{conversation.pk}/").content.decode()
    assert f'href="/assistant/attachments/{attachment.pk}/download/"' in page
    assert '<th scope="col">student</th>' in page and "<td>Maya Rodriguez</td>" in page


def test_rename_archive_bring_back_and_delete(web, school, teacher):
    conversation = ConversationFactory(school=school, owner=teacher, title="Old title")
    assert web.post(f"/assistant/{conversation.pk}/rename/", {"title": ""}).status_code == 400
    assert web.post(f"/assistant/{conversation.pk}/rename/", {"title": "New title"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.title == "New title"

    assert web.post(f"/assistant/{conversation.pk}/archive/")["Location"] == HOME
    conversation.refresh_from_db()
    assert conversation.archived_at is not None
    web.post(f"/assistant/{conversation.pk}/archive/")
    conversation.refresh_from_db()
    assert conversation.archived_at is None

    confirm = web.get(f"/assistant/{conversation.pk}/delete/")
    assert confirm.status_code == 200 and "Yes, I am sure" in confirm.content.decode()
    assert web.post(f"/assistant/{conversation.pk}/delete/").status_code == 400  # not confirmed
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert web.post(f"/assistant/{conversation.pk}/delete/", {"confirm": "on"})["Location"] == HOME
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_a_refused_message_takes_its_file_back(web, school, teacher, settings):
    settings.ASSISTANT_RATE_PER_MINUTE = 1
    conversation = ConversationFactory(school=school, owner=teacher)
    web.post(f"/assistant/{conversation.pk}/send/", {"text": "Hello"})
    upload = SimpleUploadedFile("results.csv", SAMPLE_CSV, content_type="text/csv")
    refused = web.post(f"/assistant/{conversation.pk}/send/", {"text": "", "file": upload})
    assert refused.status_code == 429
    assert not Attachment.objects.exists() and conversation.messages.count() == 2
