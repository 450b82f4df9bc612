"""Page images of a built PDF, and one contact sheet with every page.

Takes a PDF (an issue folder stands for its built PDF) and a resolution;
renders each page with PDFium (pypdfium2) to a PNG, then lays thumbnails of
all pages on one sheet, each labelled with its printed page label (封面, 目录,
1, 2 …).  Returns the files written.  PNGs carry no time stamps, so the same
PDF gives the same bytes.

The folder may hold the user's own files: press records what it wrote there
(MANIFEST) and replaces or removes only those, never files by a pattern; a file
of a name it would write that it did not write is refused, not overwritten.
"""

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil, inf
from pathlib import Path

DEFAULT_DPI = 80
SHEET_COLUMNS = 5
THUMB_WIDTH = 240  # pixels: A4 text is still legible as lines, titles as words
GAP = 24
LABEL_HEIGHT = 28
LABEL_FONT = "PressHei-Bold.otf"
SHEET = "contact-sheet.png"
MANIFEST = ".press-preview.json"  # in the folder: the files press wrote there


@dataclass(frozen=True)
class Preview:
    """What `preview` wrote: the page images in order, and the contact sheet."""

    pages: tuple[Path, ...]
    sheet: Path


def open_pdf(pdf: Path, rendered: Callable[[list[tuple[float, float]]], list[int]]):
    """The PDF as a PDFium document, and its page labels; an unreadable file, or one that reading or rendering
    the images `rendered` gives the pixels of would take past press preview's budgets, is an input error
    (exit 2)."""
    import logging

    import pypdfium2
    from pypdf import PdfReader

    from press import budgets
    from press.errors import InputError, Problem

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about a damaged file: press says it once
    try:
        budgets.guard(pdf, "press preview", rendered)  # before PDFium opens it: what press check refuses too
        labels = list(PdfReader(pdf).page_labels)
        document = pypdfium2.PdfDocument(pdf)
    except InputError:
        raise
    except Exception as error:  # pypdf and PDFium raise many kinds on a broken or locked file
        raise InputError([Problem(pdf, 0, 0, f"无法读取 PDF (not a readable PDF): {error}")]) from None
    if len(document) == 0:
        document.close()
        raise InputError([Problem(pdf, 0, 0, "PDF 没有页面 (the PDF has no pages)")])
    return document, labels


def first_page(pdf: Path, width: int):
    """The PIL image of the PDF's first page (the cover), `width` pixels wide whatever the paper."""
    from press.budgets import pixels_at

    def cover(sizes: list[tuple[float, float]]) -> list[int]:
        if not sizes:
            return []
        return [pixels_at(sizes[0], width * 72 / sizes[0][0]) if sizes[0][0] > 0 else inf]

    document, _ = open_pdf(pdf, cover)
    with document:
        return document[0].render(scale=width / document[0].get_width()).to_pil()


def images_made(dpi: int) -> Callable[[list[tuple[float, float]]], list[int]]:
    """The pixels of each image `preview` makes at `dpi`, from the pages' sizes in points: each page, each
    thumbnail rendered apart (see `rendered`), and the contact sheet."""
    from press.budgets import pixels_at

    def pixels(sizes: list[tuple[float, float]]) -> list[float]:
        thumb_scales = [72 * THUMB_WIDTH / width if width > 0 else inf for width, _ in sizes]
        made = [pixels_at(size, dpi) for size in sizes]
        made += [pixels_at(size, scale) for size, scale in zip(sizes, thumb_scales, strict=True) if dpi < scale]
        thumb_height = max((height * scale / 72 for (_, height), scale in zip(sizes, thumb_scales, strict=True)),
                           default=0)
        rows, columns = ceil(len(sizes) / SHEET_COLUMNS), min(SHEET_COLUMNS, len(sizes))
        made.append((GAP + columns * (THUMB_WIDTH + GAP)) * (GAP + rows * (thumb_height + LABEL_HEIGHT + GAP)))
        return made

    return pixels


def rendered(document, dpi: int):
    """Each page in turn: (its image at `dpi`, its thumbnail THUMB_WIDTH wide).

    One page at a time, so memory does not grow with the pages; below the
    thumbnail's resolution the thumbnail is rendered apart, not enlarged.
    """
    from PIL import Image

    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        thumb_scale = THUMB_WIDTH / page.get_width()
        source = image if dpi / 72 >= thumb_scale else page.render(scale=thumb_scale).to_pil()
        thumb = source.resize((THUMB_WIDTH, round(source.height * THUMB_WIDTH / source.width)), Image.LANCZOS)
        yield image, thumb


def contact_sheet(thumbs, labels: list[str], fonts_dir: Path):
    """One image with every page's labelled thumbnail, SHEET_COLUMNS to a row."""
    from PIL import Image, ImageDraw, ImageFont

    thumb_height = max(thumb.height for thumb in thumbs)
    rows = ceil(len(thumbs) / SHEET_COLUMNS)
    columns = min(SHEET_COLUMNS, len(thumbs))
    sheet = Image.new("RGB", (GAP + columns * (THUMB_WIDTH + GAP),
                              GAP + rows * (thumb_height + LABEL_HEIGHT + GAP)), "#e8e8e8")
    draw = ImageDraw.Draw(sheet)
    font_path = fonts_dir / LABEL_FONT
    font = ImageFont.truetype(str(font_path), 16) if font_path.is_file() else ImageFont.load_default()
    for index, (thumb, label) in enumerate(zip(thumbs, labels, strict=True)):
        x = GAP + (index % SHEET_COLUMNS) * (THUMB_WIDTH + GAP)
        y = GAP + (index // SHEET_COLUMNS) * (thumb_height + LABEL_HEIGHT + GAP)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + THUMB_WIDTH, y + thumb.height), outline="#9a9a9a")
        draw.text((x + THUMB_WIDTH / 2, y + thumb.height + LABEL_HEIGHT / 2), label, fill="#222", font=font,
                  anchor="mm")
    return sheet


def preview(pdf: Path, folder: Path, dpi: int = DEFAULT_DPI, fonts_dir: Path = Path("fonts")) -> Preview:
    """Write page-NN.png for every page and contact-sheet.png into `folder`; return their paths.

    The images are made in a hidden folder beside `folder` and moved in only
    when all are done: an interrupted preview leaves the previous set whole.
    """
    import shutil
    import tempfile

    document, labels = open_pdf(pdf, images_made(dpi))
    names = [f"page-{index:02d}.png" for index in range(1, len(document) + 1)] + [SHEET]
    try:
        owned = claimed(folder, names)
    except BaseException:
        document.close()
        raise
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        thumbs = []
        with document:
            for index, (image, thumb) in enumerate(rendered(document, dpi), start=1):
                image.save(staging / f"page-{index:02d}.png", "PNG", optimize=True)
                thumbs.append(thumb)
        labels = (labels + [str(n) for n in range(len(labels) + 1, len(thumbs) + 1)])[:len(thumbs)]
        contact_sheet(thumbs, labels, fonts_dir).save(staging / SHEET, "PNG", optimize=True)
        move_in(staging, folder, names, owned)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Preview(tuple(folder / name for name in names[:-1]), folder / SHEET)


def claimed(folder: Path, names: list[str]) -> set[str]:
    """Make `folder` ready to take `names`; return the files press wrote there before.

    Raises OutputError, before anything is written, when the folder is not a folder or holds a file
    of one of these names that press did not write (or that is no longer a regular file).
    """
    import os

    from press.atomic import not_writable
    from press.errors import OutputError, display_path

    if os.path.lexists(folder) and not folder.is_dir():
        raise OutputError(f"不能写入 {display_path(folder)}：不是文件夹 (refused: it is not a folder)")
    folder.mkdir(parents=True, exist_ok=True)
    owned = written_before(folder)
    foreign = [name for name in names
               if os.path.lexists(folder / name) and (name not in owned or not_writable(folder / name))]
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" … ({len(foreign)} files)" if len(foreign) > 3 else "")
        raise OutputError(f"不能写入 {display_path(folder)}：其中的 {shown} 不是 press 写的，不覆盖 (refused: the "
                          f"folder holds {shown}, which press preview did not write (see its record {MANIFEST}); "
                          "move them away, or choose another folder with -o)")
    return owned


def written_before(folder: Path) -> set[str]:
    """The names of the files press recorded in `folder`'s MANIFEST (none if there is no readable record)."""
    import json

    record = folder / MANIFEST
    try:
        if record.is_symlink() or not record.is_file():
            return set()
        files = json.loads(record.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {name for name in files if isinstance(name, str) and name and "/" not in name and name not in {".", ".."}}


def move_in(staging: Path, folder: Path, names: list[str], owned: set[str]) -> None:
    """Move the files made in `staging` into `folder`; remove those press wrote before and no longer makes.

    The record names every file press may have written at each moment, so an interruption leaves none
    of them unrecorded (and the next preview free to replace it).
    """
    import os
    import stat

    record(folder, owned | set(names))
    for name in names:
        (staging / name).replace(folder / name)
    for stale in sorted(owned - set(names)):  # a shorter issue must not leave old pages behind
        path = folder / stale
        if os.path.lexists(path) and stat.S_ISREG(os.lstat(path).st_mode):
            path.unlink()
    record(folder, set(names))


def record(folder: Path, names: set[str]) -> None:
    """Write the MANIFEST: the files press wrote in `folder`."""
    import json

    from press.atomic import replacing

    with replacing(folder / MANIFEST) as stream:
        stream.write(json.dumps({"written by": "press preview", "files": sorted(names)}, indent=1).encode())
