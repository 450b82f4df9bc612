"""The bundled fonts: GBK coverage and what they cannot draw."""

import contextlib
import struct

from fontTools.ttLib import TTFont

from press.fonts import covered_characters, format_4, mapped_code_points, table_offset, uncovered
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
