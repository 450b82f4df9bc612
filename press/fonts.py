"""The bundled fonts: which characters they cover.

Takes the fonts folder and the style's stylesheet; returns the characters
some face of the style can draw (a `Coverage`: ranges of code points, read
from the cmap tables' own ranges and intersected with the rules' ranges,
never expanded into a set): for each `@font-face` whose source is a `font:`
file, that file's characters within the rule's `unicode-range`.  The loader uses it to report, with file:line:col, any
character that would otherwise print as a blank box.
"""

import re
import struct
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from press.cjk import script_form
from press.sources import open_source, read_source

FONT_SUFFIXES = (".otf", ".ttf")
IGNORED = {"\n", "\t", "\r", " ", "\u00a0"}  # and every invisible() character


def default_fonts_dir() -> Path:
    """fonts/ in the working folder, else the one that comes with press (beside its package)."""
    here = Path("fonts")
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "fonts"


FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)
FONT_SOURCE = re.compile(r"""url\(\s*["']?font:([^"')]+)""", re.I)
UNICODE_RANGE = re.compile(r"unicode-range\s*:\s*([^;}]+)", re.I)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


Ranges = list[tuple[int, int]]  # (first, last) code points, both included


class Coverage:
    """A set of characters held as sorted, disjoint ranges of code points; `char in coverage` bisects."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        merged: Ranges = []
        for first, last in sorted(ranges):
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        self.ranges = merged
        self.firsts = [first for first, _ in merged]

    def __contains__(self, char: str) -> bool:
        point = ord(char)
        index = bisect_right(self.firsts, point) - 1
        return index >= 0 and point <= self.ranges[index][1]

    def __iter__(self) -> Iterator[str]:
        for first, last in self.ranges:
            yield from map(chr, range(first, last + 1))

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    def __eq__(self, other) -> bool:
        return isinstance(other, Coverage) and self.ranges == other.ranges

    __hash__ = None


@cache
def covered_characters(fonts_dir: Path, stylesheet: str = "") -> Coverage:
    """Every character a face of the stylesheet draws (see the module's docstring).

    Without a `font:` face in the stylesheet, every font file in `fonts_dir`, whole.
    """
    faces = font_faces(stylesheet)
    if not faces:
        faces = [(path.name, None) for path in font_files(fonts_dir)]
    covered: Ranges = []
    for name, ranges in faces:
        try:
            mapped = code_point_ranges(read_source(fonts_dir / name))
        except OSError:  # missing or unreadable: the loader and the sandbox say so
            continue
        covered += mapped if ranges is None else intersection(mapped, ranges)
    return Coverage(covered)


def intersection(ranges: Ranges, within: Ranges) -> Ranges:
    """The parts of `ranges` that lie in `within` (a rule's few unicode-range values)."""
    return [(max(first, low), min(last, high)) for first, last in ranges for low, high in within
            if max(first, low) <= min(last, high)]


def font_faces(stylesheet: str) -> list[tuple[str, list[tuple[int, int]] | None]]:
    """(font file name, unicode ranges or None for all) of each `@font-face` with a `font:` source."""
    faces = []
    for rule in FONT_FACE.finditer(CSS_COMMENT.sub("", stylesheet)):
        source = FONT_SOURCE.search(rule.group(1))
        if source:
            unicode_range = UNICODE_RANGE.search(rule.group(1))
            faces.append((source.group(1).strip(), unicode_range and parse_ranges(unicode_range.group(1))))
    return faces


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """CSS unicode-range values: U+4E00-9FFF, U+3005, U+4?? ."""
    ranges = []
    for part in text.split(","):
        value = part.strip().upper().removeprefix("U+")
        low, _, high = value.partition("-")
        try:
            ranges.append((int(low.replace("?", "0"), 16), int((high or low).replace("?", "F"), 16)))
        except ValueError:
            continue
    return ranges


def mapped_code_points(font: bytes) -> set[int]:
    """The code points an OpenType font's Unicode cmap maps to a glyph other than .notdef."""
    return {point for first, last in code_point_ranges(font) for point in range(first, last + 1)}


def code_point_ranges(font: bytes) -> Ranges:
    """The ranges of code points an OpenType font's Unicode cmap maps to a glyph other than .notdef.

    Reads the cmap table directly (formats 12 and 4), 20 times faster than
    decompiling it with fontTools, which matters on every cold build.
    """
    cmap = table_offset(font, b"cmap")
    if cmap is None:
        return []
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
    return []


def tables_past_end(font: bytes) -> list[str]:
    """The tags of the tables an sfnt file's directory places past its end (a copy cut short)."""
    count = struct.unpack_from(">H", font, 4)[0]
    tags = []
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        if offset + length > len(font):
            tags.append(tag.decode("latin-1").strip())
    return tags


def table_offset(font: bytes, tag: bytes) -> int | None:
    """Where a table starts in an sfnt file, or None."""
    count = struct.unpack_from(">H", font, 4)[0]
    for index in range(count):
        name, _, offset, _ = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        if name == tag:
            return offset
    return None


def format_12(font: bytes, start: int) -> Ranges:
    """Segmented coverage: groups of (first, last, first glyph)."""
    groups = struct.unpack_from(">I", font, start + 12)[0]
    return [(first + (glyph == 0), last)
            for first, last, glyph in struct.iter_unpack(">III", font[start + 16: start + 16 + 12 * groups])
            if first + (glyph == 0) <= last]


def format_4(font: bytes, start: int) -> Ranges:
    """Segment mapping to delta values (the BMP-only cmap)."""
    segments = struct.unpack_from(">H", font, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", font, start + 14)
    starts = struct.unpack_from(f">{segments}H", font, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", font, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", font, range_at)
    ranges: Ranges = []
    for index, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, offsets, strict=True)):
        last = min(last, 0xFFFE)
        if not offset:  # glyph = point + delta: one point at most maps to glyph 0
            ranges += [(low, high) for low, high in without_point((first, last), -delta & 0xFFFF) if low <= high]
            continue
        for point in range(first, last + 1):
            glyph = struct.unpack_from(">H", font, range_at + 2 * index + offset + 2 * (point - first))[0]
            if glyph and (glyph + delta) & 0xFFFF:
                ranges.append((point, point))
    return ranges


def without_point(bounds: tuple[int, int], point: int) -> Ranges:
    """The range `bounds` with `point` taken out (one or two ranges)."""
    first, last = bounds
    if not first <= point <= last:
        return [bounds]
    return [(first, point - 1), (point + 1, last)]


def invisible(char: str) -> bool:
    """A format character or variation selector pasted with the text (U+200E, U+200D, U+FE0F …):
    WeasyPrint draws nothing for it, so it needs no glyph."""
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F


def uncovered(text: str, fonts_dir: Path, stylesheet: str = "") -> list[tuple[int, int, str]]:
    """(line, column, character) for each character no face of the style can draw.

    A superscript or subscript character counts as its plain form, which is what
    is set (press.cjk sets 10⁻⁶ as 10<sup>−6</sup>).
    """
    covered = covered_characters(fonts_dir, stylesheet)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for column, char in enumerate(line, start=1):
            if char in covered or char in IGNORED or invisible(char):
                continue
            plain = script_form(char)
            if not (plain and plain[1] in covered):
                found.append((number, column, char))
    return found


@cache
def family_names(fonts_dir: Path) -> frozenset[str]:
    """The family names (name ID 1, spaces as hyphens) of the fonts in `fonts_dir`.

    WeasyPrint names an embedded font after its Pango description, e.g.
    `ABCDEF+PressHei-Bold`: the family, then style words.
    """
    from fontTools.ttLib import TTFont, TTLibError

    names = set()
    for path in font_files(fonts_dir):
        try:
            with open_source(path) as stream:
                font = TTFont(stream, lazy=True)
                family = font["name"].getDebugName(1)
                font.close()
        except (OSError, TTLibError, KeyError, struct.error):  # unreadable, or no font: it draws nothing
            continue
        if family:
            names.add(family.replace(" ", "-"))
    return frozenset(names)


def font_identity(content: bytes) -> tuple[int, bytes | int]:
    """What tells one font file from another: length and table directory (with every table's checksum).

    A file that is not a single sfnt (a collection, say) is told by a CRC-32 of all its bytes.
    """
    if content[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true") and len(content) >= 12:
        tables = struct.unpack_from(">H", content, 4)[0]
        return len(content), content[: 12 + 16 * tables]
    return len(content), zlib.crc32(content)


def font_files(fonts_dir: Path) -> list[Path]:
    """The font files in a folder, by name (none if it is no folder)."""
    try:
        return [path for path in sorted(fonts_dir.iterdir()) if path.suffix.lower() in FONT_SUFFIXES]
    except OSError:
        return []
