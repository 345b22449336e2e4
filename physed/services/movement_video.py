"""The optional private video kept with an analysis: checked by its bytes, stored under an
unguessable name in the default storage, served only by permission-checked views."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.audit import record_event
from accounts.services.errors import ServiceError
from physed.models import MovementAnalysis
from physed.movement.data import settings as movement_settings
from physed.services.movement import ADD, DELETE, _require

QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def sniff_video(head: bytes) -> str | None:
    """ "mp4", "mov" or "webm" from the first bytes of the file, else None."""
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if b"webm" in head[:64] else None
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head[4:8] in QUICKTIME_ATOMS:
        return "mov"
    return None


def check_video(upload) -> str:
    """The video kind, or ``ServiceError``: size, extension and content must all agree."""
    config = movement_settings()
    limit = config["limits"]["video_max_bytes"]
    size = getattr(upload, "size", 0) or 0
    if not size:
        raise ServiceError(_("The file is empty."), field="video", code="empty")
    if size > limit:
        raise ServiceError(
            _("The video is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
            field="video",
            code="too_large",
        )
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    kind = sniff_video(upload.read(64))
    upload.seek(0)
    allowed = config["video_types"]
    if kind is None or extension not in allowed[kind]["extensions"]:
        raise ServiceError(_("Upload an MP4, MOV or WebM video."), field="video", code="unsupported_format")
    return kind


@transaction.atomic
def attach_video(*, actor, analysis: MovementAnalysis, upload) -> MovementAnalysis:
    _require(actor, ADD, analysis)
    kind = check_video(upload)
    old = analysis.video.name if analysis.video else ""
    content_type = movement_settings()["video_types"][kind]["content_type"]
    analysis.video.save(f"video.{kind}", upload, save=False)
    analysis.video_content_type = content_type
    analysis.video_size = upload.size
    analysis.save(update_fields=["video", "video_content_type", "video_size", "updated_at"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    record_event(
        "physed.movement_video_attached",
        actor=actor,
        school=analysis.student.school,
        target=analysis,
        changes={"size": upload.size, "type": content_type, "replaced": bool(old)},
    )
    return analysis


@transaction.atomic
def remove_video(*, actor, analysis: MovementAnalysis) -> MovementAnalysis:
    _require(actor, DELETE, analysis)
    old = analysis.video.name if analysis.video else ""
    if not old:
        return analysis
    analysis.video = ""
    analysis.video_content_type = ""
    analysis.video_size = None
    analysis.save(update_fields=["video", "video_content_type", "video_size", "updated_at"])
    transaction.on_commit(lambda: default_storage.delete(old))
    record_event("physed.movement_video_removed", actor=actor, school=analysis.student.school, target=analysis)
    return analysis
