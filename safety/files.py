"""Private documents (a student's medical action plan): checked by their bytes, not their name.

``check_document`` accepts PDF, PNG and JPEG whose first bytes, extension and size all agree
(``config.uploads``); anything else is a ``ServiceError`` (400) and nothing is stored.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from config.uploads import check_upload

DOCUMENT_KINDS = ("pdf", "png", "jpeg")


def check_document(upload, *, field: str) -> tuple[str, str]:
    """(kind, content type) of an acceptable upload, else ``ServiceError`` on ``field``."""
    return check_upload(
        upload,
        field=field,
        kinds=DOCUMENT_KINDS,
        limit=settings.SAFETY_MAX_DOCUMENT_BYTES,
        wrong_kind=_("Upload a PDF, PNG or JPEG file (its content must match its name)."),
    )
