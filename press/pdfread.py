"""Read a built PDF back: its pages' text lines, labels, folios, outline, fonts, footnotes.

Takes a PDF file; returns plain data about it, using only the PDF (so a PDF
built elsewhere can be checked).  Lines are glyphs grouped by baseline with
their dominant size; footnote calls are runs of small raised digits in the
body (where the PDF names a `fn-call-N` destination, only the run standing
there counts, so a superscript such as 10⁶ is not taken for a call); a
footnote's text is a small-size line opening with a small digit (its marker).
"""

import heapq
import logging
import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pdfplumber
from pdfminer.cmapdb import FileCMap
from pdfminer.layout import LTChar, LTContainer, LTImage
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import fix_fontname_bytes
from pypdf import PdfReader

from press import ids
from press.lines import CALL_RATIO, Line, group_lines
from press.locale import chrome
from press.pdffonts import Font, read_fonts

TOC_ENTRY = re.compile(r"^(?P<title>.*?)[\s.·…]*?(?P<page>\d+)$")
FOLIO = re.compile(r"^[\s—–\-·]*(\d+)[\s—–\-·]*$")
BLOCK_FIRST_LINE = 12.0  # points from a block's top to the top of its first line's glyphs, at most
CALL_DISTANCE = 2.0  # points between a call's destination and its first digit
CALL_HEIGHT = 12.0  # points between a call's destination and its first digit's top, less than
CMAP_CID_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)\b")
INVISIBLE = re.compile(r"[\s\u200b\u2060\ufeff]+")


@dataclass
class Page:
    """A page's label, its lines, and the footnote calls and texts on it."""

    index: int
    label: str
    lines: list[Line]
    calls: list[int] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # number → text of the note
    notes_top: float = float("inf")  # where the footnote area begins (top of its first line)
    size: tuple[float, float] = (0.0, 0.0)  # width, height in points
    figures: dict[str, str] = field(default_factory=dict)  # a figure's block id → the text drawn in its picture
    figure_boxes: dict[str, tuple[float, float]] = field(default_factory=dict)  # block id → top, bottom of its picture
    blocks: list[tuple[float, float]] = field(default_factory=list)  # (x, top) where a block of an article begins
    call_glyphs: set[int] = field(default_factory=set)  # id() of the glyphs that print footnote calls
    images: list[tuple[float, float]] = field(default_factory=list)  # top, bottom of each raster image drawn

    @property
    def folio(self) -> int | None:
        """The page number printed at the page's foot, if any."""
        match = FOLIO.match(self.lines[-1].text) if self.lines else None
        return int(match.group(1)) if match else None

    @cached_property
    def blocks_by_top(self) -> tuple[list[float], list[tuple[float, float]]]:
        """The blocks' tops in order, and the blocks in that order (to find those near a line by bisection)."""
        ordered = sorted((block for block in self.blocks if math.isfinite(block[1])), key=lambda block: block[1])
        return [top for _, top in ordered], ordered

    @property
    def flow(self) -> list[Line]:
        """The lines above the footnote area."""
        return [line for line in self.lines if line.top < self.notes_top]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Reading:
    """Everything press reads back from one PDF."""

    pages: list[Page]
    body_size: float
    outline: list[tuple[int, str, int]]  # (level, title, page index)
    fonts: list[Font]
    metadata: dict[str, str]
    language: str | None
    page_size: tuple[float, float]
    destinations: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # name → page, x, top
    file_size: int = 0
    path: Path | None = None  # the file read (press.overlap renders its pages)

    def page_of(self, destination: str) -> Page | None:
        """The page a named destination points to."""
        found = self.destinations.get(destination)
        return self.pages[found[0]] if found else None


def read_pdf(path: Path) -> Reading:
    """Read the PDF at `path`."""
    read_embedded_encodings()
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about a damaged file: press says it once
    reader = PdfReader(str(path))
    labels = list(reader.page_labels)
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    destinations = read_destinations(reader, sizes)
    regions = figure_regions(destinations)
    catalog = reader.trailer["/Root"]
    language = str(catalog["/Lang"]) if "/Lang" in catalog else None
    centred = chrome(language or "").centred_marks
    with pdfplumber.open(str(path)) as pdf:
        sizes = [(float(page.width), float(page.height)) for page in pdf.pages]
        raw = [split_figures(page_glyphs(page, centred), regions.get(index, []))
               for index, page in enumerate(pdf.pages)]
        pictures = [page_images(page) for page in pdf.pages]
    press = made_by_press(destinations)
    outline = read_outline(reader)
    body_size = ((press and block_text_size([lines for lines, _ in raw], destinations))
                 or text_size([lines for lines, _ in raw], labels, {squashed(title) for _, title, _ in outline}))
    pages = []
    on_pages = by_page(destinations)
    for index, (lines, figures) in enumerate(raw):
        here = on_pages.get(index, {})
        page = Page(index, labels[index] if index < len(labels) else str(index + 1), lines,
                    size=sizes[index], figures=figures, blocks=block_starts(here, index), images=pictures[index],
                    figure_boxes={block: (top, bottom) for block, top, bottom in regions.get(index, [])})
        if press:
            find_footnotes(page, body_size, places(here, index, ids.call_number), places(here, index, ids.note_number))
        else:
            find_footnotes(page, body_size)
        pages.append(page)
    metadata = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    return Reading(pages, body_size, outline, read_fonts(reader), metadata,
                   language, sizes[0] if sizes else (0.0, 0.0), destinations, Path(path).stat().st_size, Path(path))


def read_destinations(reader: PdfReader, sizes: list[tuple[float, float]]) -> dict[str, tuple[int, float, float]]:
    """Named destinations: name → (page index, x, distance from the page's top)."""
    found = {}
    for name, destination in reader.named_destinations.items():
        index = reader.get_destination_page_number(destination)
        if 0 <= index < len(sizes):
            left, top = destination.left or 0, destination.top or 0
            found[str(name)] = (index, float(left), sizes[index][1] - float(top))
    return found


def made_by_press(destinations: dict[str, tuple[int, float, float]]) -> bool:
    """Whether the PDF names press's destinations: its blocks (<article>-L<line>) or footnote calls.

    Then its calls and notes are where their destinations are, and nowhere else
    (a raised 6 in 10⁻⁶ is a superscript); other PDFs are read by glyph sizes alone.
    """
    return any(ids.call_number(name) is not None or ids.is_block(name) for name in destinations)


def by_page(destinations: dict[str, tuple[int, float, float]]) -> dict[int, dict[str, tuple[int, float, float]]]:
    """The destinations grouped by the index of their page, each group in the order of the whole."""
    grouped: dict[int, dict[str, tuple[int, float, float]]] = {}
    for name, place in destinations.items():
        grouped.setdefault(place[0], {})[name] = place
    return grouped


def places(destinations: dict[str, tuple[int, float, float]], index: int, number_of) -> dict:
    """Number → (x, top) of the destinations on page `index` that `number_of` reads a number from (fn-call-N, fn-N)."""
    return {number: (x, top) for name, (page, x, top) in destinations.items()
            if page == index and (number := number_of(name)) is not None}


def block_starts(destinations: dict[str, tuple[int, float, float]], index: int) -> list[tuple[float, float]]:
    """(x, top) of the article blocks that begin on page `index` (press names them <article>-L<line>)."""
    return sorted((x, top) for name, (page, x, top) in destinations.items() if page == index and ids.is_block(name))


def figure_regions(destinations: dict[str, tuple[int, float, float]]) -> dict[int, list[tuple[str, float, float]]]:
    """Page index → (block id, top, bottom) of each figure's picture: from its picture's destination down to
    its caption's (press names them <block>-image and <block>-caption)."""
    regions: dict[int, list[tuple[str, float, float]]] = {}
    for name, (page, _, top) in destinations.items():
        match = ids.FIGURE_IMAGE.match(name)
        caption = destinations.get(ids.figure_caption_id(match.group("block"))) if match else None
        if caption is not None and caption[0] == page and caption[2] > top:
            regions.setdefault(page, []).append((match.group("block"), top, caption[2]))
    return regions


def page_glyphs(page, centred: str = "") -> list[dict]:
    """A pdfplumber page's `chars`, with only what press reads of each (text, x0, x1, top, bottom, size,
    fontname): pdfplumber's own dicts hold some twenty resolved attributes each, a third of the reading.
    A mark of `centred` (a Traditional Chinese document's 。，、…, press.locale) has "centred": its ink
    stands in the middle of its box, not in its left half."""
    x_offset, y_offset = page.mediabox[:2]
    height = page.height
    glyphs = []
    for char in layout_chars(page.layout._objs):
        fontname = char.fontname
        if isinstance(fontname, bytes):  # a (rare) byte-encoded name, decoded as pdfplumber does
            fontname = fix_fontname_bytes(fontname)
        glyphs.append({"text": char.get_text(), "x0": char.x0 + x_offset, "x1": char.x1 + x_offset,
                       "top": (height - char.y1) + y_offset, "bottom": (height - char.y0) + y_offset,
                       "size": char.size, "fontname": fontname})
        if glyphs[-1]["text"] in centred:
            glyphs[-1]["centred"] = True
    return glyphs


def page_images(page) -> list[tuple[float, float]]:
    """(top, bottom) of each raster image a pdfplumber page draws, in points from the page's top."""
    height, y_offset = page.height, page.mediabox[1]
    return [((height - image.y1) + y_offset, (height - image.y0) + y_offset)
            for image in layout_images(page.layout._objs)]


def layout_images(objects):
    """The LTImage objects of a pdfminer layout, inside figures (forms) too."""
    for item in objects:
        if isinstance(item, LTImage):
            yield item
        elif isinstance(item, LTContainer):
            yield from layout_images(item._objs)


def layout_chars(objects):
    """The LTChar objects of a pdfminer layout, inside figures (forms) too, in drawing order."""
    for item in objects:
        if isinstance(item, LTContainer):
            yield from layout_chars(item._objs)
        elif isinstance(item, LTChar):
            yield item


def split_figures(chars: list[dict], regions: list[tuple[str, float, float]]) -> tuple[list[Line], dict[str, str]]:
    """A page's lines without the glyphs drawn inside its figures' pictures (an SVG chart's labels, set at any
    size and angle, are no lines of text), and the text of each picture."""
    inside: dict[str, list[dict]] = {block: [] for block, _, _ in regions}
    outside = []
    for char, region in zip(chars, regions_of(chars, regions), strict=True):
        (inside[region] if region else outside).append(char)
    figures = {block: "".join(char["text"] for char in sorted(glyphs, key=lambda c: (round(c["top"]), c["x0"])))
               for block, glyphs in inside.items()}
    return group_lines(outside), figures


def regions_of(chars: list[dict], regions: list[tuple[str, float, float]]) -> list[str | None]:
    """For each glyph, the first region (block id) whose top and bottom hold its middle, or None.

    A sweep down the page: the regions begun above a glyph wait in a heap by their order, the first on
    top, and leave it once a glyph stands below them.
    """
    middles = [(char["top"] + char["bottom"]) / 2 for char in chars]
    found: list[str | None] = [None] * len(chars)
    order = sorted((number for number, middle in enumerate(middles) if math.isfinite(middle)),
                   key=middles.__getitem__)
    waiting = sorted((top, number) for number, (_, top, _) in enumerate(regions))
    open_regions: list[tuple[int, float]] = []
    taken = 0
    for number in order:
        middle = middles[number]
        while taken < len(waiting) and waiting[taken][0] <= middle:
            place = waiting[taken][1]
            heapq.heappush(open_regions, (place, regions[place][2]))
            taken += 1
        while open_regions and open_regions[0][1] < middle:
            heapq.heappop(open_regions)
        if open_regions:
            found[number] = regions[open_regions[0][0]][0]
    return found


def block_text_size(pages: list[list[Line]], destinations: dict[str, tuple[int, float, float]]) -> float:
    """In a press PDF, the body text's size: the most common size of the first lines of the article blocks
    (press names each <article>-L<line>, and a figure's caption <block>-caption: a figure's own first line
    is its picture), counting only paragraphs' first lines (indented by an indent of one to four ems)
    where there are any, else every block's; 0 if none is found.

    Counting glyphs instead lets a long title or a table outweigh a short article's text, and counting every
    block lets an article made of tables outweigh the paragraphs of the others.
    """
    sizes: Counter = Counter()
    indented: Counter = Counter()
    tops = [[line.top for line in lines] for lines in pages]  # each page's lines are in order of their top
    captions = {ids.figure_caption_id(name) for name in destinations if ids.is_block(name)}
    for name, (index, x, top) in destinations.items():
        if (ids.is_block(name) or name in captions) and index < len(pages):
            first = first_line_at(pages[index], tops[index], x, top)
            if first is not None:
                sizes[first.size] += 1
                if first.size <= first.x0 - x <= 4 * first.size:
                    indented[first.size] += 1
    counts = indented or sizes
    return max(counts, key=lambda size: (counts[size], -size)) if counts else 0.0


def first_line_at(lines: list[Line], tops: list[float], x: float, top: float) -> Line | None:
    """The first of a page's lines (in order of their `tops`) that stands from 1 pt above `top` to
    BLOCK_FIRST_LINE below it and reaches right of `x`: the first line of a block whose destination is there."""
    for number in range(bisect_left(tops, top - 1), len(lines)):
        line = lines[number]
        if top - 1 <= line.top <= top + BLOCK_FIRST_LINE and line.x1 > x:
            return line
        if line.top > top + BLOCK_FIRST_LINE:
            break
    return None


def read_embedded_encodings() -> None:
    """Let pdfminer decode text in fonts whose encoding CMap is embedded in the PDF.

    pdfminer looks an /Encoding stream up by its CMapName among the CMaps it
    ships, finds none and then decodes no text at all in that font.  WeasyPrint
    embeds such a CMap (`<code> cid` pairs) whenever a glyph is missing, so
    without this one blank box would hide all the text set in its font.
    """
    if getattr(PDFCIDFont.get_cmap_from_spec, "press", False):
        return
    shipped = PDFCIDFont.get_cmap_from_spec

    def get_cmap_from_spec(font, spec, strict):
        encoding = resolve1(spec.get("Encoding"))
        if isinstance(encoding, PDFStream):
            cmap = FileCMap()
            for code, cid in CMAP_CID_CHAR.findall(encoding.get_data()):
                cmap.add_code2cid(bytes.fromhex(code.decode()).decode("latin-1"), int(cid))
            return cmap
        return shipped(font, spec, strict)

    get_cmap_from_spec.press = True
    PDFCIDFont.get_cmap_from_spec = get_cmap_from_spec


def text_size(pages: list[list[Line]], labels: list[str], headings: set[str] = frozenset()) -> float:
    """The body text's glyph size: the most common size on the body pages (numeric labels), leaving out
    each page's first and last line (running head, folio), lines led by a smaller digit (footnotes) and
    lines that read as a bookmark's title (`headings`, squashed: an article's title, a section's name).

    In a short issue the cover, the running heads, a note or a title could otherwise outnumber the text.
    """
    body = [lines for index, lines in enumerate(pages) if index < len(labels) and labels[index].isdigit()]
    inner = [line for lines in body for line in lines[1:-1]
             if not led_by_small_digit(line) and squashed(line.text) not in headings]
    return dominant_size(inner) or dominant_size(line for lines in pages for line in lines)


def squashed(text: str) -> str:
    """Text without its whitespace, to compare a line with a bookmark's title."""
    return "".join(text.split())


def led_by_small_digit(line: Line) -> bool:
    """A line that opens with a digit smaller than the line's own size: a footnote's number."""
    first = line.chars[0]
    return first["text"].isdigit() and first["size"] < line.size * 0.9


def dominant_size(lines) -> float:
    """The most common glyph size, counted per glyph (calls and other small glyphs beside larger ones left
    out): the body text's size."""
    counts: Counter = Counter()
    for line in lines:
        largest = max(c["size"] for c in line.chars)
        counts.update(round(c["size"], 1) for c in line.chars if c["size"] >= largest * CALL_RATIO - 0.05)
    return counts.most_common(1)[0][0] if counts else 0.0


def small_digit_runs(chars: list[dict], limit: float) -> list[tuple[int, list[dict]]]:
    """Runs of small digits standing edge to edge on one height: (number, the run's glyphs).

    Other glyphs between them do not part a run: an opening quote right after a call has its em box start
    inside the call (its ink is in its right half), so in x order it falls between the call's digits.
    MoS₂¹³: the lowered 2 is no part of the call.
    """
    runs: list[list[dict]] = []
    for char in chars:
        if not (char["text"].isdigit() and char["size"] < limit):
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and abs(last["x1"] - char["x0"]) < 1.0 and abs(last["top"] - char["top"]) < 1.0:
            runs[-1].append(char)
        else:
            runs.append([char])
    return [(int("".join(char["text"] for char in run)), run) for run in runs]


def find_footnotes(page: Page, body_size: float,
                   places: dict[int, tuple[float, float]] | None = None,
                   notes: dict[int, tuple[float, float]] | None = None) -> None:
    """Fill in the page's footnote calls and footnote texts.

    `places` are the call destinations on this page; when given, a raised
    digit run is a call only where a destination stands.  `notes` are the
    note destinations: when given, the footnote area begins at the first
    (a table's small figures are no notes).
    """
    limit = body_size * CALL_RATIO
    area_top = min((top for _, top in notes.values()), default=float("inf")) - 1 if notes is not None else 0.0
    note_lines = []
    for number, line in enumerate(page.lines):
        first = line.chars[0]
        if (first["text"].isdigit() and first["size"] < limit and line.size < body_size * 0.95
                and line.top >= area_top):
            note_lines.append(number)
    zone_top = page.lines[note_lines[0]].top if note_lines else float("inf")
    page.notes_top = zone_top
    current, note_size = None, 0.0
    note_lines, at_places = set(note_lines), call_places(places)
    for number, line in enumerate(page.lines):
        if line.top >= zone_top:
            runs = small_digit_runs(line.chars, limit)
            if number in note_lines and runs:
                current, note_size = runs[0][0], line.size
                page.notes[current] = line.text[len(str(current)):].strip()
            elif current is not None and abs(line.size - note_size) < 0.3:
                page.notes[current] += line.text.strip()
        elif runs := small_digit_runs(line.chars, limit):
            raised = raised_above(line, body_size)
            for value, run in runs:
                if run[0]["top"] < raised and at_call_place(run[0], at_places):
                    page.calls.append(value)
                    page.call_glyphs.update(id(char) for char in run)


def call_places(places: dict[int, tuple[float, float]] | None) -> dict[tuple[int, int], list] | None:
    """The call destinations (x, top) in cells CALL_DISTANCE wide and CALL_HEIGHT tall, to find those near a
    digit in the cells around it."""
    if places is None:
        return None
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for x, top in places.values():
        if math.isfinite(x) and math.isfinite(top):  # others stand nowhere
            cells.setdefault((math.floor(x / CALL_DISTANCE), math.floor(top / CALL_HEIGHT)), []).append((x, top))
    return cells


def at_call_place(char: dict, cells: dict[tuple[int, int], list] | None) -> bool:
    """Does a call destination (in the cells of `call_places`) stand where this digit does (always true without
    them)?"""
    if cells is None:
        return True
    x0, top = char["x0"], char["top"]
    columns = cell_range(x0, CALL_DISTANCE)
    rows = cell_range(top, CALL_HEIGHT)
    return any(abs(x0 - x) < CALL_DISTANCE and abs(top - y) < CALL_HEIGHT
               for column in columns for row in rows for x, y in cells.get((column, row), ()))


def cell_range(value: float, size: float) -> range:
    """The cells of `size` that hold the values less than `size` from `value`."""
    return range(math.floor((value - size) / size), math.floor((value + size) / size) + 1)


def raised_above(line: Line, body_size: float) -> float:
    """A glyph standing higher than this on its line is raised (a call); a subscript (LiCoO₂) sits low."""
    full = sorted(c["top"] for c in line.chars if c["size"] >= body_size * CALL_RATIO)
    return full[len(full) // 2] + 0.2 * body_size if full else math.inf


def read_outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The bookmarks as (level, title, page index), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return found


def contents_entries(page: Page) -> list[tuple[str, int]]:
    """The (title, printed page number) entries of a contents page; a title may run over several lines.

    A line without leader dots that stands right above the next line, in its
    size and at its left edge, is the beginning of that line's title.
    """
    entries, beginning = [], ""
    for line, following in zip(page.lines, [*page.lines[1:], None], strict=True):
        match = TOC_ENTRY.match(line.text.strip())
        if match and re.search(r"[.·…]{3,}", line.text):
            entries.append((beginning + match.group("title").strip(), int(match.group("page"))))
            beginning = ""
        elif following is not None and continues_into(line, following):
            beginning += line.text.strip()
        else:
            beginning = ""
    return entries


def continues_into(line: Line, following: Line) -> bool:
    """Whether a line runs on into the next: same size, same left edge, the next line down."""
    return (abs(line.size - following.size) < 0.2 and abs(line.x0 - following.x0) < 1.0
            and 0 < following.top - line.top < 2.5 * line.size)


def squeeze(text: str) -> str:
    """Text without whitespace and invisible marks (U+200B, U+2060, U+FEFF), for comparing across line breaks."""
    return INVISIBLE.sub("", text)
