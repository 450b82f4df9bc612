"""A figure's picture in the PDF held to its file: the check `figures`.

Takes a `Reading` of a press PDF (each figure's place on its page, from its picture's and its caption's
destinations) and what the source says (`Expected.figures`: each figure's file and place); returns a
`Measure` whose failures name each figure whose picture is not in the PDF, is drawn larger than its
natural size, or does not look like its file.  The drawn size is the box of what PDFium finds drawn in
the figure's place (a raster picture's own box; an SVG's paths, text and pictures together, which is
no larger than its box unless its drawing runs outside it), held to the file's natural size
(`images.natural_size`) within DRAWN_SLACK.  The look: both are reduced to a small grey thumbnail, the
PDF's as PDFium draws the picture (its mask and turning applied), the file's turned upright by its EXIF
orientation, and compared cell by cell.  An SVG figure's text is compared by `text`; here it need only
stand in its place and not be drawn larger than its file.  A draft's marks (press.draft: one form drawn over
the whole page, marked as a watermark artifact) stand in no figure's place.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from press.draft import draft_time
from press.images import natural_size
from press.measure import Failure, Measure

if TYPE_CHECKING:
    from press.expected import Expected
    from press.pdfread import Reading

THUMBNAIL = (32, 32)
MOST_CELL = 48  # of 255: the most one cell of the thumbnails may differ (scaling and JPEG leave < 10)
MOST_MEAN = 6  # of 255: the most the thumbnails may differ on average (they leave < 1)
PT_PER_PX = 72 / 96
MM_PER_PT = 25.4 / 72
DRAWN_SLACK = (1.01, 1.0)  # a figure may be drawn up to 1 % and 1 pt larger than its natural size (rounding, strokes)


@dataclass
class Drawn:
    """What PDFium finds drawn in a figure's place: the box around it all (points: left, right, and the width and
    height) and the first raster picture among it, as PDFium draws it (a PIL image), if any."""

    left: float = float("inf")
    right: float = float("-inf")
    low: float = float("inf")
    high: float = float("-inf")
    picture: object = None

    def add(self, bounds: tuple[float, float, float, float]) -> None:
        left, low, right, high = bounds
        self.left, self.right = min(self.left, left), max(self.right, right)
        self.low, self.high = min(self.low, low), max(self.high, high)

    @property
    def size(self) -> tuple[float, float]:
        return max(0.0, self.right - self.left), max(0.0, self.high - self.low)


def figures(reading: "Reading", expected: "Expected") -> Measure:
    """Each figure of the source stands in the PDF, no larger than its picture's natural size, and a raster one
    looks like its file."""
    places = {block: (page, top, bottom) for page in reading.pages
              for block, (top, bottom) in page.figure_boxes.items()}
    drawn = drawings(reading.path, places, draft_time(reading.metadata) is not None) if reading.path else {}
    failures = []
    for figure in expected.figures:
        place = places.get(figure.ident)
        if place is None:
            failures.append(Failure("", f"the figure {figure.path.name} is not in the PDF", figure.source))
            continue
        page, found = place[0], drawn.get(figure.ident)
        if found is not None and (enlarged := larger_than_natural(found, figure.path)):
            failures.append(Failure(page.label, f"the figure {figure.path.name} is drawn {enlarged}", figure.source))
        if figure.path.suffix.lower() == ".svg":
            continue
        if found is None or found.picture is None:
            failures.append(Failure(page.label, f"the figure {figure.path.name} shows no picture", figure.source))
        elif not looks_alike(found.picture, figure.path):
            failures.append(Failure(page.label, f"the figure's picture is not {figure.path.name} as the file is now "
                             "(changed since the build?)", figure.source))
    return Measure("figures", len(failures), len(expected.figures), failures)


def larger_than_natural(drawn: Drawn, path: Path) -> str:
    """How much larger than its file's natural size a figure is drawn (`166 mm wide, its picture's natural width
    is 127 mm (480 px at 96 dpi)`), or "" if it is not."""
    try:
        natural = [length * PT_PER_PX for length in natural_size(path)]
    except (OSError, ValueError, SyntaxError):
        return ""
    scale, slack = DRAWN_SLACK
    for side, size, most in zip(("wide", "high"), drawn.size, natural, strict=True):
        if size > most * scale + slack:
            name = "width" if side == "wide" else "height"
            return (f"{size * MM_PER_PT:.0f} mm {side}, larger than its picture's natural {name} of "
                    f"{most * MM_PER_PT:.0f} mm (CSS px at 96 dpi, or the file's own resolution)")
    return ""


def drawings(path: Path, places: dict, draft: bool = False) -> dict[str, Drawn]:
    """Block id → what is drawn in that figure's place (page objects whose middle lies between its picture's top
    and its caption's), if anything; in a `draft`, its marks left out."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    by_page: dict[int, list[tuple[str, float, float]]] = {}
    for block, (page, top, bottom) in places.items():
        by_page.setdefault(page.index, []).append((block, top, bottom))
    found: dict[str, Drawn] = {}
    document = pdfium.PdfDocument(str(path))
    try:
        for index, blocks in by_page.items():
            page = document[index]
            height = page.get_height()
            for thing in page.get_objects(max_depth=1):
                if draft and draft_mark(thing):
                    continue
                if (block := place_of(thing, blocks, height)) is not None:
                    found.setdefault(block, Drawn()).add(thing.get_bounds())
            for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=16):
                block = place_of(image, blocks, height)
                if block is not None and found.setdefault(block, Drawn()).picture is None:
                    found[block].picture = image.get_bitmap(render=True).to_pil()
    finally:
        document.close()
    return found


def draft_mark(thing) -> bool:
    """Whether a page object (PDFium's) is a form drawn as an artifact, as press.draft draws a draft's marks."""
    import ctypes

    import pypdfium2.raw as raw

    if thing.type != raw.FPDF_PAGEOBJ_FORM:
        return False
    for index in range(raw.FPDFPageObj_CountMarks(thing.raw)):
        name = (raw.FPDF_WCHAR * 32)()
        length = ctypes.c_ulong()
        mark = raw.FPDFPageObj_GetMark(thing.raw, index)
        if raw.FPDFPageObjMark_GetName(mark, name, ctypes.sizeof(name), ctypes.byref(length)) and \
                bytes(name)[:max(length.value - 2, 0)].decode("utf-16-le") == "Artifact":
            return True
    return False


def place_of(thing, blocks: list[tuple[str, float, float]], height: float) -> str | None:
    """The figure (block id) in whose place a page object's middle lies, if any."""
    _, low, _, high = thing.get_bounds()
    middle = height - (low + high) / 2
    return next((block for block, top, bottom in blocks if top <= middle <= bottom), None)


def thumbnail(image):
    """A picture as a small grey thumbnail, on white where it is transparent."""
    from PIL import Image

    image = image.convert("RGBA")
    flat = Image.new("RGBA", image.size, "white")
    flat.alpha_composite(image)
    return flat.convert("L").resize(THUMBNAIL, Image.Resampling.BOX)


def looks_alike(drawn, file: Path) -> bool:
    """Whether a picture drawn in the PDF looks like the file (turned upright by its EXIF orientation)."""
    from PIL import Image, ImageChops, ImageOps, ImageStat

    try:
        with Image.open(file) as source:
            source.seek(0)
            wanted = thumbnail(ImageOps.exif_transpose(source))
    except (OSError, ValueError):
        return False
    difference = ImageChops.difference(thumbnail(drawn), wanted)
    return difference.getextrema()[1] <= MOST_CELL and ImageStat.Stat(difference).mean[0] <= MOST_MEAN
