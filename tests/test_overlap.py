"""Text over text: the pairs found are those of the plain search, in work near-linear in the glyphs; a glyph is
looked for where its ink is (an English quote's whole box, a full-width mark's half)."""

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st

from press.build import build
from press.check import check_pdf
from press.overlap import OTHER_LINE_OVERLAP, Glyph, ink_box, overlapping
from tests.conftest import ROOT, calls_made


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


@pytest.mark.parametrize("face", ["PressSongQuotes-Regular.otf", "PressHeiQuotes-Bold.otf"])
@pytest.mark.parametrize("mark", "‘’“”")
def test_an_english_quote_is_looked_for_over_all_its_ink(face, mark):
    """A proportional quote's box (its advance, as the PDF reader gives it) is its ink's: a ’'s head stands right
    of its middle, so half the box would sample little more than its thin tail."""
    font = TTFont(ROOT / "fonts" / face)
    name = font.getBestCmap()[ord(mark)]
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    scale = 10.5 / font["head"].unitsPerEm
    left, _, right, _ = pen.bounds
    glyph = Glyph(mark, 100.0, 0.0, 100.0 + font["hmtx"][name][0] * scale, 10.5, 10.5)
    seen = ink_box(glyph)
    assert seen.x0 <= 100.0 + left * scale and 100.0 + right * scale <= seen.x1


def test_a_full_width_mark_is_looked_for_in_its_inked_half():
    assert ink_box(Glyph("”", 100.0, 0.0, 110.5, 10.5, 10.5)) == Glyph("”", 100.0, 0.0, 105.25, 10.5, 10.5)
    assert ink_box(Glyph("“", 100.0, 0.0, 110.5, 10.5, 10.5)) == Glyph("“", 105.25, 0.0, 110.5, 10.5, 10.5)


STEEL = """\
---
title: "Steel safeguard: quotas cut by 15% as overcapacity bites"
section: Trade
highlight: true
byline: Piotr Nowak
---

The EU's steel safeguard, first imposed in 2018 in response to US tariffs, expires under WTO rules in June 2026. \
Until then, the Commission has reduced the tariff-rate quotas by 15% and capped the share any single country may \
take of the 'other countries' quota at 15%[^1].

Global steel overcapacity reached 551 million tonnes in 2024, according to the OECD, roughly four times the EU's \
annual output of 130 million tonnes.

Figure 1 shows that imports fell from 29.8 Mt in 2021 to 25.1 Mt in 2024, while the quota fill rate for \
hot-rolled coil stayed above 95% for eleven of twelve quarters. The industry's association, EUROFER, calls for a \
'permanent instrument' after 2026; importers' groups object that it would be a safeguard *sine die*.

[^1]: Commission Implementing Regulation (EU) 2025/145 of 29 January 2025.
"""
REPRO_SETTINGS = """\
slug: repro
title: Repro Digest
title_en: REPRO DIGEST
publisher: Repro Centre
language: en-GB
page_size: A5
sections: [Trade, Energy]
styles_dir: {root}/styles
fonts_dir: {root}/fonts
"""


def test_an_english_closing_quote_that_shows_passes_overlap(make_issue, tmp_path):
    """A tester's issue: the ’ of “instrument’” (page 1) fell where its box's left half, rendered at 100 dpi,
    held only its faint tail, and the check called it unseen."""
    make_issue.settings.write_text(REPRO_SETTINGS.format(root=ROOT), encoding="utf-8")
    folder = make_issue({"03-steel-safeguard.md": STEEL}, name="2025-01")
    report = check_pdf(build(folder, tmp_path / "steel.pdf").path, folder, only=["overlap"])
    [overlap] = report.checks
    assert overlap.passed, overlap.failures
