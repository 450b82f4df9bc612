"""Pages drawn once and replayed while they stay the same (`press watch`).

Takes the laid-out pages of successive builds of one issue; gives WeasyPrint's
PDF writer, for a page object it has drawn before, that page's drawing again
instead of drawing the page anew, so a rebuild after an edit draws only the
pages the edit changed.  `press watch` keeps the pages of the sections an edit
did not touch (press.sections): the same page objects come back.

Drawing a page has effects beyond its content stream, on state the whole PDF
shares, and a replay must have them exactly as a new drawing would for the PDF
to stay byte-identical:

* the fonts, in the order of their first use (`Stream.add_font`);
* each font's glyph widths and Unicode texts, first writer wins, in order: a
  page records every glyph it looked up, with the value it wrote or "found
  there"; a replay writes what is missing, and is refused when a glyph it only
  found is missing now (the page that gave it changed): the page is drawn anew;
* the alpha states (`/a1 gs`), written when missing, in order;
* the groups (form XObjects) it draws into, such as the footnote rule's SVG
  background: made again with the same content, and only under the same
  names (`/x3 Do`); when an edit before the page changed the number of groups,
  the page is drawn anew.

Anything else a page asks of the shared state (a pattern, an image, a
shading, a group inside a group, marked content) makes it a page that is
always drawn anew.  Outside `replaying()` WeasyPrint draws as it always does.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pydyf
from weasyprint.document import Page
from weasyprint.pdf.fonts import Font
from weasyprint.pdf.stream import Stream

FOUND = object()  # a glyph the page looked up and found, whose value it never wrote
SHARED_STATE = ("add_image", "add_pattern", "add_shading", "set_state", "set_alpha_state", "set_blend_mode",
                "begin_marked_content")


@dataclass
class Drawing:
    """One page's drawing: its content, fonts, glyphs and alpha states, in the order it used them."""

    page: Page  # kept, so its Pango fonts stay alive
    operations: list
    fonts: list = field(default_factory=list)  # Pango fonts, in order of first use
    glyphs: list = field(default_factory=list)  # (font key, "widths" | "to_unicode", glyph id, value or FOUND)
    alphas: list = field(default_factory=list)  # (ExtGState key, alpha)
    groups: list = field(default_factory=list)  # GroupDrawing, in order


@dataclass
class GroupDrawing:
    """A group a page drew into: how it was made, its name, content, dictionary entries and alpha states."""

    bounds: tuple
    ident: str
    operations: list
    extra: dict
    states: dict


@dataclass
class PageDrawings:
    """The drawings of the pages of the last write; `drawn` and `replayed` count the last write's pages."""

    kept: dict[int, Drawing] = field(default_factory=dict)
    drawn: int = 0
    replayed: int = 0


class Recorder:
    """What the page being drawn uses of the shared state."""

    def __init__(self, resources):
        self.resources = resources  # the page's own resources (a group has its own)
        self.groups: list = []  # (bounds, group)
        self.fonts: list = []
        self.touched: dict[tuple[int, int], object] = {}  # (id of a font's dict, glyph) → value or FOUND
        self.owners: dict[int, tuple[str, str]] = {}  # id of a font's dict → (font key, dict name)
        self.alphas: list = []
        self.shared = False


_recorder: Recorder | None = None


class GlyphTable(dict):
    """A font's widths or to_unicode that tells the recorder each glyph the page looks up or writes."""

    def __contains__(self, glyph) -> bool:
        found = dict.__contains__(self, glyph)
        if _recorder is not None:
            _recorder.touched.setdefault((id(self), glyph), FOUND if found else None)
        return found

    def __setitem__(self, glyph, value) -> None:
        if _recorder is not None and _recorder.touched.get((id(self), glyph)) in (None, FOUND):
            _recorder.touched[(id(self), glyph)] = value
        dict.__setitem__(self, glyph, value)


@contextmanager
def replaying(drawings: PageDrawings) -> Iterator[None]:
    """While WeasyPrint writes a PDF, replay the kept drawings of unchanged pages and keep the new ones."""
    originals = {name: getattr(Stream, name) for name in ("add_font", "set_alpha", "add_group", *SHARED_STATE)}
    original_paint, original_unused = Page.paint, Font.get_unused_glyph_id
    kept, drawings.kept = drawings.kept, {}
    drawings.drawn = drawings.replayed = 0

    def add_font(stream, pango_font):
        font, size = originals["add_font"](stream, pango_font)
        if not isinstance(font.widths, GlyphTable):
            font.widths, font.to_unicode = GlyphTable(font.widths), GlyphTable(font.to_unicode)
        if _recorder is not None:
            if pango_font not in _recorder.fonts:
                _recorder.fonts.append(pango_font)
            key = font.hash
            _recorder.owners[id(font.widths)] = (key, "widths")
            _recorder.owners[id(font.to_unicode)] = (key, "to_unicode")
        return font, size

    def set_alpha(stream, alpha, stroke=False, fill=None):
        originals["set_alpha"](stream, alpha, stroke, fill)
        if _recorder is not None and stream._resources is _recorder.resources:  # a group's are kept with it
            keys = ([f"A{alpha}"] if stroke else []) + ([f"a{alpha}"] if (not stroke if fill is None else fill) else [])
            _recorder.alphas += [(key, alpha) for key in keys]

    def add_group(stream, *bounds):
        group = originals["add_group"](stream, *bounds)
        if _recorder is not None:
            if stream._resources is _recorder.resources:
                _recorder.groups.append((bounds, group))
            else:
                _recorder.shared = True  # a group inside a group
        return group

    def shared(name):
        def marked(stream, *arguments, **options):
            if _recorder is not None:
                _recorder.shared = True
            return originals[name](stream, *arguments, **options)
        return marked

    def unused_glyph(font, codepoint):
        if _recorder is not None:
            _recorder.shared = True
        return original_unused(font, codepoint)

    def paint(page, stream, scale=1):
        drawing = kept.get(id(page))
        if drawing is not None and drawing.page is page and replay(drawing, stream):
            drawings.kept[id(page)] = drawing
            drawings.replayed += 1
            return
        drawings.drawn += 1
        recorded = record(page, stream, scale, original_paint)
        if recorded is not None:
            drawings.kept[id(page)] = recorded

    Stream.add_font, Stream.set_alpha, Stream.add_group = add_font, set_alpha, add_group
    for name in SHARED_STATE:
        setattr(Stream, name, shared(name))
    Page.paint, Font.get_unused_glyph_id = paint, unused_glyph
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(Stream, name, function)
        Page.paint, Font.get_unused_glyph_id = original_paint, original_unused


def record(page: Page, stream: Stream, scale: float, paint) -> Drawing | None:
    """Draw the page, noting what it used; its Drawing, or None if it cannot be replayed."""
    global _recorder
    _recorder = recorder = Recorder(stream._resources)
    start = len(stream.stream)
    try:
        paint(page, stream, scale)
    finally:
        _recorder = None
    groups = [group_drawing(bounds, group) for bounds, group in recorder.groups]
    if recorder.shared or stream._tags is not None or None in recorder.touched.values() or None in groups:
        return None
    glyphs = [(*recorder.owners[table], glyph, value) for (table, glyph), value in recorder.touched.items()]
    return Drawing(page, stream.stream[start:], recorder.fonts, glyphs, recorder.alphas, groups)


def group_drawing(bounds: tuple, group: Stream) -> GroupDrawing | None:
    """What replaying a group needs; None if it holds more than alpha states (a group, pattern, image)."""
    resources = group._resources
    if any(resources[name] for name in ("XObject", "Pattern", "Shading")) or any(
            not (isinstance(value, dict) and set(value) <= {"ca", "CA"}) for value in resources["ExtGState"].values()):
        return None
    extra = {key: value for key, value in group.extra.items() if key != "Resources"}
    return GroupDrawing(bounds, group.id, list(group.stream), extra, dict(resources["ExtGState"]))


def replay(drawing: Drawing, stream: Stream) -> bool:
    """Give `stream` the drawing's content and shared effects; False (nothing done) if they would differ."""
    fonts = {}
    for pango_font in drawing.fonts:
        font, _ = stream.add_font(pango_font)
        fonts[font.hash] = font
    tables = {(key, name): getattr(font, name) for key, font in fonts.items() for name in ("widths", "to_unicode")}
    if any(value is FOUND and not dict.__contains__(tables[key, name], glyph)
           for key, name, glyph, value in drawing.glyphs):
        return False  # the page that wrote a glyph it only found has changed: draw it anew
    groups = len(stream._resources["XObject"])
    if [group.ident for group in drawing.groups] != [f"x{groups + index}" for index in range(len(drawing.groups))]:
        return False  # a page before it made more or fewer groups: its content would name the wrong ones
    for key, name, glyph, value in drawing.glyphs:
        if not dict.__contains__(tables[key, name], glyph):
            dict.__setitem__(tables[key, name], glyph, value)
    states = stream._resources["ExtGState"]
    for key, alpha in drawing.alphas:
        if key not in states:  # as Stream.set_alpha writes it
            states[key] = pydyf.Dictionary({"CA" if key.startswith("A") else "ca": alpha})
    for recorded in drawing.groups:
        group = stream.add_group(*recorded.bounds)
        group.stream.extend(recorded.operations)
        group.extra.update(recorded.extra)
        group._resources["ExtGState"].update(
            {key: pydyf.Dictionary(dict(value)) for key, value in recorded.states.items()})
    stream.stream.extend(drawing.operations)
    return True
