"""The bundled fonts: GBK coverage and what they cannot draw."""

import contextlib
import struct

from fontTools.ttLib import TTFont

from press.fonts import covered_characters, format_4, mapped_code_points, parse_ranges, table_offset, uncovered
from tests.conftest import ROOT

FONTS = ROOT / "fonts"


def test_fonts_cover_every_gbk_character():
    covered = covered_characters(FONTS)
    gbk = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                gbk.add(bytes([lead, trail]).decode("gbk"))
    assert len(gbk) > 21000
    assert gbk - covered == set()


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
        assert format_4(data, cmap_at + offset) == expected, path.name


STYLE = (ROOT / "styles" / "default" / "style.css").read_text(encoding="utf-8")


def test_coverage_is_what_the_style_s_faces_draw_within_their_unicode_ranges():
    everything = covered_characters(FONTS)
    styled = covered_characters(FONTS, STYLE)
    assert "Ά" in everything and "Ά" not in styled  # only Kai has it, and the style gives Kai no Greek
    assert {"Ł", "ř", "中", "α", "A"} <= styled
    assert uncovered("CO₂ 与 10⁻⁶，Ά", FONTS, STYLE) == [(1, 12, "Ά")]  # scripts count as their plain forms


def test_unicode_ranges_are_read_with_single_points_and_wildcards():
    assert parse_ranges("U+4E00-9FFF, U+3005, u+4??") == [(0x4E00, 0x9FFF), (0x3005, 0x3005), (0x400, 0x4FF)]


def test_the_kai_face_s_space_is_as_wide_as_the_song_face_s():
    def space(name):
        font = TTFont(FONTS / name, lazy=True)
        cmap = font.getBestCmap()
        return {font["hmtx"][cmap[point]][0] / font["head"].unitsPerEm for point in (0x20, 0xA0)}

    assert space("PressKai-Regular.ttf") == space("PressSong-Regular.otf") == {0.256}
