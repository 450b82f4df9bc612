"""Pictures: whether a file can be placed, and the bytes to embed for print.

Takes an image file's path.  `raster_problem` and `svg_problem` say why a file cannot be placed (not an
image, cut short, a decompression bomb, an SVG with entities or of size zero), from the file alone;
`svg_text` is the text an SVG draws.  `for_print` returns the bytes WeasyPrint should embed: the file
itself when it is small enough (or not a raster image), else the picture scaled to MAX_WIDTH pixels wide
(about 300 dpi across the whole text block), turned upright by its EXIF orientation and saved again in
its own format (PNG for GIF and WebP).  A phone's 4000 × 3000 photo otherwise went into the PDF whole:
six of them made 42 MB.  The same file gives the same bytes.
"""

import io
import re
from functools import lru_cache
from pathlib import Path

from press.sources import read_source

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # a whole A4 page at 600 dpi is 35 million
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


# Whether a file can be placed ---------------------------------------------------------------------


def svg_text(path: Path) -> str:
    """The text an SVG file draws: all the text inside its <text> elements, <tspan>s and the text after them
    included (`cm<tspan>−2</tspan>）`); "" if it cannot be read."""
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(read_source(path))
    except (ElementTree.ParseError, OSError):
        return ""
    return "".join("".join(node.itertext()) for node in root.iter() if node.tag.rsplit("}", 1)[-1] == "text")


def raster_problem(path: Path) -> tuple[str, str] | None:
    """Why a PNG, JPEG, GIF or WebP file cannot be placed (Chinese, English), from its header alone."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height <= MAX_IMAGE_PIXELS:
                    decode_check(image, path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        declared = re.search(r"\((\d+) pixels\)", str(error))  # Pillow stops before giving the size
        pixels = f"{int(declared.group(1)):,}" if declared else "too many"
        return "图片像素过多", f"image too large: {pixels} pixels declared, at most {MAX_IMAGE_PIXELS:,}"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "不是可读的图片", "not a readable image file"
    except CutShort:
        return "图片文件不完整", "image file cut short or damaged: save or copy it again"
    if width * height > MAX_IMAGE_PIXELS:
        return "图片像素过多", (f"image too large: {width} × {height} = {width * height:,} pixels "
                                f"declared, at most {MAX_IMAGE_PIXELS:,}")
    return None


class CutShort(Exception):
    """An image file whose header reads but whose data does not decode to the end."""


def decode_check(image, path: Path) -> None:
    """Decode an image (a JPEG at an eighth of its size, which is quick) and raise CutShort if its data breaks off.

    A JPEG must also hold its end-of-image marker after its scan data (a
    decoder fills a missing tail with grey without a word).  Data after the
    image's end (a phone's "motion photo", a stray byte) is allowed, as every
    viewer allows it.
    """
    from PIL import ImageFile

    if image.format == "JPEG":
        data = path.read_bytes()
        scan = data.find(b"\xff\xda")
        if scan < 0 or data.find(b"\xff\xd9", scan) < 0:
            raise CutShort
    try:
        if image.format == "PNG":
            image.verify()  # every chunk's checksum, up to the end chunk
            return
        if image.format == "JPEG":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False  # WeasyPrint sets it
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    except (OSError, SyntaxError, ValueError) as error:
        raise CutShort from error


def not_positive(length: str | None) -> bool:
    """Whether an SVG length attribute is given and is 0 or less (a missing one takes the view box's)."""
    number = re.match(r"\s*([-+]?(\d+\.?\d*|\.\d+))", length or "")
    return number is not None and float(number.group(1)) <= 0


def svg_problem(path: Path) -> tuple[str, str] | None:
    """Why an SVG file cannot be placed (Chinese, English): declarations that can expand, or bad XML.
    Raises OSError if it cannot be read."""
    import xml.etree.ElementTree as ElementTree

    data = read_source(path)
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        return "SVG 中不允许 DOCTYPE 或实体声明", "SVG with a DOCTYPE or entity declarations is refused"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return "SVG 格式错误", f"not well-formed XML: line {error.position[0]}"
    if not root.tag.endswith("svg"):
        return "不是 SVG 图片", "the root element is not <svg>"
    if any(not_positive(root.get(side)) for side in ("width", "height")):
        return "SVG 尺寸为零", "the SVG's width or height is 0: it would print as nothing"
    return None
