"""The assistant's personal data (export with the attachment file, erasure: everything the person
said and was answered is deleted, a persona they created stays with the school) and its admin
(personas editable, the rest read-only browse + delete with the files removed)."""

import json
import zipfile

import pytest
from django.core.files.storage import default_storage  # noqa: F401 - storage backends loaded

from accounts.models import ErasureRequest, Role
from accounts.privacy import exporter, registry
from accounts.services.privacy import erase_subject
from accounts.tests.factories import make_member
from assistant.models import (
    Attachment,
    Conversation,
    Feedback,
    IntentExample,
    Message,
    Persona,
    PersonaChoice,
    ProposedAction,
)
from assistant.tests.factories import (
    AttachmentFactory,
    ConversationFactory,
    FeedbackFactory,
    IntentExampleFactory,
    MessageFactory,
    PersonaFactory,
    ProposedActionFactory,
)

pytestmark = pytest.mark.django_db

LABELS = [
    "assistant.Conversation",
    "assistant.Message",
    "assistant.Attachment",
    "assistant.ProposedAction",
    "assistant.Feedback",
    "assistant.IntentExample",
    "assistant.PersonaChoice",
    "assistant.Persona",
]


@pytest.fixture
def world(school, teacher):
    subject = make_member(school, Role.DEPARTMENT_HEAD, email="sam@northside.test")
    conversation = ConversationFactory(school=school, owner=subject, title="Sam asks")
    MessageFactory(conversation=conversation, text="How did Grade 5 Blue do?")
    attachment = AttachmentFactory(conversation=conversation)
    ProposedActionFactory(message__conversation=conversation, summary="Draft a plan")
    FeedbackFactory(message__conversation=conversation, rating=-1, correction="I meant attendance")
    IntentExampleFactory(school=school, owner=subject, phrase="who showed up")
    persona = PersonaFactory(school=school, name="Coach Sam", created_by=subject)
    PersonaChoice.objects.create(user=subject, school=school, persona=persona)
    others = ConversationFactory(school=school, owner=teacher, title="Not Sam's")
    MessageFactory(conversation=others)
    return {"subject": subject, "attachment": attachment, "persona": persona, "others": others}


def test_every_assistant_model_is_registered():
    assert set(LABELS) <= {entry.label for entry in registry.entries()}


def test_export_holds_every_kind_of_row_and_the_file(world):
    archive, manifest = exporter.build_archive(world["subject"])
    with archive:
        zf = zipfile.ZipFile(archive)

        def rows(label):
            return json.loads(zf.read(f"data/{label.lower()}.json"))

        assert [row["title"] for row in rows("assistant.Conversation")] == ["Sam asks"]
        assert "How did Grade 5 Blue do?" in [row["text"] for row in rows("assistant.Message")]
        assert [row["original_name"] for row in rows("assistant.Attachment")] == ["results.csv"]
        assert [row["summary"] for row in rows("assistant.ProposedAction")] == ["Draft a plan"]
        assert [row["correction"] for row in rows("assistant.Feedback")] == ["I meant attendance"]
        assert [row["phrase"] for row in rows("assistant.IntentExample")] == ["who showed up"]
        assert len(rows("assistant.PersonaChoice")) == 1
        assert [row["name"] for row in rows("assistant.Persona")] == ["Coach Sam"]
        files = [name for name in zf.namelist() if name.startswith("files/")]
        assert len(files) == 1 and zf.read(files[0]).startswith(b"student,value")
    assert {f["model"] for f in manifest["files"] if "model" in f} >= set(LABELS)


def test_erasure_deletes_what_was_said_and_keeps_the_schools_persona(world, school, django_capture_on_commit_callbacks):
    subject = world["subject"]
    name = world["attachment"].file.name
    storage = world["attachment"].file.storage
    assert storage.exists(name)
    erasure = ErasureRequest.objects.create(school=school, subject=subject, requested_by=subject)
    with django_capture_on_commit_callbacks(execute=True):
        ledger = {row.model: (row.action, row.rows) for row in erase_subject(erasure=erasure)}
    assert ledger["assistant.Conversation"] == (registry.DELETE, 1)
    assert ledger["assistant.Attachment"] == (registry.DELETE, 1)
    assert ledger["assistant.Persona"] == (registry.ANONYMIZED, 1)
    assert not Conversation.objects.filter(owner=subject).exists()
    assert not Message.objects.filter(conversation__owner=subject).exists()
    assert not Attachment.objects.exists() and not storage.exists(name)
    assert not ProposedAction.objects.exists() and not Feedback.objects.exists()
    assert not IntentExample.objects.filter(owner=subject).exists()
    assert not PersonaChoice.objects.filter(user=subject).exists()
    persona = Persona.objects.get(pk=world["persona"].pk)
    assert persona.created_by is None and persona.school == school
    assert Conversation.objects.filter(pk=world["others"].pk).exists()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="root@example.org", password="x-Strong-Pass-1")
    client.force_login(user)
    return client


def test_admin_pages_load_and_only_personas_are_editable(admin_client, world):
    for model in ("conversation", "message", "attachment", "proposedaction", "feedback", "intentexample"):
        listing = admin_client.get(f"/admin/assistant/{model}/")
        assert listing.status_code == 200, model
        assert admin_client.get(f"/admin/assistant/{model}/add/").status_code == 403, model
    conversation = Conversation.objects.filter(owner=world["subject"]).get()
    detail = admin_client.get(f"/admin/assistant/conversation/{conversation.pk}/change/")
    assert detail.status_code == 200 and "Sam asks" in detail.content.decode()
    persona = world["persona"]
    response = admin_client.post(
        f"/admin/assistant/persona/{persona.pk}/change/",
        {
            "school": persona.school_id,
            "name": "Coach Sam",
            "tone": "formal",
            "verbosity": "normal",
            "language": "",
            "reading_level": "standard",
        },
    )
    assert response.status_code == 302
    persona.refresh_from_db()
    assert persona.tone == "formal"


def test_admin_delete_removes_the_attachment_file(admin_client, world, django_capture_on_commit_callbacks):
    attachment = world["attachment"]
    name, storage = attachment.file.name, attachment.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/assistant/attachment/{attachment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists() and not storage.exists(name)
