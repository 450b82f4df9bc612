"""Typography measured on a built PDF: justification, line breaking, punctuation, Han–Latin gaps.

Takes a `Reading` of a PDF (glyph positions from `pdfread`); returns one
`Measure` per rule of TYPOGRAPHY.md, each with the share or count that the
bar applies to and the lines that fail it.  Only body pages (those with a
numeric page label) are measured.  Body lines are the lines in the body
text size; everything on a body page counts for line breaking, punctuation
and Han–Latin gaps.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from press.cjk import needs_space
from press.justify import CLOSING, FULL_WIDTH_MARKS, OPENING
from press.pdfread import CALL_RATIO, Line, Page, Reading

FLUSH_TOLERANCE = 1.5  # points between a line's end and its block's right edge
SQUEEZED_ADVANCE = 0.65  # em: the first of two adjacent full-width marks advances at most this
GAP_RANGE = (1 / 8, 1 / 3)  # em between a Han character and a Latin letter or digit
NO_LINE_START = CLOSING + "…—·"
NO_LINE_END = OPENING
EDGE_CLUSTER = 0.5  # points: x positions are compared rounded to this
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
FONT_PREFIX = "Press"  # every face in fonts/ is named Press…; so are their @font-face families
PARAGRAPH_INDENT = 1.0  # em: a line starting this far right of its block starts a paragraph


@dataclass
class Measure:
    """One rule measured: `value` is a share (0…1) or a count; `failures` say where."""

    rule: str
    value: float
    counted: int
    failures: list[tuple[str, str]] = field(default_factory=list)  # (page label, what)


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
    return [Page(page.index, page.label, [line for line in page.lines if line_key(line) not in running],
                 page.calls, page.notes) for page in pages]


def line_key(line: Line) -> tuple[int, str]:
    """A line's place and text with digits masked: the same for a running header on every page."""
    return round(line.top), re.sub(r"\d+", "#", line.text)


def running_keys(pages: list[Page]) -> set[tuple[int, str]]:
    """Keys of the lines that recur on more than half of the pages (headers, folios)."""
    counts = Counter(key for page in pages for key in {line_key(line) for line in page.lines})
    return {key for key, count in counts.items() if count > len(pages) / 2 and len(pages) > 2}


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
    set_right_edges(lines)
    set_finality(lines, reading.body_size)
    return lines


def set_right_edges(lines: list[BodyLine]) -> None:
    """Each line's right edge: the usual end of the lines that start where it starts."""
    ends_by_start: dict[float, Counter] = {}
    for item in lines:
        ends_by_start.setdefault(rounded(item.line.x0), Counter())[rounded(item.line.x1)] += 1
    overall = Counter(rounded(item.line.x1) for item in lines)
    for item in lines:
        ends = ends_by_start[rounded(item.line.x0)]
        usual = ends if ends.total() >= 3 else overall
        item.right_edge = usual.most_common(1)[0][0] if usual else item.line.x1


def set_finality(lines: list[BodyLine], body_size: float) -> None:
    """Mark the lines that end a paragraph (the next line is indented, far below, or absent)."""
    pitch = line_pitch(lines)
    blocks = runs_of_lines(lines, pitch)
    left_of = {id(item): min(other.line.x0 for other in block) for block in blocks for item in block}
    for index, item in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (following is None or dominant_font(following.line) != dominant_font(item.line)
                or (following.page is item.page and following.line.top - item.line.top > 1.25 * pitch)):
            item.final = True
        else:
            indent = following.line.x0 - left_of[id(following)]
            item.final = indent >= PARAGRAPH_INDENT * body_size


def line_pitch(lines: list[BodyLine]) -> float:
    """The usual distance between the tops of consecutive body lines."""
    steps = Counter(round(b.line.top - a.line.top, 1) for a, b in pairwise(lines)
                    if a.page is b.page and b.line.top > a.line.top)
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
    short = [item for item in lines if abs(item.right_edge - item.line.x1) > FLUSH_TOLERANCE]
    failures = [(item.page.label, f"{item.right_edge - item.line.x1:.1f} pt short: "
                 f"…{item.line.text[-16:]}") for item in short]
    return Measure("justify", share(len(lines) - len(short), len(lines)), len(lines), failures)


def share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


# Line breaking -------------------------------------------------------------------

def line_breaking(reading: Reading) -> Measure:
    """Count of lines that start with a closing mark or a footnote call, or end with an opening mark."""
    failures = []
    counted = 0
    for page in body_pages(reading):
        for line in page.lines:
            glyphs = visible(line)
            if not glyphs:
                continue
            counted += 1
            first, last = glyphs[0], glyphs[-1]
            if first["text"] in NO_LINE_START:
                failures.append((page.label, f"line starts with {first['text']}: {line.text[:16]}…"))
            elif is_call(first, line, reading.body_size):
                failures.append((page.label, f"line starts with a footnote call: {line.text[:16]}…"))
            if last["text"] in NO_LINE_END:
                failures.append((page.label, f"line ends with {last['text']}: …{line.text[-16:]}"))
    return Measure("line-break", len(failures), counted, failures)


def is_call(char: dict, line: Line, body_size: float) -> bool:
    """A small raised digit at the start of a body line: a footnote call cut off from its word."""
    return (char["text"].isdigit() and char["size"] < body_size * CALL_RATIO
            and line.size >= body_size * 0.95)


# Punctuation squeeze ---------------------------------------------------------------

def punctuation(reading: Reading) -> Measure:
    """Share of adjacent full-width mark pairs whose first mark advances ≤ SQUEEZED_ADVANCE em."""
    pairs = squeezed = 0
    failures = []
    for page in body_pages(reading):
        for line in page.lines:
            glyphs = visible(line)
            for first, second in pairwise(glyphs):
                if first["text"] in FULL_WIDTH_MARKS and second["text"] in FULL_WIDTH_MARKS:
                    pairs += 1
                    advance = (second["x0"] - first["x0"]) / first["size"]
                    if advance <= SQUEEZED_ADVANCE:
                        squeezed += 1
                    else:
                        failures.append((page.label, f"{first['text']}{second['text']} takes "
                                         f"{advance + 1:.2f} em: {line.text[:24]}"))
    return Measure("punct-squeeze", share(squeezed, pairs), pairs, failures)


# Han–Latin gaps ----------------------------------------------------------------------

def han_latin(reading: Reading) -> Measure:
    """Share of Han/Latin adjacencies in body lines whose gap lies in GAP_RANGE (in em)."""
    adjacencies = good = 0
    failures = []
    low, high = GAP_RANGE
    for item in body_lines(reading):
        glyphs = visible(item.line)
        for before, after in pairwise(glyphs):
            if not needs_space(before["text"][-1], after["text"][0]) or not same_size(before, after):
                continue
            adjacencies += 1
            gap = (after["x0"] - before["x1"]) / max(before["size"], after["size"])
            if low <= gap <= high:
                good += 1
            else:
                failures.append((item.page.label, f"{before['text']}|{after['text']} gap {gap:.2f} em: "
                                 f"{item.line.text[:24]}"))
    return Measure("han-latin-gap", share(good, adjacencies), adjacencies, failures)


def same_size(one: dict, other: dict) -> bool:
    """Glyphs of one size (a footnote call or a subscript is not text beside a Han character)."""
    return abs(one["size"] - other["size"]) < 0.3


# Fonts ---------------------------------------------------------------------------------

def fonts(reading: Reading) -> Measure:
    """Count of fonts that are not embedded, not subset, or not one of press's own (Press…)."""
    failures = []
    for name, embedded in reading.fonts:
        subset = SUBSET_TAG.match(name)
        family = name[subset.end():] if subset else name
        if not embedded:
            failures.append(("", f"{name}: not embedded"))
        elif not subset:
            failures.append(("", f"{name}: embedded whole, not subset"))
        elif not family.startswith(FONT_PREFIX):
            failures.append(("", f"{name}: not a font from fonts/"))
    return Measure("fonts", len(failures), len(reading.fonts), failures)


def all_measures(reading: Reading) -> list[Measure]:
    """Every typography measure of TYPOGRAPHY.md, from glyph positions and font resources."""
    return [justification(reading), line_breaking(reading), punctuation(reading), han_latin(reading),
            fonts(reading)]

