"""The bundled fonts: GBK coverage and what they cannot draw."""

import contextlib

from press.fonts import covered_characters, uncovered
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
