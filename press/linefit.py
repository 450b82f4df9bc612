"""How lines fill the text block, measured on a built PDF: runts, loose lines, the block's measure, units.

Takes a `Reading` of a PDF (glyph positions from `pdfread`); returns one `Measure` per rule, each a count
of failures that name the page and the line:
* `runt` — a paragraph of several lines ending in a line of fewer than two characters, or a line of
  punctuation only (TYPOGRAPHY.md: avoid one character alone on a last line);
* `loose-line` — a justified line that adds more than 0.15 em between two Han characters;
* `text-block` — the body text block is not a whole number of body ems wide (so lines of Han text need
  added space to reach the margin), lines of Han text do add space, or a line of a paragraph stands off
  the usual pitch (an inline picture or a big superscript pushed it); its `detail` gives the width;
* `unit-break` — a line ends with a number and the next line of its block starts with the number's unit.

Paragraphs, their last lines and the text block's edges are `measure.body_lines`'s.
"""

import re
import unicodedata
from collections import Counter
from itertools import pairwise
from statistics import median

from press.cjk import FULL_WIDTH_MARKS, is_han, is_latin
from press.lines import CALL_RATIO, Line
from press.measure import (
    COLUMN_GAP,
    MAX_PITCH,
    BodyLine,
    Failure,
    Measure,
    body_lines,
    body_pages,
    dominant_font,
    ink_end,
    is_call,
    is_flush,
    line_pitch,
    outer_edge,
    same_size,
    starts_block,
    visible,
)
from press.pdfread import Page, Reading

RUNT_LENGTH = 2  # characters a paragraph's last line holds at least (punctuation and calls not counted)
INVISIBLE = "\u200b\u2060\ufeff"
LOOSE = 0.15  # em added between two Han characters on a justified line, at most (measured to 0.01 em: the
# PDF's positions put 0.148 em of letter-spacing anywhere from 0.146 to 0.150)
WHOLE_EM = 0.02  # em by which the text block's width may miss a whole number of ems
HAN_SPACING = 0.005  # em added per Han gap on lines of Han text, at most (the median over the document)
MEDIAN_LINES = 5  # lines of Han text the median needs (fewer: each is judged alone, by loose-line)
# Share of the usual pitch by which two lines of a paragraph may stand off it.  Pango sets a line whose
# text falls back from one face to another within a run (Kai text with the Song face's marks and digits)
# 0.4–0.8 px lower than a line of one face, whatever the faces' ascent and descent: 0.3–0.6 pt of 18.4.
# A line pushed down by a picture or a raised call stands a point or more off.
PITCH_TOLERANCE = 0.04

UNITS = ("%", "％", "‰", "℃", "°C", "°", "K", "nm", "μm", "µm", "mm", "cm", "m", "km", "mg", "g", "kg", "t",
         "L", "mL", "Pa", "kPa", "MPa", "GPa", "W", "kW", "MW", "GW", "kWh", "Wh", "mAh", "V", "mV", "kV", "A",
         "mA", "Hz", "kHz", "MHz", "GHz", "s", "ms", "h", "min", "eV", "keV", "MeV", "J", "kJ", "MJ", "mol",
         "mol/L", "ppm", "wt%", "at%", "cm²", "cm⁻²", "m²", "dB")  # a unit that may stand after a number
UNIT_START = re.compile("|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True)))


# Runts -----------------------------------------------------------------------------------

def runt(reading: Reading) -> Measure:
    """Count of paragraphs of several lines whose last line holds fewer than RUNT_LENGTH characters, and of
    lines holding punctuation only."""
    lines = body_lines(reading)
    failures = []
    for before, item in pairwise([None, *lines]):
        count = characters(item, reading.body_size)
        if count == 0:
            failures.append(Failure(item.page.label, f"a line of punctuation only: {item.line.text.strip()}"))
        elif count < RUNT_LENGTH and item.final and before is not None and not before.final:
            failures.append(Failure(item.page.label, f"a paragraph's last line of {count} character: "
                                    f"{before.line.text[-12:]}⏎{item.line.text.strip()}"))
    return Measure("runt", len(failures), len(lines), failures)


def characters(item: BodyLine, body_size: float) -> int:
    """The characters of a line that count for its length: letters, digits, Han, symbols — not punctuation,
    spaces, invisible marks or the small digits of a footnote call (`measure.is_call`)."""
    return sum(1 for char in item.line.chars if not is_call(char, item.line, body_size)
               for letter in char["text"] if counts_as_text(letter))


def counts_as_text(letter: str) -> bool:
    return not (letter.isspace() or letter in INVISIBLE or unicodedata.category(letter).startswith("P"))


# Loose lines ------------------------------------------------------------------------------

def loose_line(reading: Reading) -> Measure:
    """Count of justified (non-final) body lines whose largest gap between two Han characters exceeds LOOSE em."""
    justified = [item for item in body_lines(reading) if not item.final]
    failures = []
    for item in justified:
        gaps = han_gaps(item.line)
        if gaps and round(max(gaps), 2) > LOOSE:
            failures.append(Failure(item.page.label, f"{max(gaps):.2f} em between Han characters: "
                                    f"{item.line.text.strip()}"))
    return Measure("loose-line", len(failures), len(justified), failures)


def han_gaps(line: Line) -> list[float]:
    """Space added between each two neighbouring Han glyphs of one size, in ems of their size.

    A glyph's box is its advance, so letter-spacing shows as the gap to the next box.  Gaps wider than
    COLUMN_GAP part two cells of a table row, not characters of a text.
    """
    gaps = []
    for one, other in pairwise(line.chars):
        if is_han_glyph(one) and is_han_glyph(other) and same_size(one, other):
            gap = (other["x0"] - one["x1"]) / one["size"]
            if gap <= COLUMN_GAP:
                gaps.append(gap)
    return gaps


def is_han_glyph(glyph: dict) -> bool:
    return len(glyph["text"]) == 1 and is_han(glyph["text"])


# The text block ----------------------------------------------------------------------------

def text_block(reading: Reading) -> Measure:
    """Count of faults of the text block's measure: a width off a whole number of body ems, space added
    between Han characters on lines of Han text (the median over the document), lines of a paragraph off
    the usual pitch.  `detail` gives the width and the median added space."""
    lines = body_lines(reading)
    size = reading.body_size
    width, added = block_width(lines, size), han_spacing(lines)
    failures = []
    if width is not None and abs(width - round(width)) > WHOLE_EM:
        failures.append(Failure("", f"text block {width:.2f} em of {size:g} pt wide, not a whole number of ems"))
    if added is not None and added > HAN_SPACING and han_lines(lines) >= MEDIAN_LINES:
        failures.append(Failure("", f"lines of Han text add {added:.3f} em per Han gap (median), "
                                f"more than {HAN_SPACING} em"))
    failures += off_pitch(lines)
    return Measure("text-block", len(failures), len(lines), failures, detail=block_detail(width, size, added))


def block_width(lines: list[BodyLine], body_size: float) -> float | None:
    """The body text block's width in body ems: from the left edge of the lines that continue a paragraph
    to where most full lines of their blocks end (`measure.ink_end`); None without such lines.

    The left edge is the outermost one that many such lines share: the main text's, not a quote's or a
    list's (`measure.outer_edge`), even where quotes outnumber paragraphs.  The right edge is the most common
    end, not the furthest: WeasyPrint 70 draws a letter-spaced glyph up to 1/1000 em further on than it laid
    it out (it truncates the PDF's position adjustment), so a loose justified line may end 0.2 pt past the
    others (`overflow` judges such a line).
    """
    continuing = [item for before, item in pairwise(lines) if not before.final]
    if not continuing or not body_size:
        return None
    left = outer_edge(Counter(round(item.line.x0, 2) for item in continuing), min)
    edge = Counter(round(item.right_edge, 2) for item in continuing if round(item.line.x0, 2) == left).most_common(1)
    flush = Counter(round(ink_end(item.line), 2) for item in lines
                    if not item.final and round(item.right_edge, 2) == edge[0][0])  # the main text's full lines
    return ((flush.most_common(1)[0][0] if flush else edge[0][0]) - left) / body_size


def han_spacing(lines: list[BodyLine]) -> float | None:
    """The space added between two Han characters on the full lines (non-final, flush with the margin) made of
    Han characters and full-width marks only, in em: the median over those lines of each line's median; None
    without such lines.

    Over lines, not gaps: a short issue's one justified line that had to open up (before an unbreakable
    `500 Wh/kg`) holds more gaps than its two lines that did not, and is still one line (`loose-line`
    judges it).  A line that ends short (before a hard line break) is set as it is: it says nothing of the block.
    """
    spread = [median(gaps) for item in full_han_lines(lines) if (gaps := han_gaps(item.line))]
    return median(spread) if spread else None


def full_han_lines(lines: list[BodyLine]) -> list[BodyLine]:
    """The full lines (non-final, flush with the margin) made of Han characters and full-width marks only."""
    return [item for item in lines if not item.final and is_flush(item) and all_cjk(item.line)]


def han_lines(lines: list[BodyLine]) -> int:
    """How many lines `han_spacing` takes its median over."""
    return sum(1 for item in full_han_lines(lines) if han_gaps(item.line))


def all_cjk(line: Line) -> bool:
    """Is a line made of Han characters and full-width marks only (invisible marks aside)?"""
    return all(is_han(letter) or letter in FULL_WIDTH_MARKS or letter in INVISIBLE
               for glyph in visible(line) for letter in glyph["text"])


def block_detail(width: float | None, size: float, added: float | None) -> str:
    """The block's measure in words: `text block 44.00 em of 10.5 pt; all-CJK lines add 0.000 em median`."""
    block = f"text block {width:.2f} em of {size:g} pt" if width is not None else "no justified body lines"
    spacing = f"all-CJK lines add {added:.3f} em median" if added is not None else "no all-CJK lines"
    return f"{block}; {spacing}"


def off_pitch(lines: list[BodyLine]) -> list[Failure]:
    """Lines of a paragraph standing more than PITCH_TOLERANCE of the usual pitch off it below the line before."""
    pitch = line_pitch(lines)
    failures = []
    for before, item in pairwise(lines):
        if before.final or item.page is not before.page:
            continue
        step = text_top(item.line) - text_top(before.line)
        if abs(step - pitch) > PITCH_TOLERANCE * pitch:
            failures.append(Failure(item.page.label, f"{step:.1f} pt below the line before, not {pitch:g} pt: "
                                    f"{item.line.text.strip()}"))
    return failures


def text_top(line: Line) -> float:
    """The top of a line's text: the most common top of its glyphs in its dominant font and size (a raised
    call or a superscript, a word in another face with other ascents, left out)."""
    font = dominant_font(line)
    tops = Counter(round(glyph["top"], 2) for glyph in line.chars
                   if glyph["fontname"] == font and abs(glyph["size"] - line.size) < 0.3)
    return tops.most_common(1)[0][0] if tops else line.top


# Numbers and units --------------------------------------------------------------------------

def unit_break(reading: Reading) -> Measure:
    """Count of lines on body pages that end with a number whose unit starts the next line of their block."""
    failures, counted = [], 0
    for (line, page), (following, next_page) in line_pairs(body_pages(reading)):
        if not ends_with_number(line, page):
            continue
        counted += 1
        unit = leading_unit(following)
        if unit and continues(line, following, next_page, same_page=page is next_page):
            failures.append(Failure(page.label, f"number and unit {unit} on two lines: "
                                    f"…{line.text.strip()[-12:]}⏎{following.text.strip()[:12]}…"))
    return Measure("unit-break", len(failures), counted, failures)


def line_pairs(pages: list[Page]):
    """Each line of the body pages and the next line of its flow, each with its page: the next line above
    the footnotes (after a page's last, the next page's first), or the next line of the footnotes."""
    for page, following in pairwise([*pages, None]):
        flow, notes = page.flow, [line for line in page.lines if line.top >= page.notes_top]
        for sequence in (flow, notes):
            yield from (((line, page), (after, page)) for line, after in pairwise(sequence))
        if flow and following is not None and following.index == page.index + 1 and following.flow:
            yield (flow[-1], page), (following.flow[0], following)


def ends_with_number(line: Line, page: Page) -> bool:
    """Does the line's last glyph (invisible marks aside) print a digit that is no footnote call?"""
    glyphs = [glyph for glyph in visible(line) if glyph["text"].strip(INVISIBLE)]
    return bool(glyphs) and glyphs[-1]["text"][-1].isdigit() and id(glyphs[-1]) not in page.call_glyphs


def leading_unit(line: Line) -> str | None:
    """The unit a line starts with, followed by anything but a Latin letter (superscripts drawn small left
    out): `nm`, `%`, the `m` of `m²` but not of `mass`."""
    text = "".join(glyph["text"] for glyph in line.chars if glyph["size"] >= line.size * CALL_RATIO)
    text = text.lstrip(" " + INVISIBLE)
    match = UNIT_START.match(text)
    if match is None:
        return None
    rest = text[match.end():match.end() + 1]
    return None if rest.isalpha() and is_latin(rest) else match.group()


def continues(line: Line, following: Line, page: Page, same_page: bool) -> bool:
    """Does `following` (on `page`) go on with `line`'s text: the same size, no block begun, and on one page
    no gap between them?"""
    if abs(line.size - following.size) >= 0.3 or starts_block(page, following):
        return False
    return not same_page or 0 < following.top - line.top <= MAX_PITCH * line.size
