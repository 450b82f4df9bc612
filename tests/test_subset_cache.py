"""Font subsets reused between builds of one process: same bytes, never a stale subset."""

import zlib

from pypdf import PdfReader

from press import subset_cache
from press.build import build
from tests.conftest import ROOT, article


def test_a_rebuild_reuses_subsets_and_new_characters_make_new_ones(make_issue, tmp_path, monkeypatch):
    made = []
    original = subset_cache._original_subset
    monkeypatch.setattr(subset_cache, "_original_subset",
                        lambda font, *arguments: made.append(font.family) or original(font, *arguments))
    subset_cache._subsets.clear()
    folder = make_issue({"01-a.md": article("甲文", "甲乙丙丁。")})
    first = build(folder, tmp_path / "first.pdf").path.read_bytes()
    assert made, "the first build subsets its fonts"

    made.clear()
    again = build(folder, tmp_path / "again.pdf").path.read_bytes()
    assert made == []
    assert again == first

    (folder / "01-a.md").write_text(article("甲文", "甲乙丙丁戊。"), encoding="utf-8")
    edited = build(folder, tmp_path / "edited.pdf").path
    assert made == ["PressSong"]  # only the body face gained a glyph
    assert "戊" in "".join(page.extract_text() for page in PdfReader(edited).pages)


def test_fonts_are_told_apart_by_their_table_directories():
    song = (ROOT / "fonts/PressSong-Regular.otf").read_bytes()
    hei = (ROOT / "fonts/PressHei-Bold.otf").read_bytes()
    assert subset_cache.identity(song) != subset_cache.identity(hei)
    changed = bytearray(song)
    changed[20] ^= 1  # inside the table directory: one table's checksum
    assert subset_cache.identity(bytes(changed)) != subset_cache.identity(song)
    assert subset_cache.identity(b"ttcf" + song[4:]) == (len(song), zlib.crc32(b"ttcf" + song[4:]))
