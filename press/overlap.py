"""Text a reader cannot read on the rendered page: lines drawn over one another, glyphs covered.

Takes a `Reading` of a PDF (its glyphs, from `pdfread`) and the PDF's path; returns a `Measure` whose
failures name each page where
* glyphs of one line of text stand on the glyphs of another (a cover whose highlights run under its
  publisher line, a box positioned over the text): found from the glyphs' boxes;
* glyphs cannot be seen: the page rendered (PDFium) looks the same inside a glyph's box with all text
  taken away, because something drawn after it covers it (a box, a picture), it is drawn off the page,
  or its glyph draws nothing.
A figure's picture is left out: the text an SVG chart draws is the chart's own business (`text` compares
it with its file).  Nothing here changes the PDF's file.
"""

from bisect import bisect_left
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from press.cjk import CLOSING, OPENING
from press.printable import draws_ink

if TYPE_CHECKING:  # the build's layout uses `overlapping` alone, without the PDF reader's modules
    from press.measure import Measure
    from press.pdfread import Page, Reading

RENDER_DPI = 100
UNSEEN = 24  # the largest difference (of 255) inside a glyph's box that still means nothing of it shows
SAME_LINE_OVERLAP = 0.7  # share of the wider glyph two neighbours on one baseline may overlap (a squeezed mark: ½,
# kerning (L’, AV) less: glyph boxes are their advances, so a narrow mark kerned into a letter overlaps much of itself)
OTHER_LINE_OVERLAP = 0.3  # share of the smaller glyph box a glyph of another line may cover
FULL_WIDTH = 0.8  # share of its em a mark's box takes when it is a full-width mark's em box (a Latin ’ takes ¼ to ⅓)
PREVIEW = 12


@dataclass(frozen=True)
class Glyph:
    """A glyph's box on its page (points, from the top left) and its text."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0.0) * max(self.bottom - self.top, 0.0)


def glyphs(page: "Page") -> list[Glyph]:
    """The page's visible-looking glyphs, upright ones only (rotated text has no reliable box)."""
    found = []
    for line in page.lines:
        for char in line.chars:
            text = char["text"]
            if not text.strip() or text.startswith("(cid:") or not draws_ink(text[0]):
                continue
            matrix = char.get("matrix") or (1, 0, 0, 1, 0, 0)
            if abs(matrix[1]) > 1e-3 or abs(matrix[2]) > 1e-3:
                continue
            found.append(ink_box(Glyph(text, char["x0"], char["top"], char["x1"], char["bottom"], char["size"]),
                                 char.get("centred", False)))
    return found


def ink_box(glyph: Glyph, centred: bool = False) -> Glyph:
    """A full-width mark's box where its ink is: a closing mark's left half, an opening one's right half, a
    `centred` one's middle half (Traditional Chinese 。，、…).

    A mark set half-width (`halt`) keeps its full em box in the PDF, shifted: an opening quote after a
    squeezed full stop has the same box as the stop, while their inks stand side by side (。“).
    A narrower box is a proportional mark's (an English ‘ ’ “ ” of the Quotes faces or of a Latin face): its
    ink spans its advance (a ’'s head stands right of its middle), so the box is kept whole.
    """
    if glyph.x1 - glyph.x0 < FULL_WIDTH * glyph.size:
        return glyph
    half = (glyph.x1 - glyph.x0) / 2
    if centred:
        return replace(glyph, x0=glyph.x0 + half / 2, x1=glyph.x1 - half / 2)
    if glyph.text in CLOSING:
        return replace(glyph, x1=glyph.x0 + half)
    if glyph.text in OPENING:
        return replace(glyph, x0=glyph.x0 + half)
    return glyph


def overlap(reading: "Reading") -> "Measure":
    """Pages with text drawn over text, or text that cannot be seen."""
    from press.measure import Failure, Measure

    failures = []
    unseen = unseen_glyphs(reading.path, reading) if reading.path else {}
    for page in reading.pages:
        if pairs := overlapping(glyphs(page)):
            failures.append(Failure(page.label, f"text drawn over other text: {overlap_text(pairs)} (something placed "
                             "over the text, or a page too small for what it holds?)"))
        hidden = unseen.get(page.index, [])
        if hidden:
            text = "".join(glyph.text for glyph in hidden)
            failures.append(Failure(page.label, f"{len(hidden)} characters cannot be seen (covered by what is drawn "
                                    f"over them, off the page, or drawn blank): “{text[:PREVIEW]}”"))
    return Measure("overlap", len(failures), len(reading.pages), failures)


def overlap_text(pairs: list[tuple[Glyph, Glyph]]) -> str:
    """The glyphs of the one line and of the other, in reading order, as a reader would quote them."""
    sides = [sorted(dict.fromkeys(pair[side] for pair in pairs), key=lambda glyph: (glyph.top, glyph.x0))
             for side in (0, 1)]
    one, other = ("".join(glyph.text for glyph in side)[:PREVIEW] for side in sides)
    return f"“{one}” and “{other}” stand on each other"


def overlapping(page_glyphs: list[Glyph]) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs that stand on each other: neighbours of one baseline overlapping by more than a
    squeezed mark does, or glyphs of different lines whose boxes share more than OTHER_LINE_OVERLAP."""
    found = []
    baselines: dict[tuple[float, float], list[Glyph]] = {}
    for glyph in page_glyphs:
        baselines.setdefault((round(glyph.bottom, 0), round(glyph.size, 0)), []).append(glyph)
    lines = sorted(baselines.values(), key=lambda line: min(glyph.top for glyph in line))
    for line in lines:
        line.sort(key=lambda glyph: glyph.x0)
        for left, right in pairwise(line):
            width = max(left.x1 - left.x0, right.x1 - right.x0)
            if width > 0 and left.x1 - right.x0 > SAME_LINE_OVERLAP * width:
                found.append((right, left))
    tops = [min(glyph.top for glyph in line) for line in lines]
    for index, line in enumerate(lines):
        bottom = max(glyph.bottom for glyph in line)
        starts, widest = [glyph.x0 for glyph in line], max(0.0, *(glyph.x1 - glyph.x0 for glyph in line))
        for number in range(index + 1, len(lines)):
            if tops[number] >= bottom:
                break
            found += covering(line, lines[number], starts, widest)
    return found


def covering(line: list[Glyph], other: list[Glyph], starts: list[float], widest: float) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs of two lines whose boxes share more than OTHER_LINE_OVERLAP of the smaller box.

    `line` is in order of x0 (`starts`), no glyph of it wider than `widest`: a glyph of `other` is held
    only against those of `line` that begin less than `widest` to its left (and before its end).
    """
    found = []
    for glyph in other:
        for number in range(bisect_left(starts, glyph.x0 - widest - 1.0), len(line)):
            under = line[number]
            if under.x0 >= glyph.x1:
                break
            width = min(glyph.x1, under.x1) - max(glyph.x0, under.x0)
            height = min(glyph.bottom, under.bottom) - max(glyph.top, under.top)
            smaller = min(glyph.area, under.area)
            if width > 0 and height > 0 and smaller > 0 and width * height > OTHER_LINE_OVERLAP * smaller:
                found.append((glyph, under))
                break
    return found


def unseen_glyphs(path: Path, reading: "Reading") -> dict[int, list[Glyph]]:
    """Page index → the glyphs that do not show on the rendered page (PDFium, RENDER_DPI): the page looks the
    same inside their boxes with every text object made invisible."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    from PIL import ImageChops

    scale = RENDER_DPI / 72
    found: dict[int, list[Glyph]] = {}
    document = pdfium.PdfDocument(str(path))
    try:
        for page in reading.pages:
            page_glyphs = glyphs(page)
            if not page_glyphs or page.index >= len(document):
                continue
            rendered = document[page.index]
            full = rendered.render(scale=scale, grayscale=True).to_pil()
            for obj in rendered.get_objects(max_depth=16):
                if obj.type == raw.FPDF_PAGEOBJ_TEXT:
                    raw.FPDFTextObj_SetTextRenderMode(obj.raw, raw.FPDF_TEXTRENDERMODE_INVISIBLE)
            difference = ImageChops.difference(full, rendered.render(scale=scale, grayscale=True).to_pil())
            width, height = difference.size
            for glyph in page_glyphs:
                box = (max(int(glyph.x0 * scale), 0), max(int(glyph.top * scale), 0),
                       min(int(glyph.x1 * scale) + 1, width), min(int(glyph.bottom * scale) + 1, height))
                if box[2] <= box[0] or box[3] <= box[1] or difference.crop(box).getextrema()[1] < UNSEEN:
                    found.setdefault(page.index, []).append(glyph)
    finally:
        document.close()
    return found
