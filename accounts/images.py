"""Profile-picture processing: validate an upload by its content and re-encode it.

* The format is decided by the bytes, never by the name or content type: Pillow opens the file
  with an explicit ``formats`` list (JPEG, PNG, WebP), so SVG, HTML, GIF, … are refused.
* At most ``AVATAR_MAX_BYTES`` and ``AVATAR_MAX_SIDE`` × ``AVATAR_MAX_SIDE`` pixels. Pillow's
  decompression-bomb limit is lowered to that pixel count and its warning made an error, so a
  bomb is refused from its header, before any pixel is decoded.
* The picture is fully decoded, its EXIF orientation applied, cropped to a centred square and
  re-encoded as WebP at each size in ``AVATAR_SIZES`` without any metadata (EXIF, GPS, XMP, ICC,
  text chunks or trailing bytes such as an appended HTML document never survive).
"""

import io
import warnings

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
OUTPUT_FORMAT = "WEBP"
OUTPUT_CONTENT_TYPE = "image/webp"


class AvatarError(ValueError):
    """The upload is not an acceptable picture; ``code`` names why."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def _max_pixels() -> int:
    return settings.AVATAR_MAX_SIDE * settings.AVATAR_MAX_SIDE


def process_avatar(upload) -> dict[str, bytes]:
    """{size name: WebP bytes} for an uploaded file-like object, or ``AvatarError``."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise AvatarError(_("The file is empty."), "empty")
    if size > settings.AVATAR_MAX_BYTES:
        raise AvatarError(
            _("The picture is larger than %(limit)d MB.") % {"limit": settings.AVATAR_MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    upload.seek(0)
    limit = _max_pixels()
    previous = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = limit
            try:
                image = Image.open(upload, formats=list(ACCEPTED_FORMATS))
                width, height = image.size
                if width > settings.AVATAR_MAX_SIDE or height > settings.AVATAR_MAX_SIDE:
                    raise AvatarError(
                        _("The picture is %(w)d×%(h)d pixels; the limit is %(max)d×%(max)d.")
                        % {"w": width, "h": height, "max": settings.AVATAR_MAX_SIDE},
                        "too_many_pixels",
                    )
                image.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise AvatarError(
                    _("The picture has too many pixels; the limit is %(max)d×%(max)d.")
                    % {"max": settings.AVATAR_MAX_SIDE},
                    "too_many_pixels",
                ) from exc
            except UnidentifiedImageError as exc:
                raise AvatarError(_("Upload a JPEG, PNG or WebP picture."), "unsupported_format") from exc
            except (OSError, SyntaxError, ValueError) as exc:
                if isinstance(exc, AvatarError):
                    raise
                raise AvatarError(_("The picture is damaged or incomplete."), "corrupt") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    return _render_sizes(image)


def _render_sizes(image: Image.Image) -> dict[str, bytes]:
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    side = min(image.size)
    square = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
    result = {}
    for name, pixels in settings.AVATAR_SIZES.items():
        resized = square.resize((pixels, pixels), Image.Resampling.LANCZOS) if side != pixels else square.copy()
        buffer = io.BytesIO()
        resized.save(buffer, format=OUTPUT_FORMAT, quality=85, method=4)  # no exif=/icc_profile=: none kept
        result[name] = buffer.getvalue()
    return result
