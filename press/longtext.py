"""Long runs of text in WeasyPrint 70.0: each line is broken in a window, so layout time grows linearly.

A paragraph's text without tags is one WeasyPrint `TextBox`.  For each line,
WeasyPrint 70 encodes the box's whole text to UTF-8 three times and decodes
what is left of it (`skip_first_whitespace`, `split_inline_level`,
`split_text_box`); when the next few lines hold no break opportunity (a gene
sequence, a run of `*`) it also hands all that is left to Pango, twice.  Each
line then costs time in proportion to the rest of the paragraph, so a 1 MB
paragraph took 24 s and a 5 MB one 498 s.

This adapter, installed once by `install()`, changes those two functions of
`weasyprint.layout.inline` for text boxes longer than `LONG_TEXT` characters
only: it lays the line out from a window of the text that starts where the
line starts (WeasyPrint's own code, given a shorter box), and keeps the
result when the line breaks in the window's first half; otherwise it tries
again with a window twice as long, up to the whole text.  The window holds
at least twice the text WeasyPrint itself gives Pango first (`split_first_line`
lays out four em-lines of text, "short_text", to find a line's break), so a
line is broken from the same text as without the adapter.  Where each line
starts, in characters, is remembered per box, so no line encodes the text
before it.  Shorter boxes (every paragraph of an ordinary issue) go to
WeasyPrint untouched.

Made for WeasyPrint 70.0 only; tests/test_longtext.py fails if the functions
it wraps change.
"""

import weakref
from bisect import bisect_right, insort
from dataclasses import dataclass, field
from math import isfinite

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

LONG_TEXT = 2000  # characters: longer text boxes are broken in a window
WINDOW_EM_LINES = 8  # the window holds this many lines of em-wide characters, twice WeasyPrint's short text
MIN_WINDOW = 256  # characters, for narrow lines and small type

_original_skip_first_whitespace = inline.skip_first_whitespace
_original_split_inline_level = inline.split_inline_level


def install() -> None:
    """Break long text boxes in windows (idempotent)."""
    inline.skip_first_whitespace = skip_first_whitespace
    inline.split_inline_level = split_inline_level


def uninstall() -> None:
    """Give WeasyPrint its own line splitting back (for tests that compare)."""
    inline.skip_first_whitespace = _original_skip_first_whitespace
    inline.split_inline_level = _original_split_inline_level


# Where lines start -------------------------------------------------------------

@dataclass
class Starts:
    """For one text: the character index of each UTF-8 offset where a line was found to start."""

    text: str
    chars: dict[int, int] = field(default_factory=lambda: {0: 0})
    known: list[int] = field(default_factory=lambda: [0])  # the offsets of `chars`, sorted
    size: int | None = None  # the text's length in UTF-8 bytes, once asked for

    def add(self, offset: int, index: int) -> None:
        if offset not in self.chars:
            self.chars[offset] = index
            insort(self.known, offset)

    def index(self, offset: int) -> int:
        """The character index of a UTF-8 offset, counted on from the nearest known one before it."""
        if offset not in self.chars:
            before = self.known[bisect_right(self.known, offset) - 1]
            start = self.chars[before]
            self.add(offset, start + utf8_chars(self.text, start, offset - before))
        return self.chars[offset]

    def byte_size(self) -> int:
        if self.size is None:
            self.size = len(self.text.encode())
        return self.size


_starts: "weakref.WeakKeyDictionary[boxes.TextBox, Starts]" = weakref.WeakKeyDictionary()


def starts_of(box: boxes.TextBox) -> Starts:
    """The line starts known for this box's current text."""
    starts = _starts.get(box)
    if starts is None or starts.text is not box.text:
        starts = _starts[box] = Starts(box.text)
    return starts


def utf8_chars(text: str, start: int, size: int) -> int:
    """How many characters of `text` from `start` make `size` UTF-8 bytes (reading no more than needed)."""
    count = 0
    while size > 0:
        piece = text[start + count:start + count + max(size // 4, 1)]  # at most `size` bytes
        size -= len(piece.encode())
        count += len(piece)
    return count


def is_long(box) -> bool:
    return isinstance(box, boxes.TextBox) and len(box.text) > LONG_TEXT


def skip_of(skip_stack) -> int:
    """The UTF-8 offset a text box's skip stack resumes at."""
    if skip_stack is None:
        return 0
    (skip, _), = skip_stack.items()
    return skip or 0


# WeasyPrint's functions, for long text boxes -----------------------------------

def skip_first_whitespace(box, skip_stack):
    """WeasyPrint's `skip_first_whitespace`, without encoding a long text box for each line."""
    if not is_long(box):
        return _original_skip_first_whitespace(box, skip_stack)
    starts, offset = starts_of(box), skip_of(skip_stack)
    if offset == starts.byte_size():
        return "continue"
    if box.style["white_space"] in ("normal", "nowrap", "pre-line"):
        index = starts.index(offset)
        spaces = leading_spaces(box.text, index)
        starts.add(offset + spaces, index + spaces)
        offset += spaces
    return {offset: None} if offset else None


def leading_spaces(text: str, index: int) -> int:
    """How many spaces stand in `text` from `index` on (read a window at a time)."""
    count = 0
    while True:
        window = text[index + count:index + count + MIN_WINDOW]
        spaces = len(window) - len(window.lstrip(" "))
        count += spaces
        if spaces < MIN_WINDOW:
            return count


def split_inline_level(context, box, position_x, max_x, bottom_space, skip_stack, *rest):
    """WeasyPrint's `split_inline_level`; a long text box is split in a window of its text."""
    first_line_style = rest[-1]  # it may transform the text (text-transform): left to WeasyPrint
    if not is_long(box) or first_line_style:
        return _original_split_inline_level(context, box, position_x, max_x, bottom_space, skip_stack, *rest)
    starts, offset = starts_of(box), skip_of(skip_stack)
    start = starts.index(offset)
    size = window_size(box.style["font_size"], max_x - position_x)
    while start < len(box.text):
        window = box.text[start:start + size]
        result = _original_split_inline_level(
            context, box.copy_with_text(window), position_x, max_x, bottom_space, None, *rest)
        resume = skip_of(result[1]) if result[1] else None
        if start + size >= len(box.text) or (resume is not None and resume <= len(window[:size // 2].encode())):
            return in_whole_text(box, starts, offset, start, window, result)
        size *= 2
    return _original_split_inline_level(context, box, position_x, max_x, bottom_space, skip_stack, *rest)


def window_size(font_size: float, width: float) -> int:
    """Characters in the first window: `WINDOW_EM_LINES` lines of em-wide characters, at least `MIN_WINDOW`."""
    if not font_size or not isfinite(width):
        return MIN_WINDOW
    return max(int(max(width, 0) / font_size * WINDOW_EM_LINES), MIN_WINDOW)


def in_whole_text(box, starts: Starts, offset: int, start: int, window: str, result: tuple) -> tuple:
    """A window's result in the whole box's terms: the resume offset, and the first letter of the box."""
    new_box, resume_at, preserved_line_break, _, last_letter, float_widths = result
    if resume_at is not None:
        resume = skip_of(resume_at)
        starts.add(offset + resume, start + len(window.encode()[:resume].decode()))
        resume_at = {offset + resume: None}
    return new_box, resume_at, preserved_line_break, box.text[0], last_letter, float_widths
