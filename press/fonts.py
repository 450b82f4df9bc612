"""The bundled fonts: which characters they cover.

Takes the fonts folder; returns the set of code points that some bundled face
can draw.  The loader uses it to report, with file:line:col, any character
that would otherwise fall back to a font outside fonts/ (or to a blank box).
"""

import struct
from functools import cache
from pathlib import Path

FONT_SUFFIXES = (".otf", ".ttf")
IGNORED = {"\n", "\t", "\r", " ", "\u00a0", "\u200b", "\ufeff"}


def default_fonts_dir() -> Path:
    """fonts/ in the working folder, else the one that comes with press (beside its package)."""
    here = Path("fonts")
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "fonts"


@cache
def covered_characters(fonts_dir: Path) -> frozenset[str]:
    """Every character that at least one font in `fonts_dir` has a glyph for."""
    covered: set[str] = set()
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            covered.update(map(chr, mapped_code_points(path.read_bytes())))
    return frozenset(covered)


def mapped_code_points(font: bytes) -> set[int]:
    """The code points an OpenType font's Unicode cmap maps to a glyph other than .notdef.

    Reads the cmap table directly (formats 12 and 4), 20 times faster than
    decompiling it with fontTools, which matters on every cold build.
    """
    cmap = table_offset(font, b"cmap")
    if cmap is None:
        return set()
    count = struct.unpack_from(">H", font, cmap + 2)[0]
    subtables = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", font, cmap + 4 + 8 * index)
        subtables[(platform, encoding)] = cmap + offset
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            start = subtables[key]
            form = struct.unpack_from(">H", font, start)[0]
            if form == 12:
                return format_12(font, start)
            if form == 4:
                return format_4(font, start)
    return set()


def table_offset(font: bytes, tag: bytes) -> int | None:
    """Where a table starts in an sfnt file, or None."""
    count = struct.unpack_from(">H", font, 4)[0]
    for index in range(count):
        name, _, offset, _ = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        if name == tag:
            return offset
    return None


def format_12(font: bytes, start: int) -> set[int]:
    """Segmented coverage: groups of (first, last, first glyph)."""
    groups = struct.unpack_from(">I", font, start + 12)[0]
    points: set[int] = set()
    for first, last, glyph in struct.iter_unpack(">III", font[start + 16: start + 16 + 12 * groups]):
        points.update(range(first + (glyph == 0), last + 1))
    return points


def format_4(font: bytes, start: int) -> set[int]:
    """Segment mapping to delta values (the BMP-only cmap)."""
    segments = struct.unpack_from(">H", font, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", font, start + 14)
    starts = struct.unpack_from(f">{segments}H", font, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", font, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", font, range_at)
    points: set[int] = set()
    for index, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, offsets, strict=True)):
        for point in range(first, min(last, 0xFFFE) + 1):
            if offset:
                where = range_at + 2 * index + offset + 2 * (point - first)
                glyph = struct.unpack_from(">H", font, where)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            else:
                glyph = (point + delta) & 0xFFFF
            if glyph:
                points.add(point)
    return points


def uncovered(text: str, fonts_dir: Path) -> list[tuple[int, int, str]]:
    """(line, column, character) for each character no bundled font can draw."""
    covered = covered_characters(fonts_dir)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for column, char in enumerate(line, start=1):
            if char not in covered and char not in IGNORED:
                found.append((number, column, char))
    return found


@cache
def family_names(fonts_dir: Path) -> frozenset[str]:
    """The family names (name ID 1, spaces as hyphens) of the fonts in `fonts_dir`.

    WeasyPrint names an embedded font after its Pango description, e.g.
    `ABCDEF+PressHei-Bold`: the family, then style words.
    """
    from fontTools.ttLib import TTFont

    names = set()
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            font = TTFont(path, lazy=True)
            family = font["name"].getDebugName(1)
            if family:
                names.add(family.replace(" ", "-"))
            font.close()
    return frozenset(names)
