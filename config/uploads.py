"""Uploaded files checked by their bytes, not their name (private documents, evidence files).

``check_upload`` accepts a file whose first bytes identify one of the allowed kinds, whose name
extension is one of that kind's extensions and whose size is within the limit; anything else is a
``ServiceError`` (400) and nothing is stored. Kinds: PDF (``%PDF-``), PNG (its 8-byte signature),
JPEG (``FF D8 FF``), MP4 (an ISO/IEC 14496-12 ``ftyp`` box at bytes 4–8).
"""

from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError

FILE_KINDS = {
    "pdf": {"extensions": {"pdf"}, "content_type": "application/pdf"},
    "png": {"extensions": {"png"}, "content_type": "image/png"},
    "jpeg": {"extensions": {"jpg", "jpeg"}, "content_type": "image/jpeg"},
    "mp4": {"extensions": {"mp4", "m4v"}, "content_type": "video/mp4"},
}


def private_storage():
    """Private files (medical action plans, incident attachments, evidence, content attachments):
    the ``privacy`` storage alias (never under MEDIA_URL); served only through permission-checked
    views. Models name it as their FileField storage (a callable, so tests may swap storages)."""
    from django.conf import settings
    from django.core.files.storage import storages

    return storages["privacy"] if "privacy" in settings.STORAGES else storages["default"]


def sniff(head: bytes) -> str | None:
    """The kind of file from its first bytes (see ``FILE_KINDS``), else None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    return None


def check_upload(upload, *, field: str, kinds: tuple[str, ...], limit: int, wrong_kind: str) -> tuple[str, str]:
    """(kind, content type) of an acceptable upload, else ``ServiceError`` on ``field``;
    ``wrong_kind`` is the message for a file of another kind (or whose name does not match)."""
    if upload is None:
        raise ServiceError(_("Choose a file."), field=field, code="required")
    size = getattr(upload, "size", 0) or 0
    if not size:
        raise ServiceError(_("The file is empty."), field=field, code="empty")
    if size > limit:
        raise ServiceError(
            _("The file is larger than %(limit)d MB.") % {"limit": max(1, limit // (1024 * 1024))},
            field=field,
            code="too_large",
        )
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind not in kinds or extension not in FILE_KINDS[kind]["extensions"]:
        raise ServiceError(wrong_kind, field=field, code="unsupported_format")
    return kind, FILE_KINDS[kind]["content_type"]
