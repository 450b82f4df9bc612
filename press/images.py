"""Pictures: whether a file can be placed, and the bytes to embed for print.

Takes an image file's path.  `raster_problem` and `svg_problem` say why a file cannot be placed (not an
image, cut short, a decompression bomb, an SVG with entities or of size zero), from the file alone;
`svg_text` is the text an SVG draws.  `for_print` says what WeasyPrint should embed: the file itself when
it is small enough and may stay as it is (an SVG, a JPEG, a diagram), else the picture made for print:
turned upright by its EXIF orientation, scaled to MAX_WIDTH pixels wide when wider (about 300 dpi across
the whole text block), and saved as a JPEG at print quality when it is a photograph held in a lossless
format (PNG, WebP: see `photographic`) and its name does not end in `.lossless` (`sem.lossless.png`),
else in its own format (PNG for GIF and WebP).  A phone's 4000 × 3000 photo otherwise went into the PDF
whole (six of them made 42 MB), and one saved as PNG made a 6.2 MB PDF even at 2000 px (as a JPEG:
1.2 MB).  The same file gives the same bytes; what was made is kept by the file's content, so `press
watch` makes it once.
"""

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from press.sources import read_source

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # a whole A4 page at 600 dpi is 35 million
MAX_WIDTH = 2000  # pixels: 160 mm of text block at 317 dpi
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
JPEG_QUALITY = 90
LOSSLESS_NAME = ".lossless"  # micrograph.lossless.png: a photograph the editor keeps lossless
SAMPLE_SIDE = 512  # pixels: the longer side of the sample `photographic` counts colours in
MANY_COLOURS = 4096  # a photo's sample has tens of thousands; a diagram's or screenshot's, hundreds
FLAT_SHARE = 0.25  # the most one colour may cover of a photo (a diagram's or screenshot's background: > ½)
PHOTO_MODES = {"RGB", "RGBA", "L", "LA"}  # 8-bit colour or grey, with or without alpha
CACHE_SIZE = 32


UNCHANGED = b""  # Printed.data when the file itself is to be embedded


@dataclass(frozen=True)
class Printed:
    """What to embed for a picture: `data` (UNCHANGED: the file itself) and, for a photo turned into a JPEG,
    what was done (`4000 × 3000 PNG 19.3 MB → 2000 × 1500 JPEG 0.8 MB`)."""

    data: bytes = UNCHANGED
    converted: str = ""


def for_print(path: Path) -> Printed:
    """What to embed for the image at `path` (see the module's docstring)."""
    if path.suffix.lower() not in RASTER:
        return Printed()
    return cached(read_source(path), jpeg_allowed=not path.stem.lower().endswith(LOSSLESS_NAME))


def mime_type(data: bytes) -> str:
    """The type of a picture for_print made: JPEG or PNG."""
    return "image/jpeg" if data[:2] == b"\xff\xd8" else "image/png"


CACHE: dict[tuple[bytes, bool], Printed] = {}  # (content hash, JPEG allowed) → Printed, oldest first


def cached(data: bytes, jpeg_allowed: bool) -> Printed:
    """`made(data, …)`, kept by the content's hash (press watch embeds the same pictures build after build)."""
    key = (hashlib.sha256(data).digest(), jpeg_allowed)
    if key not in CACHE:
        if len(CACHE) >= CACHE_SIZE:
            del CACHE[next(iter(CACHE))]
        CACHE[key] = made(data, jpeg_allowed)
    return CACHE[key]


def made(data: bytes, jpeg_allowed: bool) -> Printed:
    """The picture in `data` made for print, or Printed() if the file can be embedded as it is; a photo is
    made a JPEG only when `jpeg_allowed` (its file is not named *.lossless.png)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        if getattr(picture, "is_animated", False):
            return Printed()
        photo = jpeg_allowed and photographic(picture)
        if picture.width <= MAX_WIDTH and not photo:
            return Printed()
        fitted = upright_and_fitted(picture)
        options = {"icc_profile": picture.info["icc_profile"]} if picture.info.get("icc_profile") else {}
        out = io.BytesIO()
        if photo:
            fitted.convert(picture.mode.rstrip("A")).save(out, "JPEG", quality=JPEG_QUALITY, subsampling="4:2:0",
                                                         optimize=True, **options)
            return Printed(out.getvalue(), f"{picture.width} × {picture.height} {picture.format} "
                           f"{megabytes(len(data))} → {fitted.width} × {fitted.height} JPEG {megabytes(out.tell())}")
        if picture.format == "JPEG":
            fitted.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
        else:
            fitted.save(out, "PNG", optimize=True, **options)
        return Printed(out.getvalue())


def upright_and_fitted(picture):
    """A picture turned upright by its EXIF orientation and scaled to MAX_WIDTH if it is wider."""
    from PIL import Image, ImageOps

    upright = ImageOps.exif_transpose(picture)
    if upright.width <= MAX_WIDTH:
        return upright
    return upright.resize((MAX_WIDTH, round(upright.height * MAX_WIDTH / upright.width)), Image.LANCZOS)


def photographic(picture) -> bool:
    """Whether a picture in a lossless format (PNG, WebP) is a photograph, best embedded as a JPEG.

    A photograph has many colours and no flat background: a nearest-neighbour sample of its pixels
    (SAMPLE_SIDE long, so no colour is made by the scaling) holds more than MANY_COLOURS colours and none
    of them covers FLAT_SHARE of it.  A diagram, chart or screenshot (flat fills, anti-aliased text) has
    a few hundred and a background over half of it, and stays lossless.  A grey picture has at most 256
    values, so its sample counts each pixel with its right and lower neighbours.  A picture with any
    transparency stays lossless (flattened, it would show white where the page behind may not be), and
    so does one in another mode (a palette has at most 256 colours; 16-bit grey is left as it is).
    """
    from PIL import Image, ImageChops

    if picture.format == "JPEG" or picture.mode not in PHOTO_MODES or transparent(picture):
        return False
    scale = min(1.0, SAMPLE_SIDE / max(picture.size))
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    sample = picture.resize(size, Image.NEAREST).convert(picture.mode.rstrip("A"))
    if sample.mode == "L":
        sample = Image.merge("RGB", (sample, ImageChops.offset(sample, 1, 0), ImageChops.offset(sample, 0, 1)))
    pixels = sample.width * sample.height
    colours = sample.getcolors(pixels)
    return len(colours) > MANY_COLOURS and max(colours)[0] < FLAT_SHARE * pixels


def transparent(picture) -> bool:
    """Whether a picture has a transparent colour or an alpha channel that is not opaque everywhere."""
    if "transparency" in picture.info:
        return True
    return picture.mode.endswith("A") and picture.getchannel("A").getextrema() != (255, 255)


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


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


# A picture's natural size ----------------------------------------------------------------------------------

CSS_DPI = 96  # a CSS px is 1/96 in: an SVG's user unit, and a raster's pixel when its file records no resolution
SVG_DEFAULT = (300.0, 150.0)  # CSS px: the size CSS gives a picture that states neither size nor proportions
SVG_UNITS = {"": 1.0, "px": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "pt": 96 / 72, "pc": 16.0}
DPI_RANGE = (10.0, 10_000.0)  # a recorded resolution outside it is taken for a slip (0, 1 dpi) and ignored
ORIENTATION = 0x0112  # EXIF: 5–8 turn the picture a quarter, so width and height change places
SVG_LENGTH = re.compile(r"\s*(\d+\.?\d*|\.\d+)\s*([a-z]*)\s*$", re.IGNORECASE)


def natural_size(path: Path) -> tuple[float, float]:
    """A picture's natural size in CSS px (1/96 in), upright: an SVG's width and height (or its view box's, or
    300 × 150 when it states neither), a raster's pixels at the resolution its file records (PNG pHYs, JPEG
    JFIF or EXIF density; else 96 dpi).  Raises OSError or ValueError if the file cannot be read."""
    if path.suffix.lower() == ".svg":
        return svg_size(read_source(path))
    from PIL import Image

    with Image.open(path) as picture:
        width, height = picture.size
        dpi = picture.info.get("dpi") or (CSS_DPI, CSS_DPI)
        across, down = (resolution(value) for value in (tuple(dpi) * 2)[:2])
        if picture.getexif().get(ORIENTATION) in (5, 6, 7, 8):
            width, height, across, down = height, width, down, across
    return width * CSS_DPI / across, height * CSS_DPI / down


def resolution(value) -> float:
    """A recorded resolution in dpi, or CSS_DPI when it is none or out of DPI_RANGE."""
    try:
        dpi = float(value)
    except (TypeError, ValueError):
        return CSS_DPI
    return dpi if DPI_RANGE[0] <= dpi <= DPI_RANGE[1] else CSS_DPI


def svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's natural size in CSS px: its width and height in absolute units, the view box giving what is missing
    (or a percentage or em), 300 × 150 when neither says."""
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(data)
    width, height = svg_length(root.get("width")), svg_length(root.get("height"))
    box = [float(number) for number in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?",
                                                  root.get("viewBox") or "", re.IGNORECASE)]
    ratio = box[2] / box[3] if len(box) == 4 and box[2] > 0 and box[3] > 0 else None
    if width and height:
        return width, height
    if ratio and (width or height):
        return (width, width / ratio) if width else (height * ratio, height)
    if ratio:
        return box[2], box[3]
    return width or SVG_DEFAULT[0], height or SVG_DEFAULT[1]


def svg_length(value: str | None) -> float | None:
    """An SVG length attribute in CSS px, or None when missing, relative (%, em) or not positive."""
    match = SVG_LENGTH.match(value or "")
    if not match or match.group(2).lower() not in SVG_UNITS:
        return None
    length = float(match.group(1)) * SVG_UNITS[match.group(2).lower()]
    return length if length > 0 else None
