"""Text over text: the pairs found are those of the plain search, in work near-linear in the glyphs."""

from hypothesis import given, settings
from hypothesis import strategies as st

from press.overlap import OTHER_LINE_OVERLAP, Glyph, overlapping
from tests.conftest import calls_made


def plain_covering(line: list[Glyph], other: list[Glyph]) -> list[tuple[Glyph, Glyph]]:
    """The search as press first wrote it: each glyph of `other` against `line` from its start."""
    found = []
    for glyph in other:
        for under in line:
            if under.x0 >= glyph.x1:
                break
            width = min(glyph.x1, under.x1) - max(glyph.x0, under.x0)
            height = min(glyph.bottom, under.bottom) - max(glyph.top, under.top)
            smaller = min(glyph.area, under.area)
            if width > 0 and height > 0 and smaller > 0 and width * height > OTHER_LINE_OVERLAP * smaller:
                found.append((glyph, under))
                break
    return found


def plain_between(glyphs: list[Glyph]) -> list[tuple[Glyph, Glyph]]:
    """The pairs of glyphs of different lines that overlapping() finds, by the plain search."""
    baselines: dict = {}
    for glyph in glyphs:
        baselines.setdefault(line_of(glyph), []).append(glyph)
    lines = sorted(baselines.values(), key=lambda line: min(glyph.top for glyph in line))
    found = []
    for index, line in enumerate(lines):
        line.sort(key=lambda glyph: glyph.x0)
        bottom = max(glyph.bottom for glyph in line)
        for other in lines[index + 1:]:
            if min(glyph.top for glyph in other) >= bottom:
                break
            found += plain_covering(line, sorted(other, key=lambda glyph: glyph.x0))
    return found


def line_of(glyph: Glyph) -> tuple[float, float]:
    return round(glyph.bottom, 0), round(glyph.size, 0)


def box(x0: float, top: float, width: float, size: float) -> Glyph:
    return Glyph("字", x0, top, x0 + width, top + size, size)


boxes = st.lists(st.builds(box, st.integers(0, 60).map(float), st.integers(0, 40).map(float),
                           st.sampled_from([0.0, 2.0, 5.0, 10.0, 30.0]), st.sampled_from([5.0, 10.0, 12.0])),
                 max_size=30)


@settings(max_examples=300, deadline=None)
@given(boxes)
def test_the_pairs_between_lines_are_those_of_the_plain_search(glyphs):
    assert [pair for pair in overlapping(glyphs) if line_of(pair[0]) != line_of(pair[1])] == plain_between(glyphs)


def two_long_lines(count: int) -> list[Glyph]:
    """Two lines of `count` glyphs, the second 8 pt lower: their boxes touch, none covers another."""
    return [box(10.0 * n, top, 10.0, 10.0) for top in (0.0, 8.0) for n in range(count)]


def test_doubling_two_long_lines_no_more_than_doubles_the_work():
    small, large = (calls_made(lambda count=count: overlapping(two_long_lines(count))) for count in (500, 1000))
    assert overlapping(two_long_lines(10)) == []
    assert large < 2.3 * small, (small, large)  # the plain search: 4 times the work
