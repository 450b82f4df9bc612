"""Images for print: a picture wider than the page can show is scaled down before it is embedded.

Takes an image file's path; returns the bytes WeasyPrint should embed: the file
itself when it is small enough (or not a raster image), else the picture scaled
to MAX_WIDTH pixels wide (about 300 dpi across the whole text block), turned
upright by its EXIF orientation and saved again in its own format (PNG for GIF
and WebP).  A phone's 4000 × 3000 photo otherwise went into the PDF whole: six
of them made 42 MB.  The same file gives the same bytes.
"""

import io
from functools import lru_cache
from pathlib import Path

MAX_WIDTH = 2000  # pixels: 160 mm of text block at 317 dpi
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
JPEG_QUALITY = 90


UNCHANGED = b""  # for_print's answer when the file itself is to be embedded


def for_print(path: Path) -> bytes:
    """The bytes to embed for the image at `path`, or UNCHANGED (see the module's docstring)."""
    if path.suffix.lower() not in RASTER:
        return UNCHANGED
    state = path.stat()
    return scaled(path, state.st_mtime_ns, state.st_size)


def mime_type(data: bytes) -> str:
    """The type of a picture for_print made: JPEG or PNG."""
    return "image/jpeg" if data[:2] == b"\xff\xd8" else "image/png"


@lru_cache(maxsize=64)  # press watch embeds the same pictures build after build
def scaled(path: Path, modified: int, size: int) -> bytes:
    """The picture at `path` scaled to MAX_WIDTH, or UNCHANGED if it is no wider (or animated)."""
    from PIL import Image, ImageOps

    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as picture:
        if picture.width <= MAX_WIDTH or getattr(picture, "is_animated", False):
            return UNCHANGED
        upright = ImageOps.exif_transpose(picture)
        height = round(upright.height * MAX_WIDTH / upright.width)
        smaller = upright.resize((MAX_WIDTH, height), Image.LANCZOS)
        options = {"icc_profile": picture.info["icc_profile"]} if picture.info.get("icc_profile") else {}
        out = io.BytesIO()
        if picture.format == "JPEG":
            smaller.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
        else:
            smaller.save(out, "PNG", optimize=True, **options)
        return out.getvalue()
