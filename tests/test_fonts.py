"""The bundled fonts: GBK coverage and what they cannot draw."""

import contextlib
import re
import struct

from fontTools.ttLib import TTFont

from press.fonts import (
    Coverage,
    covered_characters,
    font_faces,
    format_4,
    intersection,
    mapped_code_points,
    parse_ranges,
    table_offset,
    uncovered,
)
from tests.conftest import ROOT, article

FONTS = ROOT / "fonts"


def test_fonts_cover_every_gbk_character():
    covered = covered_characters(FONTS)
    gbk = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                gbk.add(bytes([lead, trail]).decode("gbk"))
    assert len(gbk) > 21000
    assert {char for char in gbk if char not in covered} == set()


def test_uncovered_reports_line_and_column():
    assert uncovered("甲乙\n丙𠀀丁", FONTS) == [(2, 2, "𠀀")]


def test_the_cmap_reader_agrees_with_fonttools_in_both_formats():
    for path in sorted(FONTS.glob("*.[ot]tf")):
        data = path.read_bytes()
        font = TTFont(path, lazy=True)
        assert mapped_code_points(data) == set(font.getBestCmap()), path.name
        subtables = {(table.platformID, table.platEncID): table for table in font["cmap"].tables}
        bmp = subtables[(3, 1)]
        cmap_at = table_offset(data, b"cmap")
        record = next(index for index, table in enumerate(font["cmap"].tables) if table is bmp)
        offset = struct.unpack_from(">I", data, cmap_at + 4 + 8 * record + 4)[0]
        expected = {point for point, glyph in bmp.cmap.items() if glyph != ".notdef"}
        assert {point for first, last in format_4(data, cmap_at + offset) for point in range(first, last + 1)} \
            == expected, path.name


STYLE = (ROOT / "styles" / "default" / "style.css").read_text(encoding="utf-8")


def test_coverage_is_what_the_style_s_faces_draw_within_their_unicode_ranges():
    everything = covered_characters(FONTS)
    styled = covered_characters(FONTS, STYLE)
    assert "Ά" in everything and "Ά" not in styled  # only Kai has it, and the style gives Kai no Greek
    assert all(char in styled for char in "Łř中αA")
    assert uncovered("CO₂ 与 10⁻⁶，Ά", FONTS, STYLE) == [(1, 12, "Ά")]  # scripts count as their plain forms


def test_unicode_ranges_are_read_with_single_points_and_wildcards():
    assert parse_ranges("U+4E00-9FFF, U+3005, u+4??") == [(0x4E00, 0x9FFF), (0x3005, 0x3005), (0x400, 0x4FF)]


def test_the_kai_and_italic_faces_spaces_are_as_wide_as_the_song_face_s():
    def space(name):
        font = TTFont(FONTS / name, lazy=True)
        cmap = font.getBestCmap()
        return {font["hmtx"][cmap[point]][0] / font["head"].unitsPerEm for point in (0x20, 0xA0)}

    assert space("PressKai-Regular.ttf") == space("PressSong-Regular.otf") == space("PressSerif-Italic.otf") == {0.256}


def test_no_face_claims_a_character_of_the_style_that_its_file_lacks():
    # WeasyPrint gives fontconfig the unicode-range as the face's coverage: a character in the range
    # but not in the file is drawn from that face all the same, as a blank .notdef box.
    covered = {ord(char) for char in covered_characters(FONTS, STYLE)}
    for name, ranges in font_faces(STYLE):
        if ranges:
            claimed = {point for low, high in ranges for point in range(low, high + 1)}
            lacking = (claimed - mapped_code_points((FONTS / name).read_bytes())) & covered
            assert not lacking, (name, sorted(f"U+{point:04X}" for point in lacking)[:10])


def test_the_italic_face_adds_no_character_the_upright_faces_lack():
    # Upright text never reaches the italic: a character only it had would pass the loader and print
    # in italics outside `*…*`, or as a box.
    without_italic = re.sub(r"@font-face\s*\{[^}]*PressSerif[^}]*\}", "", STYLE)
    assert "PressSerif" in STYLE and "PressSerif-Italic" not in without_italic
    assert covered_characters(FONTS, STYLE) == covered_characters(FONTS, without_italic)


def test_the_italic_stands_as_tall_as_the_song_face_s_latin_and_draws_every_character_it_has():
    from PIL import ImageFont

    italic, song = TTFont(FONTS / "PressSerif-Italic.otf"), TTFont(FONTS / "PressSong-Regular.otf")
    assert italic["OS/2"].sCapHeight == song["OS/2"].sCapHeight
    assert abs(italic["OS/2"].sxHeight - song["OS/2"].sxHeight) < 5
    assert (italic["hhea"].ascent, italic["hhea"].descent) == (song["hhea"].ascent, song["hhea"].descent)
    drawn = ImageFont.truetype(str(FONTS / "PressSerif-Italic.otf"), 40)  # by FreeType, as viewers draw it
    blank = [char for char in map(chr, italic.getBestCmap()) if char.isprintable() and not char.isspace()
             and drawn.getmask(char).getbbox() is None]
    assert italic.getBestCmap().keys() >= {ord(char) for char in "AZaz09Łřé–"} and not blank


ITALICS = """
::: 编者按
编者按中 *Science* 和 *纳米* 在此。
:::

正文中 *Science* 和 *纳米* 在此。

# 标题中 *Science* 和 *纳米*

**加粗中 *Science* 和 *纳米* 在此**，然后是正文。
"""


def test_latin_in_italics_comes_from_the_italic_face_and_han_stays_upright_in_the_face_around(make_issue, tmp_path):
    import pdfplumber

    from press.build import build

    path = build(make_issue({"a.md": article("斜体", ITALICS)}), tmp_path / "italics.pdf").path
    with pdfplumber.open(path) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text_lines(return_chars=True)]
    face_around = {"编者按：编者按中": "PressKai", "正文中": "PressSong",  # line start → face of the text around
                   "标题中": "PressHei-Bold", "加粗中": "PressHei-Bold"}
    for start, han_face in face_around.items():
        [line] = [line for line in lines if line["text"].startswith(start)]
        latin = [char for char in line["chars"] if char["text"] in "Science"]
        han = [char for char in line["chars"] if char["text"] in "纳米"]
        assert "".join(char["text"] for char in latin) == "Science" and len(han) == 2, line["text"]
        for char in latin:
            family, *style = char["fontname"].split("+")[1].split("-")
            assert (family, style[-1:]) == ("PressSerif", ["Italic"]), (start, char["fontname"])
        for char in han:
            assert char["fontname"].split("+")[1] == han_face, (start, char["fontname"])
            assert char["matrix"][1:3] == (0, 0), (start, char["matrix"])  # no synthetic slant


def test_coverage_answers_at_the_edges_of_its_ranges_as_a_set_would():
    coverage = Coverage([(0x61, 0x63), (0x4E00, 0x4E01), (0x64, 0x64), (0x4E03, 0x4E03)])
    assert coverage.ranges == [(0x61, 0x64), (0x4E00, 0x4E01), (0x4E03, 0x4E03)]  # adjacent ranges merge
    members = {"a", "b", "c", "d", "一", "丁", "七"}
    for point in range(0x5F, 0x4E05):
        assert (chr(point) in coverage) == (chr(point) in members), hex(point)
    assert set(coverage) == members and len(coverage) == len(members)
    assert "`" not in Coverage([])


def test_unicode_ranges_cut_a_face_s_coverage_without_listing_its_characters():
    assert intersection([(0x20, 0x7E), (0x4E00, 0x9FFF)], [(0x41, 0x5A), (0x9F00, 0xA000)]) == [
        (0x41, 0x5A), (0x9F00, 0x9FFF)]
