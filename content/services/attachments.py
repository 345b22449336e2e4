"""Private attachments on content items: upload (checked by their bytes and size through
``config.uploads.check_upload``, nothing stored when refused), audited downloads, deletion.
Files live in private storage and are served only by permission-checked views."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from config.uploads import FILE_KINDS, check_upload
from content.models import ContentAttachment
from content.services.common import require_edit, require_view

KINDS = ("pdf", "png", "jpeg", "mp4")
# what a stored attachment is served as: the checked kind's type (the API schema lists them)
CONTENT_TYPES = tuple(FILE_KINDS[kind]["content_type"] for kind in KINDS)


@transaction.atomic
def add_attachment(*, actor, item, upload) -> ContentAttachment:
    """Attach ``upload`` to ``item`` (needs edit rights); a wrong kind or size is a 400."""
    require_edit(actor, item)
    _kind, content_type = check_upload(
        upload,
        field="file",
        kinds=KINDS,
        limit=settings.CONTENT_MAX_ATTACHMENT_BYTES,
        wrong_kind=_("Attach a PDF, PNG, JPEG or MP4 file."),
    )
    name = (getattr(upload, "name", "") or "attachment").rsplit("/", 1)[-1][-200:]
    attachment = ContentAttachment(
        item=item, original_name=name, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    record_event("content.attachment_added", actor=actor, school=item.school, target=attachment, target_label=name)
    return attachment


def record_download(*, actor, attachment) -> None:
    """Every download is audit-logged (after the view-rights check)."""
    require_view(actor, attachment.item)
    record_event(
        "content.attachment_downloaded",
        actor=actor,
        school=attachment.item.school,
        target=attachment,
        target_label=attachment.original_name,
    )


@transaction.atomic
def delete_attachment(*, actor, attachment) -> None:
    require_edit(actor, attachment.item)
    record_event(
        "content.attachment_deleted",
        actor=actor,
        school=attachment.item.school,
        target=attachment,
        target_label=attachment.original_name,
    )
    attachment.file.delete(save=False)
    attachment.delete()
