"""A draft for proofreading: every page marked 草稿 DRAFT, with the time of its build in the margin.

`press build --draft` (and `press watch --draft`) pass a `Draft` to the PDF's
finishing step (press.pdf.finish), which adds to each page, after the laid-out
content, one form XObject that draws a large diagonal 草稿 DRAFT in a light
tint across the page and, in the left margin, a line naming the build time and
the issue.  Both are the glyph outlines of a bundled font (`MARK_FONT`, read
with fontTools) filled as paths, never text: `press check` reads the PDF's
glyphs back (press.pdfread, pdfplumber), and paths are no glyphs, so the text
of a draft is exactly the issue's and every check sees the pages a build
without `--draft` makes.  The alternatives are weaker: a CSS watermark is text
that the checks read (eleven of them fail), and would change the layout; text
inside marked content that the reader is taught to leave out could hide any
text from the checks.  The marks are added after layout, so the layout is the
one a final build makes, byte for byte up to the finishing step.

The marks are painted with the Multiply blend mode: over white they show their
tint, over text or a filled box they only darken, so they hide nothing (the
check `overlap` renders the page and would see a covered glyph).  The form is
drawn inside marked content `/Artifact <</Type /Pagination /Subtype /Watermark>>`
(PDF 32000-1, 14.8.2.2), which tells assistive technology and `figures`
(press.figures: what is drawn in a figure's place) that it is not the page's
content.  The PDF's information dictionary records the draft (`DRAFT_KEY`: the
build time), which press check reports and press mail refuses to send.

The build time is the real time of the build, so a draft is not reproducible
byte for byte; `SOURCE_DATE_EPOCH`, when set, is the time instead (in UTC).
"""

import math
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

import pydyf
from fontTools.pens.basePen import BasePen

from press.errors import PressError, display_path
from press.sources import read_source

DRAFT_KEY = "PressDraft"  # the key in a PDF's info dictionary: the build time of a draft
WATERMARK = "草稿 DRAFT"
MARK_FONT = "PressHei-Bold.otf"  # in the fonts folder; another font there that has the marks' characters will do
WATERMARK_TINT = (0.99, 0.88, 0.88)  # RGB, multiplied with the page: a light red over white, text stays as dark
STAMP_TINT = (0.55, 0.25, 0.25)  # the margin line
WATERMARK_SHARE = 0.62  # of the page's diagonal the watermark spans
STAMP_SIZE = 7.0  # points, or less: the margin line takes at most STAMP_SHARE of the page's height
STAMP_SHARE = 0.9
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # a number of a path's operators
STAMP_INSET = 9 * 72 / 25.4  # 9 mm from the page's left edge to the stamp's baseline
MULTIPLY = "PressDraftMultiply"  # ExtGState names, inside the form's own resources
FORM = "PressDraft"  # the form XObject's name in the pages' resources
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC"


@dataclass(frozen=True)
class Draft:
    """What marks a draft: the time of its build and the issue's name (新材料监测快报 2024年第4期)."""

    built: datetime
    issue: str
    built_word: str = "生成于"  # "built" in an English issue (press.locale)

    @property
    def stamp(self) -> str:
        """The margin line, e.g. 草稿 DRAFT　生成于 2024-05-02 14:03:27 +08:00　新材料监测快报 2024年第4期."""
        return f"{WATERMARK}　{self.built_word} {shown_time(self.built)}　{self.issue}"

    @property
    def recorded(self) -> str:
        """The build time as the PDF records it (ISO 8601, seconds)."""
        return self.built.isoformat(timespec="seconds")


def shown_time(moment: datetime) -> str:
    """A time as the stamp prints it: 2024-05-02 14:03:27 +08:00."""
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}" if offset else f"{moment:%Y-%m-%d %H:%M:%S}"


def build_time(environ=os.environ) -> datetime:
    """Now, in the local time zone; `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) instead when it is set."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now().astimezone().replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise PressError(f"SOURCE_DATE_EPOCH 应为整数秒 (SOURCE_DATE_EPOCH must be a whole number of seconds since "
                         f"1970, got {epoch!r})") from None


# Outlines ----------------------------------------------------------------------------------------

class PdfPathPen(BasePen):
    """A fontTools pen that writes a glyph's outline as PDF path operators (m, l, c, h), shifted by `dx` units.

    Quadratic curves (TrueType) come as cubic ones through BasePen.
    """

    def __init__(self, glyph_set, dx: float = 0.0):
        super().__init__(glyph_set)
        self.dx = dx
        self.operators: list[str] = []

    def point(self, point) -> str:
        return f"{number(point[0] + self.dx)} {number(point[1])}"

    def _moveTo(self, point):
        self.operators.append(f"{self.point(point)} m")

    def _lineTo(self, point):
        self.operators.append(f"{self.point(point)} l")

    def _curveToOne(self, first, second, third):
        self.operators.append(f"{self.point(first)} {self.point(second)} {self.point(third)} c")

    def _closePath(self):
        self.operators.append("h")


def number(value: float, decimals: int = 2) -> str:
    """A number for a content stream: at most `decimals` decimals (a matrix that scales font units to points
    needs six: 7 pt / 1000 units is 0.007), no trailing zeros."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Outline:
    """A line of text as path operators in font units (baseline at 0, from x 0), its advance and the font's
    units per em."""

    operators: str
    advance: float
    units: int


@cache
def font_of(path: Path, stamp: tuple[int, int]):
    """The font at `path` (fontTools), loaded once per file version (`stamp`: its mtime and size)."""
    from fontTools.ttLib import TTFont

    return TTFont(BytesIO(read_source(path)), lazy=True)


def outline(text: str, font) -> Outline:
    """`text` set in `font` glyph after glyph at their advances (no kerning: marks, not typography)."""
    cmap, glyph_set = font.getBestCmap(), font.getGlyphSet()
    operators, x = [], 0.0
    for char in text:
        glyph = glyph_set[cmap[ord(char)]]
        pen = PdfPathPen(glyph_set, x)
        glyph.draw(pen)
        operators += pen.operators
        x += glyph.width
    return Outline(" ".join(operators), x, font["head"].unitsPerEm)


def mark_font(fonts_dir: Path, text: str):
    """The font the marks are drawn in: `MARK_FONT`, else the first font of the folder that has every character
    of `text`; PressError if none has."""
    from press.fonts import FONT_SUFFIXES

    needed = {ord(char) for char in text}
    others = sorted(path for path in fonts_dir.glob("*") if path.suffix.lower() in FONT_SUFFIXES)
    candidates = [fonts_dir / MARK_FONT, *(path for path in others if path.name != MARK_FONT)]
    for path in candidates:
        try:
            status = path.stat()
            font = font_of(path, (status.st_mtime_ns, status.st_size))
            if needed <= set(font.getBestCmap()):
                return font
        except Exception:  # a missing or broken font file: the next one
            continue
    raise PressError(f"{display_path(fonts_dir)}：没有可绘制草稿标记的字体 (no font in the fonts folder has the "
                     f"characters of the draft's marks: {text!r}; {MARK_FONT} has them)")


# Marks on the pages --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Marks:
    """A draft's marks as outlines, ready to be placed on pages of any size."""

    draft: Draft
    watermark: Outline
    stamp: Outline


def marks(draft: Draft, fonts_dir: Path) -> Marks:
    """The draft's watermark and margin line as outlines of the mark font found in `fonts_dir`."""
    font = mark_font(fonts_dir, WATERMARK + draft.stamp)
    return Marks(draft, outline(WATERMARK, font), outline(draft.stamp, font))


def placed(line: Outline, size: float, angle: float, x: float, y: float, centred: bool, tint) -> str:
    """Operators that fill `line` at `size` points, turned by `angle` (radians) about (x, y): its middle there
    when `centred`, else its baseline's start; filled in `tint` (RGB).

    The path is written in points (its font units scaled here), under a matrix that only turns and moves it:
    a matrix that also scales font units to points needs small numbers (7 pt / 1000 units is 0.007), which two
    decimals rounded to 0.01 (a margin line 43 % too long)."""
    scale = size / line.units
    shift_x, shift_y = (-line.advance / 2, -0.35 * line.units) if centred else (0.0, 0.0)
    path = NUMBER.sub(lambda found: number(float(found.group()) * scale), line.operators)
    cos, sin = math.cos(angle), math.sin(angle)
    matrix = " ".join(number(value, 4) for value in (cos, sin, -sin, cos, x, y))
    colour = " ".join(number(value) for value in tint)
    return (f"q {matrix} cm 1 0 0 1 {number(shift_x * scale)} {number(shift_y * scale)} cm {colour} rg "
            f"{path} f Q")


def form(found: Marks, box: tuple[float, float, float, float]) -> pydyf.Stream:
    """The form XObject that marks a page whose trim box is `box` (left, bottom, right, top in points)."""
    left, bottom, right, top = box
    width, height = right - left, top - bottom
    diagonal = math.hypot(width, height)
    size = WATERMARK_SHARE * diagonal * found.watermark.units / found.watermark.advance
    watermark = placed(found.watermark, size, math.atan2(height, width), left + width / 2, bottom + height / 2,
                       True, WATERMARK_TINT)
    stamp_size = min(STAMP_SIZE, STAMP_SHARE * height * found.stamp.units / found.stamp.advance)
    stamp_length = stamp_size * found.stamp.advance / found.stamp.units
    stamp = placed(found.stamp, stamp_size, math.pi / 2, left + STAMP_INSET, bottom + (height - stamp_length) / 2,
                   False, STAMP_TINT)
    content = f"/{MULTIPLY} gs {watermark} {stamp}".encode()
    return pydyf.Stream([content], pydyf.Dictionary({
        "Type": "/XObject", "Subtype": "/Form",
        "BBox": pydyf.Array([number(value) for value in box]),
        "Resources": pydyf.Dictionary({"ExtGState": pydyf.Dictionary({
            MULTIPLY: pydyf.Dictionary({"Type": "/ExtGState", "BM": "/Multiply"})})}),
    }), compress=True)


def mark_pages(pdf: pydyf.PDF, found: Marks) -> None:
    """Draw the marks last on every page of `pdf` (WeasyPrint's, in its finisher), and record the draft in its
    information dictionary.

    The page's own content stays as it is: a stream that saves the graphics state goes before it, one that
    restores it and draws the form after it; pages of one size share them and the form.
    """
    before = pydyf.Stream([b"q"])
    pdf.add_object(before)
    forms: dict[tuple, tuple[str, pydyf.Stream, pydyf.Stream]] = {}
    for page_number in pdf.pages["Kids"][::3]:
        page = pdf.objects[page_number]
        box = tuple(float(value) for value in page.get("TrimBox") or page["MediaBox"])
        if box not in forms:
            name = FORM if not forms else f"{FORM}{len(forms) + 1}"
            drawn, after = form(found, box), pydyf.Stream([b"Q q " + ARTIFACT + f" /{name} Do EMC Q".encode()])
            pdf.add_object(drawn)
            pdf.add_object(after)
            forms[box] = (name, drawn, after)
        name, drawn, after = forms[box]
        resources(pdf, page)["XObject"][name] = drawn.reference
        page["Contents"] = pydyf.Array([before.reference, page["Contents"], after.reference])
    pdf.info[DRAFT_KEY] = pydyf.String(found.draft.recorded)


def resources(pdf: pydyf.PDF, page: pydyf.Dictionary) -> pydyf.Dictionary:
    """The resource dictionary of a page (WeasyPrint's pages share one, by reference), with an XObject entry."""
    found = page["Resources"]
    if isinstance(found, bytes):  # b"12 0 R"
        found = pdf.objects[int(found.split()[0])]
    found.setdefault("XObject", pydyf.Dictionary())
    return found


# Reading a draft back ----------------------------------------------------------------------------

def draft_time(metadata: dict) -> str | None:
    """The build time a PDF's information dictionary records for a draft (pypdf's keys: `/PressDraft`), or
    None for a PDF that is no draft."""
    value = metadata.get(f"/{DRAFT_KEY}")
    return str(value) if value else None


def read_draft(pdf: Path) -> str | None:
    """The build time of the draft at `pdf`, or None if it is no draft (or cannot be read: others say so)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return draft_time(PdfReader(pdf).metadata or {})
    except (PyPdfError, OSError, ValueError):
        return None
