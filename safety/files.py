"""Private documents (a student's medical action plan): checked by their bytes, not their name.

``check_document`` accepts PDF, PNG and JPEG whose first bytes, extension and size all agree;
anything else is a ``ServiceError`` (400) and nothing is stored.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError

DOCUMENT_TYPES = {
    "pdf": {"extensions": {"pdf"}, "content_type": "application/pdf"},
    "png": {"extensions": {"png"}, "content_type": "image/png"},
    "jpeg": {"extensions": {"jpg", "jpeg"}, "content_type": "image/jpeg"},
}


def sniff_document(head: bytes) -> str | None:
    """ "pdf", "png" or "jpeg" from the first bytes, else None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def check_document(upload, *, field: str) -> tuple[str, str]:
    """(kind, content type) of an acceptable upload, else ``ServiceError`` on ``field``."""
    limit = settings.SAFETY_MAX_DOCUMENT_BYTES
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
    kind = sniff_document(upload.read(16))
    upload.seek(0)
    if kind is None or extension not in DOCUMENT_TYPES[kind]["extensions"]:
        raise ServiceError(
            _("Upload a PDF, PNG or JPEG file (its content must match its name)."),
            field=field,
            code="unsupported_format",
        )
    return kind, DOCUMENT_TYPES[kind]["content_type"]
