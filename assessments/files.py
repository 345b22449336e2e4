"""Evidence files on skill assessments: photos, documents and short videos checked by their bytes.

PNG, JPEG and PDF are recognised by ``safety.files.sniff_document``; MP4 by its ``ftyp`` box
(ISO/IEC 14496-12: bytes 4–8 are ``ftyp``). Name extension, bytes and size must all agree; the size
limit is the setting ``ASSESSMENTS_MAX_EVIDENCE_BYTES`` (default 25 MB, our own choice for short
clips filmed on a phone). Anything else is a ``ServiceError`` (400) and nothing is stored.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.services.errors import ServiceError
from safety.files import sniff_document

DEFAULT_MAX_EVIDENCE_BYTES = 25 * 1024 * 1024

EVIDENCE_TYPES = {
    "pdf": {"extensions": {"pdf"}, "content_type": "application/pdf"},
    "png": {"extensions": {"png"}, "content_type": "image/png"},
    "jpeg": {"extensions": {"jpg", "jpeg"}, "content_type": "image/jpeg"},
    "mp4": {"extensions": {"mp4", "m4v"}, "content_type": "video/mp4"},
}


def max_evidence_bytes() -> int:
    return int(getattr(settings, "ASSESSMENTS_MAX_EVIDENCE_BYTES", DEFAULT_MAX_EVIDENCE_BYTES))


def sniff_evidence(head: bytes) -> str | None:
    """ "pdf", "png", "jpeg" or "mp4" from the first bytes, else None."""
    kind = sniff_document(head)
    if kind is not None:
        return kind
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    return None


def check_evidence(upload, *, field: str = "file") -> tuple[str, str]:
    """(kind, content type) of an acceptable upload, else ``ServiceError`` on ``field``."""
    if upload is None:
        raise ServiceError(_("Choose a file."), field=field, code="required")
    limit = max_evidence_bytes()
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
    kind = sniff_evidence(upload.read(16))
    upload.seek(0)
    if kind is None or extension not in EVIDENCE_TYPES[kind]["extensions"]:
        raise ServiceError(
            _("Upload a PNG, JPEG, PDF or MP4 file (its content must match its name)."),
            field=field,
            code="unsupported_format",
        )
    return kind, EVIDENCE_TYPES[kind]["content_type"]
