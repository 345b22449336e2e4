"""Evidence files on skill assessments: photos, documents and short videos checked by their bytes.

PNG, JPEG, PDF and MP4 (``config.uploads``): name extension, bytes and size must all agree; the size
limit is the setting ``ASSESSMENTS_MAX_EVIDENCE_BYTES`` (default 25 MB, our own choice for short
clips filmed on a phone). Anything else is a ``ServiceError`` (400) and nothing is stored.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from config.uploads import check_upload

EVIDENCE_KINDS = ("pdf", "png", "jpeg", "mp4")


def max_evidence_bytes() -> int:
    return int(settings.ASSESSMENTS_MAX_EVIDENCE_BYTES)


def check_evidence(upload, *, field: str = "file") -> tuple[str, str]:
    """(kind, content type) of an acceptable upload, else ``ServiceError`` on ``field``."""
    return check_upload(
        upload,
        field=field,
        kinds=EVIDENCE_KINDS,
        limit=max_evidence_bytes(),
        wrong_kind=_("Upload a PNG, JPEG, PDF or MP4 file (its content must match its name)."),
    )
