"""Files sent to the assistant: images (PNG/JPEG) and tables (CSV, XLSX).

A file is checked by its bytes, never by its name alone: PNG and JPEG through
``config.uploads.check_upload``; XLSX must start with the zip signature and open with openpyxl
(read-only, first sheet); CSV must decode as UTF-8 (a BOM is fine), its delimiter is sniffed
(``csv.Sniffer`` over , ; tab |). A table needs a header and at least one row, and every row as
many values as the header (trailing empty cells are ignored) — otherwise a 400 naming the row.
Anything else is a 400 ``unsupported_format``; a file that claims a kind but does not parse is
a 400 ``malformed``. Nothing is stored when a file is refused.

A table keeps its preview on the row (``{"columns", "rows": first 20, "total_rows"}``);
``table_rows`` parses the stored file again for an import. Files live in private storage.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from assistant.models import Attachment, AttachmentKind
from config.uploads import check_upload, sniff

PREVIEW_ROWS = 20
MAX_ROWS = 5000
ZIP_SIGNATURE = b"PK\x03\x04"
CSV_DELIMITERS = ",;\t|"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _malformed(message: str) -> ServiceError:
    return ServiceError(message, field="file", code="malformed")


def _cell(value):
    """A JSON-safe cell: numbers stay numbers, dates become ISO text, None becomes ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _checked(raw_rows) -> tuple[list[str], list[list]]:
    """(columns, rows) of a table whose first non-empty row is the header (see the docstring)."""
    columns, rows = None, []
    for number, raw in enumerate(raw_rows, start=1):
        cells = [_cell(value) for value in raw]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if columns is None:
            if any(str(c) == "" for c in cells):
                raise _malformed(_("Every column of the header row needs a name."))
            columns = [str(c) for c in cells]
            continue
        if len(cells) > len(columns):
            raise _malformed(
                _("Row %(row)d has %(values)d values but the header has %(columns)d columns.")
                % {"row": number, "values": len(cells), "columns": len(columns)}
            )
        rows.append(cells + [""] * (len(columns) - len(cells)))
        if len(rows) > MAX_ROWS:
            raise _malformed(_("A table may have at most %(limit)d rows.") % {"limit": MAX_ROWS})
    if columns is None:
        raise _malformed(_("The table is empty."))
    if not rows:
        raise _malformed(_("The table has a header but no rows."))
    return columns, rows


def parse_csv(data: bytes) -> tuple[list[str], list[list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _malformed(_("The CSV file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise _malformed(_("The CSV file contains binary data."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return _checked(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise _malformed(_("The CSV file could not be read: %(reason)s") % {"reason": exc}) from None


def parse_xlsx(data: bytes) -> tuple[list[str], list[list]]:
    if not data.startswith(ZIP_SIGNATURE):
        raise _malformed(_("The file is not an Excel workbook."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors …
        raise _malformed(_("The Excel workbook could not be read.")) from None
    try:
        if not workbook.worksheets:
            raise _malformed(_("The workbook has no sheet."))
        return _checked(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _table_kind(data: bytes, name: str, content_type: str) -> str | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(ZIP_SIGNATURE):
        return "xlsx" if extension == "xlsx" else None
    if extension in ("csv", "txt") or content_type in (CSV_TYPE, "application/csv"):
        return "csv" if sniff(data[:16]) is None else None
    return None


def _require_owner(actor, conversation) -> None:
    from assistant.services.conversations import _require_owner as require

    require(actor, conversation)


@transaction.atomic
def add_attachment(*, actor, conversation, upload) -> Attachment:
    """Stores ``upload`` for the conversation's next message (see the module docstring)."""
    _require_owner(actor, conversation)
    if upload is None:
        raise ServiceError(_("Choose a file."), field="file", code="required")
    limit = settings.ASSISTANT_MAX_ATTACHMENT_BYTES
    size = getattr(upload, "size", 0) or 0
    if size > limit:
        raise ServiceError(
            _("The file is larger than %(limit)d MB.") % {"limit": max(1, limit // (1024 * 1024))},
            field="file",
            code="too_large",
        )
    if not size:
        raise ServiceError(_("The file is empty."), field="file", code="empty")
    name = os.path.basename(getattr(upload, "name", "") or "file")[-200:] or "file"
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    table = {}
    if sniff(head) in ("png", "jpeg"):
        kind, content_type = check_upload(
            upload, field="file", kinds=("png", "jpeg"), limit=limit, wrong_kind=_("Attach a PNG or JPEG image.")
        )
        attachment_kind = AttachmentKind.IMAGE
        data = upload.read()
    else:
        data = upload.read()
        table_kind = _table_kind(data, name, getattr(upload, "content_type", "") or "")
        if table_kind is None:
            raise ServiceError(
                _("The assistant reads PNG or JPEG images and CSV or Excel (.xlsx) tables."),
                field="file",
                code="unsupported_format",
            )
        columns, rows = parse_csv(data) if table_kind == "csv" else parse_xlsx(data)
        table = {"columns": columns, "rows": rows[:PREVIEW_ROWS], "total_rows": len(rows)}
        attachment_kind, content_type = AttachmentKind.TABLE, CSV_TYPE if table_kind == "csv" else XLSX_TYPE
        kind = table_kind
    attachment = Attachment(
        conversation=conversation,
        kind=attachment_kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        table=table,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{'jpg' if kind == 'jpeg' else kind}", ContentFile(data), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    record_event(
        "assistant.attachment_added",
        actor=actor,
        school=conversation.school,
        target=attachment,
        target_label=name,
        changes={"kind": attachment_kind, "size": len(data)},
    )
    return attachment


def post_message_with_upload(*, actor, conversation, text: str, upload=None):
    """Stores the upload (if any) as an attachment and posts the message with it; returns (message,
    reply). When the message is refused after the file was stored (rate limit, archived, …), the
    just-stored attachment and its file are taken back, so the conversation stays as it was."""
    from assistant.services.conversations import post_message

    attachment = add_attachment(actor=actor, conversation=conversation, upload=upload) if upload else None
    try:
        return post_message(
            actor=actor,
            conversation=conversation,
            text=text,
            attachment_ids=[attachment.pk] if attachment else [],
        )
    except ServiceError:
        if attachment is not None:
            attachment.file.delete(save=False)
            attachment.delete()
        raise


def table_rows(attachment) -> list[dict]:
    """Every row of a table attachment as {column: value} (the stored file parsed again)."""
    if attachment.kind != AttachmentKind.TABLE:
        return []
    with attachment.file.open("rb") as handle:
        data = handle.read()
    columns, rows = parse_xlsx(data) if data.startswith(ZIP_SIGNATURE) else parse_csv(data)
    return [dict(zip(columns, row, strict=False)) for row in rows]


def image_data_url(attachment) -> str:
    """The image as a ``data:`` URL (for a vision-capable provider)."""
    import base64

    with attachment.file.open("rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{attachment.content_type};base64,{encoded}"


def describe_attachments(ctx, attachments):
    """What was received, as a ``ToolResult``: a sentence per file, a table card with each
    table's preview, and for a table that looks like fitness results (a student column and a
    column named after one of the school's tests) a ``propose_results`` proposal."""
    from assistant.services.attachments_import import looks_like_results, results_proposal_for_attachment
    from assistant.tools.base import Card, ToolResult

    result = ToolResult(tool="describe_attachments", data={"attachments": []})
    for attachment in attachments:
        entry = {"id": attachment.pk, "name": attachment.original_name, "kind": attachment.kind}
        if attachment.kind == AttachmentKind.IMAGE:
            result.sentences.append(
                _(
                    "I received the image %(name)s (%(size)d KB); it is stored privately and can be attached "
                    "to a content item."
                )
                % {"name": attachment.original_name, "size": max(1, attachment.size // 1024)}
            )
        else:
            table = attachment.table or {}
            columns = table.get("columns", [])
            entry.update(columns=columns, total_rows=table.get("total_rows", 0))
            result.sentences.append(
                _("I read %(rows)d rows with columns %(columns)s.")
                % {"rows": table.get("total_rows", 0), "columns": ", ".join(map(str, columns))}
            )
            result.cards.append(
                Card(kind="table", title=attachment.original_name, columns=columns, rows=table.get("rows", []))
            )
            if looks_like_results(ctx, columns):
                proposal = results_proposal_for_attachment(ctx, attachment)
                result.sentences.extend(proposal.sentences if proposal.ok else [proposal.message])
                result.proposals.extend(proposal.proposals)
                result.cards.extend(proposal.cards)
        result.data["attachments"].append(entry)
    return result


def attach_to_record(*, actor, attachment, content_item):
    """Copies an image attachment onto a content item (needs edit rights on the item); the
    content service checks the file again. Returns the ``ContentAttachment``."""
    from content.models import ContentItem
    from content.services.attachments import add_attachment as add_content_attachment

    _require_owner(actor, attachment.conversation)
    if attachment.kind != AttachmentKind.IMAGE:
        raise ServiceError(_("Only images can be attached to a content item."), field="attachment", code="invalid")
    if not ContentItem.objects.visible_to(actor).filter(pk=content_item.pk).exists():
        raise ServiceError(_("Not found."), field="content_item", code="not_found", status=404)
    with attachment.file.open("rb") as handle:
        upload = ContentFile(handle.read(), name=attachment.original_name)
    copy = add_content_attachment(actor=actor, item=content_item, upload=upload)
    attachment.attached_to = f"content.ContentItem:{content_item.pk}"
    attachment.save(update_fields=["attached_to"])
    return copy


__all__ = [
    "add_attachment",
    "attach_to_record",
    "describe_attachments",
    "image_data_url",
    "parse_csv",
    "parse_xlsx",
    "table_rows",
]
