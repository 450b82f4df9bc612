"""A figure's picture in the PDF held to its file: the check `figures`.

Takes a `Reading` of a press PDF (each figure's place on its page, from its picture's and its caption's
destinations) and what the source says (`Expected.figures`: each figure's file and place); returns a
`Measure` whose failures name each figure whose picture is not in the PDF, or does not look like its
file: both are reduced to a small grey thumbnail, the PDF's as PDFium draws the picture (its mask and
turning applied), the file's turned upright by its EXIF orientation, and compared cell by cell.  An
SVG figure's text is compared by `text`; here it need only stand in its place.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from press.measure import Failure, Measure

if TYPE_CHECKING:
    from press.expected import Expected
    from press.pdfread import Reading

THUMBNAIL = (32, 32)
MOST_CELL = 48  # of 255: the most one cell of the thumbnails may differ (scaling and JPEG leave < 10)
MOST_MEAN = 6  # of 255: the most the thumbnails may differ on average (they leave < 1)


def figures(reading: "Reading", expected: "Expected") -> Measure:
    """Each figure of the source stands in the PDF, and a raster one looks like its file."""
    places = {block: (page, top, bottom) for page in reading.pages
              for block, (top, bottom) in page.figure_boxes.items()}
    drawn = pictures(reading.path, places) if reading.path else {}
    failures = []
    for figure in expected.figures:
        place = places.get(figure.ident)
        if place is None:
            failures.append(Failure("", f"the figure {figure.path.name} is not in the PDF", figure.source))
            continue
        if figure.path.suffix.lower() == ".svg":
            continue
        page = place[0]
        picture = drawn.get(figure.ident)
        if picture is None:
            failures.append(Failure(page.label, f"the figure {figure.path.name} shows no picture", figure.source))
        elif not looks_alike(picture, figure.path):
            failures.append(Failure(page.label, f"the figure's picture is not {figure.path.name} as the file is now "
                             "(changed since the build?)", figure.source))
    return Measure("figures", len(failures), len(expected.figures), failures)


def pictures(path: Path, places: dict) -> dict:
    """Block id → the picture drawn in that figure's place (a PIL image, as PDFium draws it), if any."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    by_page: dict[int, list[tuple[str, float, float]]] = {}
    for block, (page, top, bottom) in places.items():
        by_page.setdefault(page.index, []).append((block, top, bottom))
    found = {}
    document = pdfium.PdfDocument(str(path))
    try:
        for index, blocks in by_page.items():
            page = document[index]
            height = page.get_height()
            for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=16):
                _, low, _, high = image.get_bounds()
                middle = height - (low + high) / 2
                block = next((block for block, top, bottom in blocks if top <= middle <= bottom), None)
                if block is not None and block not in found:
                    found[block] = image.get_bitmap(render=True).to_pil()
    finally:
        document.close()
    return found


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
