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
  Latin letters, not the halves of —— and ……), the spaces between Latin
  words first (see spacing_for).  Pango gives a letter-spaced character half
  its spacing on each side, so a line of n expandable characters has
  n − ½ − ½ spacing units between its first and last glyph, and the right
  edge lands on the margin.
* `weasyprint.layout.inline.split_first_line` (as the inline layout calls it) —
  pushes in (追入): a justified line that would end with half an em or more to
  spare takes the next characters in when setting up to three of its
  full-width marks half-width makes them fit (clreq §3.8: punctuation gives
  way before the Han characters are spaced out).  A closing mark that may not
  start the next line, or a paragraph's bound last characters, then end this
  line instead of leaving it a character short.
* `weasyprint.layout.inline.remove_last_whitespace` — keeps a pushed-in line's marks
  half-width when it measures the line again without its trailing spaces (on a new layout,
  where they were full-width again and the line as long as before the push-in).
* `pyphen` as `weasyprint.text.line_break` sees it — a Chinese, Japanese or
  Korean text hyphenates its Latin words by English patterns (Pyphen has
  none for those languages, so a long Latin word that does not fit would go
  whole to the next line and leave its line loose).  Han text has no
  hyphenation points in those patterns: it is not touched.

Made for WeasyPrint 70.0 only (`install` refuses any other version); the
tests in tests/test_justify.py fail if the functions it replaces change.
"""

import re

import pyphen
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango
from weasyprint.text.fonts import font_features

from press.cjk import CJK_CLASS, FULL_WIDTH_MARKS

WEASYPRINT_VERSION = "70.0"

UNIT_MARKS = "—…·"  # the halves of —— and …… never drift apart; nor · from its neighbours (mA·cm, 让-保罗·萨特)
# Bounds of a line's slack, in ems of the line's size (clreq §3.2.2, §3.8; TYPOGRAPHY.md):
WORD_STRETCH = 0.16  # a space between Latin words grows first, by up to this
GAP_STRETCH = 0.05  # the Han–Latin gap (¼ em) grows with it, up to ⅓ em less a margin
HAN_STRETCH = 0.14  # then every Han character and space alike; past this only the spaces take more
INVISIBLE = "\u200b\u2060"  # break and no-break marks press puts into the text
SQUEEZE_FEATURE = "halt"

MARK_CLASS = "[" + re.escape("".join(sorted(FULL_WIDTH_MARKS))) + "]"
SQUEEZED = re.compile(f"{MARK_CLASS}(?=[{INVISIBLE}]*{MARK_CLASS})")  # run on every line: no Python loop

LATIN_PATTERNS = "en"  # Pyphen's patterns for the Latin words of CJK text
CJK_LANGUAGES = ("zh", "ja", "ko")

PUSH_IN_ALLOWANCES = (0.5, 1.0, 1.5)  # ems of punctuation a line may give up to take more text in

_original_set_text = line_break.Layout.set_text
_original_split_first_line = inline.split_first_line
_original_justify_line = inline.justify_line
_original_remove_last_whitespace = inline.remove_last_whitespace
_carried: list[int] = []  # the marks a line's last text set half-width, while remove_last_whitespace lays it out again


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
    inline.split_first_line = split_first_line
    inline.remove_last_whitespace = remove_last_whitespace
    line_break.pyphen = LatinHyphenation


def uninstall() -> None:
    """Give WeasyPrint its own line layout back (for tests that compare)."""
    line_break.Layout.set_text = _original_set_text
    inline.justify_line = _original_justify_line
    inline.split_first_line = _original_split_first_line
    inline.remove_last_whitespace = _original_remove_last_whitespace
    line_break.pyphen = pyphen


class LatinHyphenation:
    """The `pyphen` module as WeasyPrint's line breaking uses it, but a CJK language falls back to English."""

    Pyphen = pyphen.Pyphen

    @staticmethod
    def language_fallback(language: str) -> str | None:
        """Pyphen's dictionary for `language`; LATIN_PATTERNS for a CJK language (zh-Hans, zh-Hant …)."""
        found = pyphen.language_fallback(language)
        if found is None and language.lower().startswith(CJK_LANGUAGES):
            return pyphen.language_fallback(LATIN_PATTERNS)
        return found


# Characters ------------------------------------------------------------------

HAN, GAP, WORD, ALL = "han", "gap", "word", "all"  # what a character is, for the share of a line's slack it takes
# CJK characters but the halves of —— and ……: the inter-character space
CJK_RUN = re.compile(f"(?:(?![{re.escape(UNIT_MARKS)}])[{CJK_CLASS}])+")
# The same in Latin text (an English issue): its quotes and apostrophes are Latin marks, set at Latin width
# (style.css) and given no inter-character space, as a Latin letter
LATIN_QUOTES = "‘’“”"
LATIN_CJK_RUN = re.compile(f"(?:(?![{re.escape(UNIT_MARKS + LATIN_QUOTES)}])[{CJK_CLASS}])+")
# A space with a CJK character on either side (lookbehind/lookahead: the neighbour may lie outside the run)
HAN_LATIN_SPACE = re.compile(f"(?<=[{CJK_CLASS}])[ \u00a0]|[ \u00a0](?=[{INVISIBLE}]*[{CJK_CLASS}])")
# The same in Latin text: a space beside ‘ ’ “ ” is a word space (an “AI system”), not the Han–Latin gap
LATIN_CJK = f"(?![{re.escape(LATIN_QUOTES)}])[{CJK_CLASS}]"
LATIN_HAN_LATIN_SPACE = re.compile(f"(?<=[{CJK_CLASS}])(?<![{re.escape(LATIN_QUOTES)}])[ \u00a0]"
                                   f"|[ \u00a0](?=[{INVISIBLE}]*{LATIN_CJK})")
SPACE = re.compile("[ \u00a0]+")


def char_kinds(text: str, latin: bool = False) -> list[str | None]:
    """Per character: HAN (CJK but the halves of —— and ……), GAP (a space beside CJK: the Han–Latin
    gap), WORD (a space between Latin words) or None (Latin letters, digits, the rest: no spacing).
    In `latin` text (a language not CJK, see is_latin_text) ‘ ’ “ ” are Latin marks: None, and a space
    beside one is a WORD space."""
    kinds: list[str | None] = [None] * len(text)
    for start, end, kind in kind_runs(text, latin):
        kinds[start:end] = [kind] * (end - start)
    return kinds


def kind_runs(text: str, latin: bool = False) -> list[tuple[int, int, str]]:
    """Maximal [start, end) character ranges of one kind (see char_kinds), in order.

    Found by regular expressions, not character by character: this runs for every line laid out and
    every line drawn (15 % of a long issue's build when it was a Python loop).
    """
    runs = [(run.start(), run.end(), HAN) for run in (LATIN_CJK_RUN if latin else CJK_RUN).finditer(text)]
    gaps = {space.start() for space in (LATIN_HAN_LATIN_SPACE if latin else HAN_LATIN_SPACE).finditer(text)}
    for spaces in SPACE.finditer(text):
        for position in range(*spaces.span()):
            kind = GAP if position in gaps else WORD
            if runs and runs[-1][1] == position and runs[-1][2] == kind:
                runs[-1] = (runs[-1][0], position + 1, kind)
            else:
                runs.append((position, position + 1, kind))
    return sorted(runs)


def is_latin_text(style) -> bool:
    """Is this text in a language set in Latin letters (an `en` issue), not CJK? Without a language: CJK."""
    language = str(style["lang"] or "").lower()
    return bool(language) and not language.startswith(CJK_LANGUAGES)


def squeezed_indices(text: str) -> list[int]:
    """Indices of full-width marks followed by another (joiners between ignored): set half-width."""
    return [match.start() for match in SQUEEZED.finditer(text)]


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
    elif previous_text is None and _carried:  # the line's last text without its trailing spaces: the same start
        squeezed = sorted({*squeezed, *(index for index in _carried if index < len(self.text))})
    self.press_squeezed = squeezed
    spacing = getattr(self, "press_spacing", None) if justify else None
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
        runs = [(0, len(self.text), ALL)] if ALL in spacing else kind_runs(self.text, is_latin_text(self.style))
        for start, end, kind in runs:
            units = round(spacing.get(kind, 0) * TO_UNITS / 2) * 2  # even, so Pango's halves are exact
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


# Line breaking -------------------------------------------------------------------

def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
    """WeasyPrint's `split_first_line`, then a push-in when the justified line it gives ends half an em short or more.

    Returns WeasyPrint's `(layout, length, resume_index, width, height, baseline)`: the original, or the
    longer line laid out with up to max(PUSH_IN_ALLOWANCES) ems more room and that much taken back by
    setting full-width marks half-width (`halt`), when that fits in `max_width`.
    """
    result = _original_split_first_line(text, style, context, max_width, justification_spacing,
                                         is_line_start, minimum)
    if not may_push_in(text, result, style, max_width, minimum):
        return result
    em = style["font_size"]
    for allowance in PUSH_IN_ALLOWANCES:
        wider = _original_split_first_line(text, style, context, max_width + allowance * em,
                                           justification_spacing, is_line_start, minimum)
        if wider[1] > result[1] and (fitted := pushed_in(wider, style, max_width)) is not None:
            return fitted
    return result


def may_push_in(text: str, result, style, max_width, minimum) -> bool:
    """Is this a justified line that breaks with half an em or more to spare, in a `text` with full-width marks
    to push in (CJK text, or CJK text quoted in an issue of another language)?"""
    _, _, resume_index, width, _, _ = result
    return (resume_index is not None and not minimum and max_width is not None and max_width != float("inf")
            and style["text_align_all"] == "justify" and bool(style["font_size"])
            and max_width - width >= PUSH_IN_ALLOWANCES[0] * style["font_size"]
            and any(char in pushable_marks(style) for char in text))


def pushable_marks(style) -> str:
    """The marks a push-in may set half-width: the full-width marks, but ‘ ’ “ ” in Latin text (is_latin_text),
    where they are Latin marks already."""
    if is_latin_text(style):
        return "".join(mark for mark in FULL_WIDTH_MARKS if mark not in LATIN_QUOTES)
    return FULL_WIDTH_MARKS


def pushed_in(result, style, max_width: float):
    """The line of `result` with enough of its full-width marks set half-width to fit `max_width`, or None.

    Marks already half-width are left; the others are taken from the line's end backwards (a
    closing mark at the end first: it may hang half-width, clreq §3.1.6).
    """
    layout, length, resume_index, width, height, baseline = result
    text, em = layout.text, style["font_size"]
    squeezed = set(getattr(layout, "press_squeezed", []))
    pushable = pushable_marks(style)
    marks = [index for index in range(len(text) - 1, -1, -1) if text[index] in pushable and index not in squeezed]
    needed = int(-(-(width - max_width) // (em / 2)))  # half-ems to take back, rounded up
    if needed > len(marks) or needed > len(PUSH_IN_ALLOWANCES):
        return None
    layout.press_squeezed = sorted(squeezed | set(marks[:needed]))
    layout.reactivate(style)  # WeasyPrint hands the layout over deactivated
    width = measured_width(layout, text, justify=False)
    layout.deactivate()
    if width > max_width:
        return None
    return layout, length, resume_index, width, height, baseline


def remove_last_whitespace(context, line):
    """WeasyPrint's `remove_last_whitespace`, keeping the marks of the line's last text set half-width.

    WeasyPrint lays that text out again without its trailing spaces, on a new layout, to learn how much
    narrower the line gets; without the marks a push-in squeezed, the line came out as long as before the
    push-in (a line ending in a space before a Latin word, 2023 年以来，…仅在 *Nature*, overflowed by 5 pt).
    """
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
    layout = getattr(box, "pango_layout", None) if isinstance(box, boxes.TextBox) else None
    _carried[:] = getattr(layout, "press_squeezed", [])
    try:
        return _original_remove_last_whitespace(context, line)
    finally:
        _carried.clear()


# Lines -------------------------------------------------------------------------

def justify_line(context, line, extra_width):
    """Share `extra_width` among the line's spaces and CJK characters (see spacing_for).

    A line with none (no Han, no mark, no space: part of a gene sequence or a URL that
    `overflow-wrap` breaks where it must) shares it among all its characters instead, as a
    publisher letter-spaces such a line; WeasyPrint would leave it short of the margin.
    """
    boxes_in_line = text_boxes(line)
    kinds = [kind for box in boxes_in_line for kind in char_kinds(box.text, is_latin_text(box.style))]
    if not kinds:
        return _original_justify_line(context, line, extra_width)
    spacing = spacing_for(kinds, extra_width, line.style["font_size"])
    if spacing is None:
        if len(kinds) <= 1 or any(char.isspace() for box in boxes_in_line for char in box.text):
            return _original_justify_line(context, line, extra_width)
        spacing = {ALL: extra_width / (len(kinds) - 1)}
    spread(context, line, spacing, 0, boxes_in_line[0], boxes_in_line[-1])
    return None


def spacing_for(kinds: list[str | None], extra: float, em: float) -> dict[str, float] | None:
    """The letter-spacing of each kind of character that widens a line by `extra`; None if none can take it.

    Slack goes first to the spaces between Latin words (up to WORD_STRETCH) and the Han–Latin gaps
    (up to GAP_STRETCH) alike; then to every CJK character and word space alike, up to HAN_STRETCH;
    what is left, to the spaces alone.  A character takes its spacing half on each side, and the
    line's first and last characters lose their outer half; a gap's own spacing cancels the half
    its CJK neighbour gives it, so the gap widens by its share only.
    """
    counts = {kind: kinds.count(kind) - (kinds[0] == kind) / 2 - (kinds[-1] == kind) / 2 for kind in (HAN, GAP, WORD)}
    han_units = counts[HAN] - counts[GAP] / 2 + counts[WORD]  # what one unit of inter-character space adds
    first = counts[WORD] * WORD_STRETCH * em + counts[GAP] * GAP_STRETCH * em
    if first <= 0 and han_units <= 0:
        return None
    if first > 0 and extra <= first:
        share = extra / first
        return {WORD: share * WORD_STRETCH * em, GAP: share * GAP_STRETCH * em, HAN: 0.0}
    rest, han = extra - first, 0.0
    if han_units > 0:
        han = rest / han_units
        if han <= HAN_STRETCH * em or first <= 0:
            return spacing(han, WORD_STRETCH * em + han, GAP_STRETCH * em)
        han = HAN_STRETCH * em
        rest -= han * han_units
    if counts[WORD] > 0:
        return spacing(han, WORD_STRETCH * em + han + rest / counts[WORD], GAP_STRETCH * em)
    return spacing(han, WORD_STRETCH * em + han, GAP_STRETCH * em + rest / counts[GAP])


def spacing(han: float, word: float, gap: float) -> dict[str, float]:
    """Letter-spacing per kind for these added widths: a gap's own spacing cancels its CJK neighbour's half."""
    return {HAN: han, WORD: word, GAP: gap - han / 2}


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


def spread(context, box, spacing, x_advance, first, last):
    """Move and widen `box` and its descendants for `spacing` (per kind); return the new x advance."""
    if isinstance(box, boxes.TextBox):
        lead, grown, trail = widen(context, box, spacing, box is first, box is last)
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
                x_advance = spread(context, child, spacing, x_advance, first, last)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def widen(context, box, spacing, is_first, is_last) -> tuple[float, float, float]:
    """Re-lay one text box letter-spaced; return (gap before it, growth of its glyphs, gap after it).

    Pango drops the outer half-spacing of a layout's first and last character.
    Inside a line those halves belong between this box and its neighbours, so
    they come back as gaps, except at the line's own ends.  With spacing for ALL
    every character takes it (see justify_line).
    """
    kinds = [ALL] * len(box.text) if ALL in spacing else char_kinds(box.text, is_latin_text(box.style))
    if not any(spacing.get(kind, 0) for kind in kinds):
        return 0.0, 0.0, 0.0
    layout = line_break.create_layout(box.text, box.style, context, max_width=None,
                                      justification_spacing=0)
    layout.press_squeezed = getattr(box.pango_layout, "press_squeezed", [])
    before = measured_width(layout, box.text, justify=False)
    layout.press_spacing = spacing
    after = measured_width(layout, box.text, justify=True)
    layout.deactivate()
    box.pango_layout = layout
    lead = 0.0 if is_first else spacing.get(kinds[0], 0) / 2
    trail = 0.0 if is_last else spacing.get(kinds[-1], 0) / 2
    return lead, after - before, trail


def measured_width(layout, text, justify) -> float:
    """Width of the layout's first line after setting `text` with or without justification."""
    layout.set_text(text, justify=justify)
    first_line, _ = layout.get_first_line()
    width, _ = line_break.line_size(first_line, layout.style)
    return width
