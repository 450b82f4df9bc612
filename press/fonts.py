"""The bundled fonts: which characters they cover.

Takes the fonts folder; returns the set of code points that some bundled face
can draw.  The loader uses it to report, with file:line:col, any character
that would otherwise fall back to a font outside fonts/ (or to a blank box).
"""

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_SUFFIXES = (".otf", ".ttf")
IGNORED = {"\n", "\t", "\r", " ", "\u00a0", "\u200b", "\ufeff"}


@cache
def covered_characters(fonts_dir: Path) -> frozenset[str]:
    """Every character that at least one font in `fonts_dir` has a glyph for."""
    covered: set[str] = set()
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            font = TTFont(path, lazy=True)
            covered.update(chr(point) for point in font.getBestCmap())
            font.close()
    return frozenset(covered)


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
    names = set()
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            font = TTFont(path, lazy=True)
            family = font["name"].getDebugName(1)
            if family:
                names.add(family.replace(" ", "-"))
            font.close()
    return frozenset(names)
