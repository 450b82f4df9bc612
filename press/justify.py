"""Chinese line fitting inside WeasyPrint 70.0: punctuation squeeze and inter-character justification.

WeasyPrint justifies a line by widening its spaces only, so a line of Han
text stays ragged and a mixed line pours all its slack into one space.  This
adapter, installed once by `install()`, changes two functions of WeasyPrint:

* `weasyprint.text.line_break.Layout.set_text` (every Pango layout of a text
  run, for line breaking and for drawing) — squeezes punctuation: of two
  adjacent full-width marks the first is set half-width with the font's
  OpenType `halt` feature (clreq §3.1.6).  It also spreads a justified
  line's slack when the layout is made for drawing (`justify=True`), through
  Pango letter-spacing on the expandable characters.
* `weasyprint.layout.inline.justify_line` — shares a line's slack among its
  expandable characters: Han characters, CJK punctuation and spaces (not
  Latin letters, not the halves of —— and ……).  Pango gives a letter-spaced
  character half its spacing on each side, so a line of n expandable
  characters has n − ½ − ½ spacing units between its first and last glyph,
  and the right edge lands on the margin.

Made for WeasyPrint 70.0 only (`install` refuses any other version); the
tests in tests/test_justify.py fail if the functions it replaces change.
"""

import re
from bisect import bisect_left

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango
from weasyprint.text.fonts import font_features

from press.cjk import CJK_CLASS, FULL_WIDTH_MARKS

WEASYPRINT_VERSION = "70.0"

UNIT_MARKS = "—…"  # the halves of —— and …… never drift apart
HAN_LATIN_SPACE_WEIGHT = -0.5
INVISIBLE = "\u200b\u2060"  # break and no-break marks press puts into the text
SQUEEZE_FEATURE = "halt"

MARK_CLASS = "[" + re.escape("".join(sorted(FULL_WIDTH_MARKS))) + "]"
SQUEEZED = re.compile(f"{MARK_CLASS}(?=[{INVISIBLE}]*{MARK_CLASS})")  # run on every line: no Python loop

_original_set_text = line_break.Layout.set_text
_original_justify_line = inline.justify_line


class WeasyPrintMismatch(RuntimeError):
    """The installed WeasyPrint is not the one this adapter was made for."""


def install() -> None:
    """Patch WeasyPrint's line layout (idempotent); refuse another WeasyPrint version."""
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise WeasyPrintMismatch(
            f"press.justify was made for WeasyPrint {WEASYPRINT_VERSION}, "
            f"found {weasyprint.__version__}: re-check the adapter before changing the pin")
    line_break.Layout.set_text = set_text
    inline.justify_line = justify_line


def uninstall() -> None:
    """Give WeasyPrint its own line layout back (for tests that compare)."""
    line_break.Layout.set_text = _original_set_text
    inline.justify_line = _original_justify_line


# Characters ------------------------------------------------------------------

# Characters that may take justification space (half on each side): spaces, and CJK but the halves of
# —— and ……
EXPANDABLE_RUN = re.compile(f"(?:(?![{re.escape(UNIT_MARKS)}])[ \u00a0{CJK_CLASS}])+")
# A space with a CJK character on either side (lookbehind/lookahead: the neighbour may lie outside the run)
HAN_LATIN_SPACE = re.compile(f"(?<=[{CJK_CLASS}]) | (?=[{CJK_CLASS}])")


def char_weights(text: str) -> list[float]:
    """Per character: the share of the justification spacing it takes, half on each side.

    Han characters, CJK punctuation and spaces between words take 1; Latin
    letters take 0.  A space beside a CJK character is the Han–Latin gap of
    about ¼ em: it takes −½, which cancels the half-spacing its CJK
    neighbour gives it, so the gap stays ¼ em however loose the line.
    """
    weights = [0.0] * len(text)
    for start, end, weight in weighted_runs(text):
        weights[start:end] = [weight] * (end - start)
    return weights


def squeezed_indices(text: str) -> list[int]:
    """Indices of full-width marks followed by another (joiners between ignored): set half-width."""
    return [match.start() for match in SQUEEZED.finditer(text)]


def weighted_runs(text: str) -> list[tuple[int, int, float]]:
    """Maximal [start, end) character ranges of one non-zero weight (see char_weights), with that weight.

    Found by regular expressions, not character by character: this runs for every line laid out and
    every line drawn (15 % of a long issue's build when it was a Python loop).
    """
    runs: list[tuple[int, int, float]] = []
    gaps = [space.start() for space in HAN_LATIN_SPACE.finditer(text)]
    for run in EXPANDABLE_RUN.finditer(text):
        position, end = run.span()
        for gap in gaps[bisect_left(gaps, position):bisect_left(gaps, end)]:
            if gap > position:
                runs.append((position, gap, 1.0))
            if runs and runs[-1][1] == gap and runs[-1][2] == HAN_LATIN_SPACE_WEIGHT:
                runs[-1] = (runs[-1][0], gap + 1, HAN_LATIN_SPACE_WEIGHT)
            else:
                runs.append((gap, gap + 1, HAN_LATIN_SPACE_WEIGHT))
            position = gap + 1
        if end > position:
            runs.append((position, end, 1.0))
    return runs


# Pango layouts -----------------------------------------------------------------

def set_text(self, text, justify=False):
    """WeasyPrint's `Layout.set_text`, then squeeze and (when drawing) justification spacing."""
    previous_text, previous = getattr(self, "text", None), getattr(self, "press_squeezed", [])
    _original_set_text(self, text, justify)
    squeezed = squeezed_indices(self.text)
    if previous_text is not None and previous_text.startswith(self.text):
        # The line's own text cut from the paragraph's: a mark squeezed before its partner
        # went to the next line stays squeezed, or the line would grow past the margin.
        squeezed = sorted({*squeezed, *(index for index in previous if index < len(self.text))})
    self.press_squeezed = squeezed
    spacing = getattr(self, "press_spacing", 0) if justify else 0
    if not squeezed and not spacing:
        return
    offsets = byte_offsets(self.text)
    attributes = attribute_list(self.layout)
    if squeezed:
        features = style_features(self.style) + f"{SQUEEZE_FEATURE} 1"
        for index in squeezed:
            attribute = pango.pango_attr_font_features_new(features.encode())
            attribute.start_index, attribute.end_index = offsets[index], offsets[index + 1]
            pango.pango_attr_list_change(attributes, attribute)
    if spacing:
        runs = [(0, len(self.text), 1.0)] if getattr(self, "press_every_character", False) else weighted_runs(self.text)
        for start, end, weight in runs:
            units = round(weight * spacing * TO_UNITS / 2) * 2  # even, so Pango's halves are exact
            attribute = pango.pango_attr_letter_spacing_new(units)
            attribute.start_index, attribute.end_index = offsets[start], offsets[end]
            pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


def byte_offsets(text: str) -> list[int]:
    """UTF-8 offset of each character of `text`, plus the end."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + len(char.encode()))
    return offsets


def attribute_list(layout):
    """The layout's Pango attribute list, created when it has none."""
    attributes = pango.pango_layout_get_attributes(layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    return attributes


def style_features(style) -> str:
    """The OpenType features the style asks for, as Pango's "tag value," prefix."""
    features = font_features(
        style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
        style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
        style["font_variant_east_asian"], style["font_feature_settings"])
    return "".join(f"{tag} {value}," for tag, value in features.items())


# Lines -------------------------------------------------------------------------

def justify_line(context, line, extra_width):
    """Share `extra_width` among the line's expandable characters.

    A line with none (no Han, no mark, no space: part of a gene sequence or a URL that
    `overflow-wrap` breaks where it must) shares it among all its characters instead, as a
    publisher letter-spaces such a line; WeasyPrint would leave it short of the margin.
    """
    boxes_in_line = text_boxes(line)
    weights = [weight for box in boxes_in_line for weight in char_weights(box.text)]
    units = sum(weights) - (weights[0] + weights[-1]) / 2 if weights else 0
    every_character = units <= 0
    if every_character:
        units = len(weights) - 1
        if units <= 0 or any(char.isspace() for box in boxes_in_line for char in box.text):
            return _original_justify_line(context, line, extra_width)
    spread(context, line, extra_width / units, 0, boxes_in_line[0], boxes_in_line[-1], every_character)
    return None


def text_boxes(box) -> list[boxes.TextBox]:
    """The line's text boxes on the baseline, in drawing order (calls, sup and sub excluded)."""
    if isinstance(box, boxes.TextBox):
        return [box] if box.text else []
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)) and on_baseline(box):
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        return [text for child in children if child.is_in_normal_flow() for text in text_boxes(child)]
    return []


def on_baseline(box) -> bool:
    """False for raised or lowered inline boxes (footnote calls, sup, sub): they take no spacing."""
    return isinstance(box, boxes.LineBox) or box.style["vertical_align"] == "baseline"


def spread(context, box, spacing, x_advance, first, last, every_character=False):
    """Move and widen `box` and its descendants for `spacing` per unit; return the new x advance."""
    if isinstance(box, boxes.TextBox):
        lead, grown, trail = widen(context, box, spacing, box is first, box is last, every_character)
        x_advance += lead
        box.position_x += x_advance
        box.width += grown
        return x_advance + grown + trail
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)) and on_baseline(box):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = spread(context, child, spacing, x_advance, first, last, every_character)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def widen(context, box, spacing, is_first, is_last, every_character=False) -> tuple[float, float, float]:
    """Re-lay one text box letter-spaced; return (gap before it, growth of its glyphs, gap after it).

    Pango drops the outer half-spacing of a layout's first and last character.
    Inside a line those halves belong between this box and its neighbours, so
    they come back as gaps, except at the line's own ends.  With `every_character`
    each character takes one unit (see justify_line).
    """
    weights = [1.0] * len(box.text) if every_character else char_weights(box.text)
    if not any(weights):
        return 0.0, 0.0, 0.0
    layout = line_break.create_layout(box.text, box.style, context, max_width=None,
                                      justification_spacing=0)
    layout.press_squeezed = getattr(box.pango_layout, "press_squeezed", [])
    layout.press_every_character = every_character
    before = measured_width(layout, box.text, justify=False)
    layout.press_spacing = spacing
    after = measured_width(layout, box.text, justify=True)
    layout.deactivate()
    box.pango_layout = layout
    lead = 0.0 if is_first else weights[0] * spacing / 2
    trail = 0.0 if is_last else weights[-1] * spacing / 2
    return lead, after - before, trail


def measured_width(layout, text, justify) -> float:
    """Width of the layout's first line after setting `text` with or without justification."""
    layout.set_text(text, justify=justify)
    first_line, _ = layout.get_first_line()
    width, _ = line_break.line_size(first_line, layout.style)
    return width
