"""Packed CFF fonts: small, and every CID the pages draw finds the glyph it was drawn with."""

import io

from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from press import cffpack, pdf
from press.build import build
from press.check import check_pdf
from tests.conftest import ROOT, SAMPLE

SOURCES = {"PressSong": "PressSong-Regular.otf", "PressHei-Bold": "PressHei-Bold.otf",
           "PressSerif-Italic": "PressSerif-Italic.otf"}


def embedded_cff_fonts(path):
    """(base font name without tag, CIDs drawn, FontFile3 stream) of every CFF-based font."""
    found = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cidfont = font["/DescendantFonts"][0].get_object()
            if cidfont["/Subtype"] == "/CIDFontType0":
                cids = cffpack.cids_in_widths(cidfont["/W"])
                program = cidfont["/FontDescriptor"].get_object()["/FontFile3"].get_object()
                found[str(font["/BaseFont"]).split("+")[1]] = (cids, program)
    return found


def outline(glyph_set, name):
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.value


def test_every_drawn_cid_leads_to_the_glyph_of_the_source_font(sample_build):
    fonts = embedded_cff_fonts(sample_build.path)
    assert set(fonts) >= set(SOURCES)
    for family, file_name in SOURCES.items():
        cids, program = fonts[family]
        assert program["/Subtype"] == "/CIDFontType0C"
        packed = CFFFontSet()
        packed.decompile(io.BytesIO(program.get_data()), None)
        top = packed.topDictIndex[0]
        packed_glyphs = top.CharStrings
        by_cid = {0 if name == ".notdef" else int(name[3:]): name for name in top.charset}
        source = TTFont(ROOT / "fonts" / file_name)
        source_glyphs = source.getGlyphSet()
        order = source.getGlyphOrder()
        assert cids <= set(by_cid)
        for cid in sorted(cids)[::7]:  # WeasyPrint drew glyph index `cid` of the source font
            assert outline(packed_glyphs, by_cid[cid]) == outline(source_glyphs, order[cid]), (family, cid)


def test_packing_shrinks_the_sample_under_450_kb_and_keeps_the_text(sample_build, sample_reading):
    assert sample_build.path.stat().st_size < 450 * 1024
    assert all(font.unreachable == 0 for font in sample_reading.fonts)
    assert "美发布《国家微电子研究战略》" in sample_reading.pages[2].text


def test_without_packing_the_fonts_check_names_the_unreachable_glyphs(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "pack_cff_fonts", lambda document: None)
    cffpack._packed.clear()
    report = check_pdf(build(SAMPLE, tmp_path / "unpacked.pdf").path, SAMPLE)
    failed = {check.id: check.failures for check in report.checks if not check.passed}
    assert set(failed) == {"fonts"}
    messages = sorted(failure["message"] for failure in failed["fonts"])
    assert len(messages) == 2
    assert all("cannot find through the font's CFF charset" in message for message in messages)
    assert "PressHei-Bold" in messages[0] and "PressSong" in messages[1]
