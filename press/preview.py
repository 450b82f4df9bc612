"""Page images of a built PDF, and one contact sheet with every page.

Takes a PDF (an issue folder stands for its built PDF) and a resolution;
renders each page with PDFium (pypdfium2) to a PNG, then lays thumbnails of
all pages on one sheet, each labelled with its printed page label (封面, 目录,
1, 2 …).  Returns the files written.  PNGs carry no time stamps, so the same
PDF gives the same bytes.
"""

from dataclasses import dataclass
from math import ceil
from pathlib import Path

DEFAULT_DPI = 80
SHEET_COLUMNS = 5
THUMB_WIDTH = 240  # pixels: A4 text is still legible as lines, titles as words
GAP = 24
LABEL_HEIGHT = 28
LABEL_FONT = "PressHei-Bold.otf"


@dataclass(frozen=True)
class Preview:
    """What `preview` wrote: the page images in order, and the contact sheet."""

    pages: tuple[Path, ...]
    sheet: Path


def render_pages(pdf: Path, dpi: int):
    """PIL images of every page of `pdf` at `dpi`, with their page labels."""
    import pypdfium2
    from pypdf import PdfReader

    labels = PdfReader(pdf).page_labels
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()
    return images, labels


def contact_sheet(images, labels: list[str], fonts_dir: Path):
    """One image with a labelled thumbnail of every page, SHEET_COLUMNS to a row."""
    from PIL import Image, ImageDraw, ImageFont

    scale = THUMB_WIDTH / images[0].width
    thumb_height = round(images[0].height * scale)
    rows = ceil(len(images) / SHEET_COLUMNS)
    columns = min(SHEET_COLUMNS, len(images))
    sheet = Image.new("RGB", (GAP + columns * (THUMB_WIDTH + GAP),
                              GAP + rows * (thumb_height + LABEL_HEIGHT + GAP)), "#e8e8e8")
    draw = ImageDraw.Draw(sheet)
    font_path = fonts_dir / LABEL_FONT
    font = ImageFont.truetype(str(font_path), 16) if font_path.is_file() else ImageFont.load_default()
    for index, (image, label) in enumerate(zip(images, labels, strict=True)):
        x = GAP + (index % SHEET_COLUMNS) * (THUMB_WIDTH + GAP)
        y = GAP + (index // SHEET_COLUMNS) * (thumb_height + LABEL_HEIGHT + GAP)
        thumb = image.resize((THUMB_WIDTH, round(image.height * scale)), Image.LANCZOS)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + THUMB_WIDTH, y + thumb.height), outline="#9a9a9a")
        draw.text((x + THUMB_WIDTH / 2, y + thumb.height + LABEL_HEIGHT / 2), label, fill="#222", font=font,
                  anchor="mm")
    return sheet


def preview(pdf: Path, folder: Path, dpi: int = DEFAULT_DPI, fonts_dir: Path = Path("fonts")) -> Preview:
    """Write page-NN.png for every page and contact-sheet.png into `folder`; return their paths."""
    from press.atomic import replacing

    images, labels = render_pages(pdf, dpi)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("page-*.png"):  # a shorter issue must not leave old pages behind
        stale.unlink()
    pages = []
    for index, image in enumerate(images, start=1):
        path = folder / f"page-{index:02d}.png"
        with replacing(path) as stream:
            image.save(stream, "PNG", optimize=True)
        pages.append(path)
    sheet = folder / "contact-sheet.png"
    with replacing(sheet) as stream:
        contact_sheet(images, labels, fonts_dir).save(stream, "PNG", optimize=True)
    return Preview(tuple(pages), sheet)
