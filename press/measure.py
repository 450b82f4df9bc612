"""Typography measured on a built PDF: justification, line breaking, punctuation, Han–Latin gaps.

Takes a `Reading` of a PDF (glyph positions from `pdfread`); returns one
`Measure` per rule of the house typography rules (TYPOGRAPHY.md), each with the share or count that the
bar applies to and the lines that fail it.  Only body pages (those with a
numeric page label) are measured.  Body lines are the lines in the body
text size; everything on a body page counts for line breaking, punctuation
and Han–Latin gaps.
"""

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise

from press.cjk import CLOSING, FULL_WIDTH_MARKS, OPENING, URL, needs_space
from press.errors import Place
from press.pdfread import BLOCK_FIRST_LINE, CALL_RATIO, FOLIO, Line, Page, Reading

FLUSH_TOLERANCE = 1.5  # points between a line's end and its block's right edge
SQUEEZED_ADVANCE = 0.65  # em: the first of two adjacent full-width marks advances at most this
GAP_RANGE = (1 / 8, 1 / 3)  # em between a Han character and a Latin letter or digit
NO_LINE_START = CLOSING + "…—·～〜"
NO_LINE_END = OPENING
EDGE_CLUSTER = 0.5  # points: x positions are compared rounded to this
URL_CONTINUED = re.compile(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}/[!-;=?-~]*")  # a URL wrapped from the line above
PARAGRAPH_INDENT = 1.0  # em: a line starting this far right of its block starts a paragraph
MAX_PITCH = 2.5  # ems from the top of one line of text to the next, at most
COLUMN_GAP = 1.5  # em: glyphs further apart on one line stand in different columns
LIST_ITEM = re.compile(r"\s*(?:[•◦▪‣●○■□]|\d{1,3}[.)](?!\d))")  # a line that opens with a list marker starts an item


@dataclass(frozen=True)
class Failure:
    """Where a rule fails: the page's label ("" for the whole document), what is wrong, and the place in the
    source that says otherwise, when there is one."""

    page: str
    message: str
    source: Place | None = None


@dataclass
class Measure:
    """One rule measured: `value` is a share (0…1) or a count; `failures` say where; `detail` says what was
    measured when the value does not (the text block's width in ems)."""

    rule: str
    value: float
    counted: int
    failures: list[Failure] = field(default_factory=list)
    detail: str = ""


@dataclass
class BodyLine:
    """A line of body text with where it belongs on its page."""

    page: Page
    line: Line
    right_edge: float = 0.0
    final: bool = True


def body_pages(reading: Reading) -> list[Page]:
    """Pages of the issue's body (numeric labels), without running headers and folios."""
    pages = [page for page in reading.pages if page.label.isdigit()]
    running = running_keys(pages)
    return [replace(page, lines=[line for line in page.lines if not is_running(page, line, running)])
            for page in pages]


def is_running(page: Page, line: Line, running: set[tuple[int, str]]) -> bool:
    """A running header or a folio: recurring at the page's top or foot, or a lone page number there.

    In an issue too short for anything to recur, a first line set well apart
    from the next (in the top margin) is taken for the running header.
    """
    if line not in edge_lines(page):
        return False
    if line_key(line) in running or FOLIO.match(line.text) is not None:
        return True
    return not running and line is page.lines[0] and stands_apart(page)


def stands_apart(page: Page) -> bool:
    """Whether a page's first line stands more than MARGIN_GAP of its size above the next line."""
    first, following = page.lines[0], page.lines[1] if len(page.lines) > 1 else None
    return following is not None and following.top - first.top > MARGIN_GAP * first.size


MARGIN_GAP = 2.5  # a running header stands this many of its sizes above the text; lines of text 1.75


def line_key(line: Line) -> tuple[int, str]:
    """A line's place and text with digits masked: the same for a running header on every page."""
    return round(line.top), re.sub(r"\d+", "#", line.text)


def running_keys(pages: list[Page]) -> set[tuple[int, str]]:
    """Keys of the top or bottom lines that recur on more than half of the pages (headers, folios)."""
    counts = Counter(key for page in pages for key in {line_key(line) for line in edge_lines(page)})
    return {key for key, count in counts.items() if count > len(pages) / 2 and len(pages) > 2}


def edge_lines(page: Page) -> list[Line]:
    """The first and the last line of a page, where running headers and folios stand."""
    return page.lines[:1] + page.lines[-1:]


def dominant_font(line: Line) -> str:
    """The font most of the line's glyphs are set in."""
    return Counter(char["fontname"] for char in line.chars).most_common(1)[0][0]


def visible(line: Line) -> list[dict]:
    """The line's glyphs without spaces."""
    return [char for char in line.chars if char["text"].strip()]


def rounded(value: float) -> float:
    return round(value / EDGE_CLUSTER) * EDGE_CLUSTER


# Justification -------------------------------------------------------------------

def body_lines(reading: Reading) -> list[BodyLine]:
    """Body-size lines of the body pages in reading order, with right edges and finality."""
    lines = [BodyLine(page, line) for page in body_pages(reading) for line in page.lines
             if abs(line.size - reading.body_size) < 0.05 and visible(line)]
    blocks = runs_of_lines(lines, line_pitch(lines))
    set_right_edges(lines, blocks)
    set_finality(lines, blocks, reading.body_size)
    return lines


def set_right_edges(lines: list[BodyLine], blocks: list[list[BodyLine]]) -> None:
    """Each line's right edge: the furthest end of any line in a block that starts where its block starts.

    Blocks with one left edge (the main text; the editor's notes) share one
    right edge.  The furthest end, not the most common: in ragged text most
    lines end short of the margin, at the same whole number of ems.
    """
    left_of_block = {id(item): rounded(left) for block, left in block_lefts(blocks) for item in block}
    edges: dict[float, float] = {}
    for item in lines:
        left = left_of_block[id(item)]
        edges[left] = max(edges.get(left, 0.0), ink_end(item.line))
    for item in lines:
        item.right_edge = edges[left_of_block[id(item)]]


def outer_edge(positions: Counter, outermost) -> float:
    """The outermost position shared by several lines: the edge of the text block.

    (The most common end is not enough: in ragged text most lines end short.)
    """
    shared = [value for value, count in positions.items() if count >= max(3, 0.05 * positions.total())]
    if shared:
        return outermost(shared)
    return positions.most_common(1)[0][0]


def set_finality(lines: list[BodyLine], blocks: list[list[BodyLine]], body_size: float) -> None:
    """Mark the lines that end a paragraph: the next line of text is not the next body line (a caption, a
    table, a heading stands between), or it is indented, a list item, far below, in another font, the first
    line of a block press names (its destination stands there), or there is none."""
    pitch = line_pitch(lines)
    left_of = {id(item): left for block, left in block_lefts(blocks) for item in block}
    places = flow_places(lines)
    for index, item in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (following is None or not next_in_flow(item, following, places)
                or dominant_font(following.line) != dominant_font(item.line)
                or (following.page is item.page and following.line.top - item.line.top > 1.25 * pitch)
                or starts_block(following.page, following.line)):
            item.final = True
        else:
            indent = following.line.x0 - left_of[id(following)]
            item.final = indent >= PARAGRAPH_INDENT * body_size or bool(LIST_ITEM.match(following.line.text))


def next_in_flow(item: BodyLine, following: BodyLine, places: dict[int, tuple[int, int]]) -> bool:
    """Whether no line of text stands between two body lines: the next on its page, or the last of one page
    and the first of the next.  `places` are the lines' places in their page's flow (`flow_places`)."""
    here, there = places.get(id(item.line)), places.get(id(following.line))
    if here is None or there is None:
        return False
    if following.page is item.page:
        return there[0] == here[0] + 1
    return following.page.index == item.page.index + 1 and here[0] == here[1] - 1 and there[0] == 0


def flow_places(lines: list[BodyLine]) -> dict[int, tuple[int, int]]:
    """id() of each line in the flow of a page of `lines` → (its place in the flow, the flow's length)."""
    places = {}
    for page in {id(item.page): item.page for item in lines}.values():
        flow = page.flow
        places.update((id(line), (number, len(flow))) for number, line in enumerate(flow))
    return places


def block_lefts(blocks: list[list[BodyLine]]) -> list[tuple[list[BodyLine], float]]:
    """Each block of lines with the left edge of its leftmost line."""
    return [(block, min(item.line.x0 for item in block)) for block in blocks]


def starts_block(page: Page, line: Line) -> bool:
    """Whether a line is the first of an article's block (a paragraph, a heading …) by the block's destination."""
    tops, blocks = page.blocks_by_top
    start = bisect_left(tops, line.top - BLOCK_FIRST_LINE - 1.0)
    end = bisect_right(tops, line.top + 2.0)
    return any(top - 1 <= line.top <= top + BLOCK_FIRST_LINE and line.x1 > x for x, top in blocks[start:end])


def line_pitch(lines: list[BodyLine]) -> float:
    """The usual distance between the tops of consecutive body lines.

    Steps over MAX_PITCH ems are gaps between blocks (a table, a figure), not lines: in a short
    article they could be the only steps there are.
    """
    steps = Counter(round(b.line.top - a.line.top, 1) for a, b in pairwise(lines)
                    if a.page is b.page and 0 < b.line.top - a.line.top <= MAX_PITCH * b.line.size)
    return steps.most_common(1)[0][0] if steps else 0.0


def runs_of_lines(lines: list[BodyLine], pitch: float) -> list[list[BodyLine]]:
    """Consecutive lines on one page at the usual pitch: the blocks of text."""
    blocks: list[list[BodyLine]] = []
    for item in lines:
        last = blocks[-1][-1] if blocks else None
        if last and last.page is item.page and item.line.top - last.line.top <= 1.25 * pitch:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return blocks


def justification(reading: Reading) -> Measure:
    """Share of non-final body lines that end within FLUSH_TOLERANCE of their block's right edge."""
    lines = [item for item in body_lines(reading) if not item.final]
    short = [item for item in lines if not is_flush(item)]
    failures = [Failure(item.page.label, f"{item.right_edge - item.line.x1:.1f} pt short: "
                 f"…{item.line.text[-16:]}") for item in short]
    return Measure("justify", share(len(lines) - len(short), len(lines)), len(lines), failures)


def ink_end(line: Line) -> float:
    """Where the line's last glyph ends; a closing mark's ink lies in its left half.

    The PDF gives each glyph its full advance, but a mark set half-width at
    the end of a line (`halt`) advances only half of it: its right half hangs
    past the margin, empty.  So a closing mark counts as ending at its middle.
    """
    last = visible(line)[-1]
    if last.get("centred"):  # a centred mark (Traditional Chinese) set half-width: its box starts ¼ em back
        return last["x0"] + last["size"] * 3 / 4
    if last["text"][-1] in CLOSING:
        return last["x0"] + last["size"] / 2
    return last["x1"]


def is_flush(item: BodyLine) -> bool:
    """Does the line end at its block's edge, with its last mark set full- or half-width?"""
    return (abs(item.right_edge - item.line.x1) <= FLUSH_TOLERANCE
            or abs(item.right_edge - ink_end(item.line)) <= FLUSH_TOLERANCE)


def share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


# Line breaking -------------------------------------------------------------------

def line_breaking(reading: Reading) -> Measure:
    """Count of lines that start with a closing mark or a footnote call, or end with an opening mark.

    A paragraph's first line starts where its source does: a paragraph that opens with a call or a mark
    was written so, and no line break put it there.
    """
    failures = []
    counted = 0
    lines = body_lines(reading)
    openers = {id(item.line) for before, item in zip([None, *lines[:-1]], lines, strict=True)
               if before is None or before.final or starts_block(item.page, item.line)}
    for page in body_pages(reading):
        for line in page.lines:
            glyphs = visible(line)
            if not glyphs:
                continue
            counted += 1
            first, last = glyphs[0], glyphs[-1]
            if id(line) in openers:
                pass
            elif first["text"][0] in NO_LINE_START:  # a glyph may stand for several characters (——)
                failures.append(Failure(page.label, f"line starts with {first['text']}: {line.text[:16]}…"))
            elif is_call(first, line, reading.body_size):
                failures.append(Failure(page.label, f"line starts with a footnote call: {line.text[:16]}…"))
            if last["text"][-1] in NO_LINE_END:
                failures.append(Failure(page.label, f"line ends with {last['text']}: …{line.text[-16:]}"))
    return Measure("line-break", len(failures), counted, failures)


def is_call(char: dict, line: Line, body_size: float) -> bool:
    """A small raised digit at the start of a body line: a footnote call cut off from its word."""
    return (char["text"].isdigit() and char["size"] < body_size * CALL_RATIO
            and line.size >= body_size * 0.95)


# Punctuation squeeze ---------------------------------------------------------------

def punctuation(reading: Reading) -> Measure:
    """Share of adjacent full-width mark pairs whose first mark advances ≤ SQUEEZED_ADVANCE em; two marks
    whose boxes stand NEIGHBOURS em apart or more (in two cells of a table) are no pair.

    Glyphs are taken in the order of their ink (an opening mark's is in its box's right half), and an
    opening mark set half-width has its box moved half an em back over the glyph before it: its advance
    begins half an em into its box (“《 in “《规划》”).
    """
    pairs = squeezed = 0
    failures = []
    for page in body_pages(reading):
        for line in page.lines:
            glyphs = sorted(visible(line), key=ink_start)
            for index, (first, second) in enumerate(pairwise(glyphs)):
                if (first["text"] in FULL_WIDTH_MARKS and second["text"] in FULL_WIDTH_MARKS
                        and second["x0"] - first["x1"] < NEIGHBOURS * first["size"]):
                    pairs += 1
                    advance = (pen(glyphs, index + 1) - pen(glyphs, index)) / first["size"]
                    advance -= 0.25 if first.get("centred") else 0  # its box starts ¼ em before its pen
                    if advance <= SQUEEZED_ADVANCE:
                        squeezed += 1
                    else:
                        failures.append(Failure(page.label, f"{first['text']}{second['text']} takes "
                                         f"{advance + 1:.2f} em: {line.text[:24]}"))
    return Measure("punct-squeeze", share(squeezed, pairs), pairs, failures)


NEIGHBOURS = 0.5  # em between two marks' boxes at most, or they are no pair (two table cells: 千瓦） | （亿元）)


def ink_start(glyph: dict) -> float:
    """Where a glyph's ink begins: an opening mark's in the right half of its box."""
    return glyph["x0"] + glyph["size"] / 2 if glyph["text"] in OPENING else glyph["x0"]


def pen(glyphs: list[dict], index: int) -> float:
    """Where the pen stood when a glyph was set: its box's start, or half an em into it for an opening mark
    set half-width (its box reaches back half an em over the glyph before it, beyond the half em by which
    a closing mark set half-width reaches forward over it: 》（ is no such case, “《 and 。“。 are)."""
    glyph = glyphs[index]
    before = glyphs[index - 1] if index else None
    if glyph["text"] not in OPENING or before is None:
        return glyph["x0"]
    reach = before["x1"] - glyph["x0"] - (before["size"] / 2 if before["text"] in CLOSING else 0)
    return glyph["x0"] + glyph["size"] / 2 if reach > glyph["size"] / 4 else glyph["x0"]


# Han–Latin gaps ----------------------------------------------------------------------

def han_latin(reading: Reading) -> Measure:
    """Share of Han/Latin adjacencies in body lines whose gap lies in GAP_RANGE (in em)."""
    adjacencies = good = 0
    failures = []
    low, high = GAP_RANGE
    for item in body_lines(reading):
        glyphs = visible(item.line)
        in_url = url_glyphs(glyphs)
        for (index, before), (_, after) in pairwise(enumerate(glyphs)):
            if (not needs_space(before["text"][-1], after["text"][0]) or not same_size(before, after)
                    or {index, index + 1} & in_url):
                continue
            gap = (after["x0"] - before["x1"]) / max(before["size"], after["size"])
            if gap > COLUMN_GAP:  # two cells of a table row, not neighbours in a text
                continue
            adjacencies += 1
            if low <= gap <= high:
                good += 1
            else:
                failures.append(Failure(item.page.label, f"{before['text']}|{after['text']} gap {gap:.2f} em: "
                                 f"{item.line.text[:24]}"))
    return Measure("han-latin-gap", share(good, adjacencies), adjacencies, failures)


def url_glyphs(glyphs: list[dict]) -> set[int]:
    """Indices of the glyphs that belong to a URL (nothing is spaced against a URL)."""
    text, owners = "", []
    for index, glyph in enumerate(glyphs):
        text += glyph["text"]
        owners += [index] * len(glyph["text"])
    matches = [*URL.finditer(text), *URL_CONTINUED.finditer(text)]
    return {owners[position] for match in matches for position in range(*match.span())}


def same_size(one: dict, other: dict) -> bool:
    """Glyphs of one size (a footnote call or a subscript is not text beside a Han character)."""
    return abs(one["size"] - other["size"]) < 0.3


# Pages ---------------------------------------------------------------------------------

def page_breaks(reading: Reading) -> Measure:
    """Count of widows, orphans and headings left at the foot of a page.

    Each page's last line of text and the next page's first are compared, whatever their size (a table's
    row, a caption): a paragraph's last line alone at the top of a page whose paragraph began on the page
    before is a widow, its first line alone at the foot of a page is an orphan, a heading with nothing
    under it on its page stands at the foot.
    """
    lines = body_lines(reading)
    finals = {(item.page.index, id(item.line)): item for item in lines}
    pages = body_pages(reading)
    failures = []
    for page, following in pairwise(pages):
        flow, next_flow = page.flow, following.flow
        if not flow:
            continue
        last = flow[-1]
        if last.size > reading.body_size * 1.05:
            failures.append(Failure(page.label, f"heading at the foot of the page: {last.text[:16]}"))
            continue
        last_item = finals.get((page.index, id(last)))
        if last_item is None or last_item.final:
            continue  # the page ends with a paragraph's end (or with no body text)
        before = finals.get((page.index, id(flow[-2]))) if len(flow) > 1 else None
        if before is None or before.final or starts_block(page, last):
            failures.append(Failure(page.label, f"orphan: a paragraph's first line alone at the foot: "
                                    f"{last.text[:16]}…"))
        first = finals.get((following.index, id(next_flow[0]))) if next_flow else None
        if first is not None and first.final and not starts_block(following, first.line):
            failures.append(Failure(following.label, f"widow: a paragraph's last line alone at the top: "
                             f"{first.line.text[:16]}…"))
    return Measure("page-breaks", len(failures), len(lines), failures)


def overflow(reading: Reading) -> Measure:
    """Count of lines on body pages that stick out of the text block (long URLs, wide tables).

    The text block starts where press's blocks start (their destinations; else where most body lines
    start) and ends where most body lines end, or as far from the page's right edge as it starts from its
    left, whichever is further; an issue with too few lines to tell is held to the page's edges instead.
    """
    lines = body_lines(reading)
    if not lines:
        return Measure("overflow", 0, 0)
    starts = [x for page in body_pages(reading) for x, _ in page.blocks]
    if len(lines) >= FEW_LINES:
        left = min(starts) if starts else outer_edge(Counter(rounded(item.line.x0) for item in lines), min)
        right = max(outer_edge(Counter(rounded(ink_end(item.line)) for item in lines), max),
                    reading.page_size[0] - left)  # quotes or lists ending short must not pull the edge in
    else:
        left, right = 0.0, reading.page_size[0]
    failures, counted = [], 0
    for page in body_pages(reading):
        for line in page.lines:
            counted += 1
            glyphs = visible(line)
            if glyphs and (glyphs[0]["x0"] < left - FLUSH_TOLERANCE or ink_end(line) > right + FLUSH_TOLERANCE):
                failures.append(Failure(page.label, f"outside the text block: {line.text[:24]}"))
    return Measure("overflow", len(failures), counted, failures)


FEW_LINES = 20  # body lines needed to find the text block's edges from where lines start and end


def all_measures(reading: Reading) -> list[Measure]:
    """Every typography measure of TYPOGRAPHY.md, from glyph positions."""
    return [justification(reading), line_breaking(reading), punctuation(reading), han_latin(reading),
            page_breaks(reading), overflow(reading)]

