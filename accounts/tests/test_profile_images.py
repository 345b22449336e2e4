"""Avatar processing: content-based format check, limits, bombs, re-encoding without metadata."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.images import AvatarError, process_avatar


def image_bytes(fmt="PNG", size=(300, 200), color=(200, 30, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)}  # GPSInfo
    return image_bytes("JPEG", exif=exif.tobytes())


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming huge dimensions with a tiny compressed body (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def upload(content: bytes, name="pic.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_reencoded_as_square_webp_at_each_size(fmt):
    result = process_avatar(upload(image_bytes(fmt)))
    assert set(result) == {"small", "large"}
    for name, pixels in (("small", 64), ("large", 256)):
        picture = Image.open(io.BytesIO(result[name]))
        assert picture.format == "WEBP"
        assert picture.size == (pixels, pixels)


def test_exif_and_gps_are_gone_from_the_stored_image():
    source = jpeg_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get(0x010F) == "SpyCam"
    result = process_avatar(upload(source, "me.jpg", "image/jpeg"))
    for content in result.values():
        picture = Image.open(io.BytesIO(content))
        assert dict(picture.getexif()) == {}
        assert "exif" not in picture.info and "xmp" not in picture.info
        assert b"SpyCam" not in content


def test_exif_orientation_is_applied_before_cropping():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when displayed
    buffer = io.BytesIO()
    picture = Image.new("RGB", (400, 200), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 200, 200))  # left half red
    picture.save(buffer, format="JPEG", exif=exif.tobytes())
    large = Image.open(io.BytesIO(process_avatar(upload(buffer.getvalue(), "r.jpg"))["large"])).convert("RGB")
    # after rotation the red half is on top; the centre crop shows red above blue
    top, bottom = large.getpixel((128, 20)), large.getpixel((128, 236))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"<html><script>alert(1)</script></html>", "unsupported_format"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "unsupported_format"),
        (b"GIF89a" + b"\0" * 64, "unsupported_format"),
        (b"\x89PNG\r\n\x1a\n<html><body>not really a png</body></html>", "unsupported_format"),
        (png_header_only(5000, 5000), "too_many_pixels"),
        (png_header_only(100_000, 100_000), "too_many_pixels"),
        (png_header_only(4096, 4097), "too_many_pixels"),
    ],
    ids=["zero-byte", "html", "svg", "gif", "html-in-png", "bomb", "huge-bomb", "one-row-too-tall"],
)
def test_bad_uploads_are_refused_with_a_reason(content, code):
    with pytest.raises(AvatarError) as caught:
        process_avatar(upload(content))
    assert caught.value.code == code


def test_a_truncated_picture_is_refused_as_corrupt():
    content = image_bytes("PNG", size=(500, 500))
    with pytest.raises(AvatarError) as caught:
        process_avatar(upload(content[: len(content) // 2]))
    assert caught.value.code == "corrupt"


def test_oversized_file_is_refused_before_decoding(settings):
    settings.AVATAR_MAX_BYTES = 1000
    with pytest.raises(AvatarError) as caught:
        process_avatar(upload(image_bytes("PNG", size=(400, 400)) + b"\0" * 2000))
    assert caught.value.code == "too_large"


def test_html_appended_to_a_real_png_does_not_survive_reencoding():
    polyglot = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    for content in process_avatar(upload(polyglot)).values():
        assert b"<script" not in content


def test_pillow_pixel_limit_is_restored_after_the_check():
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(AvatarError):
        process_avatar(upload(png_header_only(5000, 5000)))
    assert before == Image.MAX_IMAGE_PIXELS
