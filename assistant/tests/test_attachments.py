"""Attachments: checked by their bytes, tables parsed into a preview, imports after confirmation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

import assistant.tools.actions  # noqa: F401 - registers the write tools
from accounts.services.errors import ServiceError
from assessments.models import FitnessResult
from assistant.models import ActionStatus, Attachment, AttachmentKind, Message, MessageRole, ProposedAction
from assistant.services.actions import confirm_action
from assistant.services.attachments import add_attachment, attach_to_record, describe_attachments, table_rows
from assistant.tests.test_actions import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school, teacher):
    return build_world(school, teacher)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def add(world, name, data, content_type="application/octet-stream"):
    return add_attachment(actor=world.teacher, conversation=world.conversation, upload=upload(name, data, content_type))


def refused(world, name, data, content_type="application/octet-stream") -> ServiceError:
    with pytest.raises(ServiceError) as error:
        add(world, name, data, content_type)
    assert Attachment.objects.count() == 0
    return error.value


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_csv_with_bom_and_semicolons_becomes_a_preview(world):
    data = "\ufeffStudent;PACER laps\nMaya Rodriguez;41\nLiam Chen;35\n".encode()
    attachment = add(world, "pacer.csv", data, "text/csv")
    assert attachment.kind == AttachmentKind.TABLE and attachment.content_type == "text/csv"
    assert attachment.table == {
        "columns": ["Student", "PACER laps"],
        "rows": [["Maya Rodriguez", "41"], ["Liam Chen", "35"]],
        "total_rows": 2,
    }
    assert attachment.size == len(data) and attachment.message is None
    assert table_rows(attachment) == [
        {"Student": "Maya Rodriguez", "PACER laps": "41"},
        {"Student": "Liam Chen", "PACER laps": "35"},
    ]


def test_preview_keeps_twenty_rows_and_counts_all(world):
    data = "name,value\n" + "".join(f"S{n},{n}\n" for n in range(30))
    attachment = add(world, "many.csv", data.encode())
    assert len(attachment.table["rows"]) == 20 and attachment.table["total_rows"] == 30
    assert len(table_rows(attachment)) == 30


def test_xlsx_first_sheet_is_read(world):
    attachment = add(world, "pacer.xlsx", xlsx_bytes([["Student", "PACER"], ["Ava Patel", 28], ["Liam Chen", 35.5]]))
    assert attachment.table["columns"] == ["Student", "PACER"]
    assert attachment.table["rows"] == [["Ava Patel", 28], ["Liam Chen", 35.5]]


def test_png_is_stored_privately(world):
    attachment = add(world, "photo.png", PNG)
    assert (attachment.kind, attachment.content_type, attachment.table) == (AttachmentKind.IMAGE, "image/png", {})
    with attachment.file.open("rb") as handle:
        assert handle.read() == PNG


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("report.pdf", b"%PDF-1.4 hello", "unsupported_format"),
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 40, "unsupported_format"),
        ("script.sh", b"#!/bin/sh\necho hi\n", "unsupported_format"),
        ("photo.csv", PNG, "unsupported_format"),  # an image named .csv is an image …
        ("fake.png", b"not really a png at all", "unsupported_format"),
        ("broken.xlsx", b"PK\x03\x04garbage-not-a-zip", "malformed"),
        ("latin1.csv", "Name,Value\nJosé,1\n".encode("latin-1"), "malformed"),
        ("header.csv", b"Student,PACER\n", "malformed"),
        ("blank.csv", b"\n\n", "malformed"),
        ("nohead.csv", b",PACER\nMaya,3\n", "malformed"),
    ],
)
def test_unsupported_and_malformed_files_are_refused(world, name, data, code):
    error = refused(world, name, data)
    assert (error.status, error.code) == (400, code)


def test_a_ragged_row_is_named(world):
    error = refused(world, "ragged.csv", b"Student,PACER\nMaya,41\nLiam,35,extra\n")
    assert error.code == "malformed"
    assert error.message == "Row 3 has 3 values but the header has 2 columns."


@override_settings(ASSISTANT_MAX_ATTACHMENT_BYTES=100)
def test_too_large_and_empty_files_are_refused(world):
    assert refused(world, "big.csv", b"a,b\n" + b"1,2\n" * 40).code == "too_large"
    assert refused(world, "empty.csv", b"").code == "empty"


def test_only_the_owner_adds_attachments(world, other_teacher):
    with pytest.raises(ServiceError) as error:
        add_attachment(actor=other_teacher, conversation=world.conversation, upload=upload("a.csv", b"a\n1\n"))
    assert error.value.status == 404


def test_describe_a_results_table_proposes_the_import_and_confirming_imports(world):
    data = b"Student,PACER\nMaya Rodriguez,41\nLiam Chen,35\nAva Patel,28\nSomeone Else,10\n"
    attachment = add(world, "pacer.csv", data)
    result = describe_attachments(world.ctx, [attachment])
    assert result.sentences[0] == "I read 4 rows with columns Student, PACER."
    assert result.cards[0].kind == "table" and result.cards[0].rows[0] == ["Maya Rodriguez", "41"]
    assert len(result.proposals) == 1
    payload = result.proposals[0].payload
    assert (payload["attachment_id"], payload["class_id"], payload["test_id"]) == (
        attachment.pk,
        world.pe_class.pk,
        world.test.pk,
    )
    assert [e["student_name"] for e in payload["entries"]] == ["Maya Rodriguez", "Liam Chen", "Ava Patel"]
    assert payload["unmatched"] == [{"row": 4, "name": "Someone Else"}]

    message = Message.objects.create(conversation=world.conversation, role=MessageRole.ASSISTANT, text="…")
    proposal = result.proposals[0]
    action = ProposedAction.objects.create(
        message=message, kind=proposal.kind, summary=proposal.summary, payload=proposal.payload
    )
    action = confirm_action(actor=world.teacher, action=action)
    assert action.status == ActionStatus.DONE, action.error
    assert FitnessResult.objects.count() == 3
    attachment.refresh_from_db()
    assert attachment.imported_at is not None
    summary = attachment.import_summary
    assert (summary["created"], summary["updated"], summary["errors"]) == (3, 0, 1)
    assert summary["rows"][3] == {"row": 4, "student": "Someone Else", "status": "error", "error": "Not matched."}


def test_describe_an_image_and_a_plain_table(world):
    image = add(world, "photo.png", PNG)
    table = add(world, "list.csv", b"Colour,Count\nRed,3\n")
    result = describe_attachments(world.ctx, [image, table])
    assert result.sentences[0].startswith("I received the image photo.png")
    assert result.sentences[1] == "I read 1 rows with columns Colour, Count."
    assert result.proposals == []


def test_attach_an_image_to_a_content_item(world):
    from content.models import ContentAttachment
    from content.services.items import create_item

    item = create_item(actor=world.teacher, school=world.school, title="Relay lesson", body="Run.")
    image = add(world, "court.png", PNG)
    copy = attach_to_record(actor=world.teacher, attachment=image, content_item=item)
    assert ContentAttachment.objects.get() == copy and copy.item == item and copy.content_type == "image/png"
    image.refresh_from_db()
    assert image.attached_to == f"content.ContentItem:{item.pk}"
    table = add(world, "list.csv", b"a,b\n1,2\n")
    with pytest.raises(ServiceError):
        attach_to_record(actor=world.teacher, attachment=table, content_item=item)


def test_a_message_refused_after_its_upload_takes_the_attachment_back(world, settings):
    from assistant.services.attachments import post_message_with_upload

    settings.ASSISTANT_RATE_PER_MINUTE = 1  # the second message is refused, after its file is stored
    first = post_message_with_upload(actor=world.teacher, conversation=world.conversation, text="hello")
    assert first[0].text == "hello"
    with pytest.raises(ServiceError) as error:
        post_message_with_upload(
            actor=world.teacher, conversation=world.conversation, text="see file", upload=upload("p.png", PNG)
        )
    assert error.value.status == 429
    assert Attachment.objects.count() == 0 and world.conversation.messages.count() == 2
