"""Structural checks: the sample passes; each broken variant fails with the right identifier and page.

Variants are real PDFs: the sample's PDF edited with pypdf (a contents number,
a font program, page labels, metadata), the sample built with a changed style
(a bookmark, footnote numbers, a section heading), WeasyPrint's own footnote
misplacement, or the sample's source changed after the build.
"""

import re
import shutil
from dataclasses import replace
from types import SimpleNamespace

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from press import layout, load
from press.build import build
from press.check import RULE_IDS, check_pdf
from press.errors import LayoutError
from press.expected import letters
from press.pdffonts import to_unicode
from press.pdfread import contents_entries, read_pdf
from tests.conftest import ROOT, SAMPLE, IssueMaker, article, misplaced_build, with_editor_note


def failing(report) -> dict[str, list[dict]]:
    """Failed check id → its failures."""
    return {check.id: check.failures for check in report.checks if not check.passed}


def edited(source, target, change):
    """A copy of the PDF at `source`, changed by `change(writer)`, written to `target`."""
    writer = PdfWriter(clone_from=str(source))
    change(writer)
    with open(target, "wb") as stream:
        writer.write(stream)
    return target


def sample_copy(make_issue, extra_settings: str = "", css: str = ""):
    make_issue.use_sample_settings(extra_settings, css)
    return make_issue.copy_sample()


@pytest.fixture(scope="module")
def sample_pdf(sample_build):
    return sample_build.path


def test_the_sample_passes_every_check_against_its_source(sample_pdf):
    report = check_pdf(sample_pdf, SAMPLE)
    assert [check.id for check in report.checks] == list(RULE_IDS)
    assert failing(report) == {}
    assert report.not_run == []


def test_without_the_source_the_pdf_alone_passes_and_source_checks_are_named_not_run(sample_pdf):
    report = check_pdf(sample_pdf)
    assert failing(report) == {}
    assert {item["id"] for item in report.not_run} == {"article-order", "section-headings", "footnote-count",
                                                      "text", "figures", "table-wrap"}


# Broken PDFs --------------------------------------------------------------------------------

def replace_glyph(writer: PdfWriter, page_index: int, old: str, new: str) -> int:
    """Draw `new` wherever `old` is drawn on one page (both glyphs must be in its fonts)."""
    page = writer.pages[page_index]
    codes = {}
    for font in page["/Resources"]["/Font"].values():
        for code, text in to_unicode(font.get_object()).items():
            codes.setdefault(text, f"{code:04x}")
    data = page.get_contents().get_data()
    count = 0

    def swap(match):
        nonlocal count
        hexes = match.group(1).decode()
        groups = [hexes[i:i + 4] for i in range(0, len(hexes), 4)]
        count += groups.count(codes[old])
        return b"<" + "".join(codes[new] if g == codes[old] else g for g in groups).encode() + b">"

    page.replace_contents(_stream(re.sub(rb"<([0-9a-f]+)>", swap, data)))
    return count


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def test_a_contents_number_off_by_one_fails_toc_page(sample_pdf, tmp_path):
    def change(writer):
        assert replace_glyph(writer, 1, "7", "8") == 1  # 人工智能、汽车和工业市场… is on page 7

    report = check_pdf(edited(sample_pdf, tmp_path / "toc.pdf", change), SAMPLE)
    assert set(failing(report)) == {"toc-page"}
    [failure] = failing(report)["toc-page"]
    assert failure["page"] == "目录"
    assert "the contents say page 8, the title stands on page 7" in failure["message"]
    assert failure["file"].endswith("07-chip-demand-rebound.md") and failure["line"] == 2


def test_an_unembedded_font_fails_fonts(sample_pdf, tmp_path):
    def change(writer):
        for font in writer.pages[0]["/Resources"]["/Font"].values():
            font = font.get_object()
            if "PressHei" in font["/BaseFont"]:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    descriptor.pop(NameObject(key), None)

    report = check_pdf(edited(sample_pdf, tmp_path / "font.pdf", change), SAMPLE)
    assert set(failing(report)) == {"fonts", "overlap"}  # a viewer without the font draws nothing of that text
    assert re.fullmatch(r"[A-Z]{6}\+PressHei-Bold: not embedded", failing(report)["fonts"][0]["message"])
    assert "cannot be seen" in failing(report)["overlap"][0]["message"]


def test_page_labels_that_differ_from_the_printed_numbers_fail(sample_pdf, tmp_path):
    def change(writer):
        labels = writer._root_object["/PageLabels"]["/Nums"]
        labels[-1][NameObject("/St")] = type(labels[-1]["/St"])(2)  # the body counts from 2

    report = check_pdf(edited(sample_pdf, tmp_path / "labels.pdf", change), SAMPLE)
    assert set(failing(report)) == {"page-labels"}
    first = failing(report)["page-labels"][0]
    assert first["page"] == "2" and "labelled “2” but page 1 is printed on it" in first["message"]


def test_missing_metadata_fails_metadata(sample_pdf, tmp_path):
    def change(writer):
        writer.add_metadata({"/Title": "新材料监测快报 2024年第3期", "/Author": ""})

    report = check_pdf(edited(sample_pdf, tmp_path / "info.pdf", change), SAMPLE)
    assert set(failing(report)) == {"metadata"}
    messages = [failure["message"] for failure in failing(report)["metadata"]]
    assert "no author in the document information" in messages
    assert any("expected “新材料监测快报 2024年第4期”" in message for message in messages)


def test_a_footnote_weasyprint_moved_to_the_next_page_fails_footnote_same_page(make_issue, tmp_path):
    issue, note, pdf = misplaced_build(make_issue, tmp_path / "raw.pdf")
    call_page = next(page for page in read_pdf(pdf).pages if note.number in page.calls)
    failures = failing(check_pdf(pdf, issue=issue))["footnote-same-page"]
    assert failures[0]["page"] == call_page.label
    assert failures[0]["message"] == (f"footnote {note.number}: called on page {call_page.label}, its text "
                                      f"stands on page {int(call_page.label) + 1}")
    assert failures[0]["line"] == note.line


# Broken styles -----------------------------------------------------------------------------

def test_a_missing_bookmark_fails_bookmarks(make_issue, tmp_path):
    folder = sample_copy(make_issue, css="#article-03-doc-intel-chips .article-title { bookmark-level: none; }")
    report = check_pdf(build(folder, tmp_path / "marks.pdf").path, folder)
    assert set(failing(report)) == {"bookmarks"}
    [failure] = failing(report)["bookmarks"]
    assert failure["page"] == "4"
    assert failure["message"] == "no bookmark for the article “美 DOC 斥资 85 亿美元加强半导体供应链”"
    assert failure["file"].endswith("03-doc-intel-chips.md")


def test_a_gap_in_footnote_numbers_fails_footnote_numbering(make_issue, tmp_path, sample_pdf):
    folder = sample_copy(make_issue, css="#fn-3 { counter-increment: footnote 2; }")
    report = check_pdf(build(folder, tmp_path / "numbers.pdf").path, folder)
    page_of_3 = next(page.label for page in read_pdf(sample_pdf).pages if 3 in page.calls)
    failures = failing(report)["footnote-numbering"]
    assert failures[0]["page"] == page_of_3
    assert failures[0]["message"].startswith("footnote calls jump from 2 to")
    assert "footnote-same-page" not in failing(report)


def test_a_hidden_section_heading_fails_section_headings(make_issue, tmp_path):
    folder = sample_copy(make_issue, css="#section-4 .section-title { display: none; }")
    report = check_pdf(build(folder, tmp_path / "section.pdf").path, folder)
    [failure] = failing(report)["section-headings"]
    assert failure["message"] == "the heading of section “行业观察” is not in the body"
    assert failure["page"] == "6"
    assert failure["file"].endswith("06-pet-recycling-report.md")


def test_a_character_no_font_has_fails_missing_glyphs(make_issue, tmp_path, monkeypatch):
    monkeypatch.setattr(load, "check_characters", lambda *args: None)
    folder = make_issue({"a.md": article("缺字", "这里有一个没有字形的字符：\ue000。\n")})
    report = check_pdf(build(folder, tmp_path / "notdef.pdf").path, folder)
    assert set(failing(report)) == {"missing-glyphs"}  # the rest of the text is still read
    [failure] = failing(report)["missing-glyphs"]
    assert failure["page"] == "1" and "U+E000" in failure["message"]


# The source changed after the build ----------------------------------------------------------

def test_a_paragraph_deleted_from_the_source_after_the_build_fails_text(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    path = folder / "03-doc-intel-chips.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[12].startswith("建造两个新的前沿逻辑晶圆厂")
    path.write_text("".join(lines[:12] + lines[14:]), encoding="utf-8")
    report = check_pdf(sample_pdf, folder)
    assert set(failing(report)) == {"text"}
    [failure] = failing(report)["text"]
    assert failure["page"] == "4"
    assert "not in the source" in failure["message"] and "建造两个新的前沿逻辑晶圆厂" in failure["message"]
    assert failure["file"].endswith("03-doc-intel-chips.md")


def test_a_paragraph_added_to_the_source_is_missing_from_the_pdf(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    path = folder / "12-2d-materials.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段文字，排版之后才写进来。\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("新增的一段文字，排版之后才写进来。") + 1
    report = check_pdf(sample_pdf, folder)
    assert set(failing(report)) == {"text"}
    [failure] = failing(report)["text"]
    assert failure["message"].startswith("not in the PDF") and failure["line"] == line


def test_a_doubled_paragraph_is_named_doubled(make_issue, tmp_path):
    folder = sample_copy(make_issue)
    path = folder / "10-single-atom-control.md"
    original = path.read_text(encoding="utf-8")
    paragraph = next(block for block in original.split("\n\n") if block.startswith("研究人员使用"))
    path.write_text(original.replace(paragraph, paragraph + "\n\n" + paragraph), encoding="utf-8")
    pdf = build(folder, tmp_path / "doubled.pdf").path
    path.write_text(original, encoding="utf-8")
    report = check_pdf(pdf, folder)
    assert set(failing(report)) == {"text"}
    assert "doubled" in failing(report)["text"][0]["message"]


def test_articles_reordered_after_the_build_fail_article_order(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    issue_yaml = folder / "issue.yaml"
    text = issue_yaml.read_text(encoding="utf-8")
    issue_yaml.write_text(text.replace("  - 03-doc-intel-chips.md\n  - 04-ukrpif-research-centres.md\n",
                                       "  - 04-ukrpif-research-centres.md\n  - 03-doc-intel-chips.md\n"),
                          encoding="utf-8")
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"article-order", "text"}
    assert failures["article-order"][0]["page"] == "4"
    assert "“美 DOC 斥资 85 亿美元加强半导体供应链” stands before" in failures["article-order"][0]["message"]


def test_a_footnote_added_to_the_source_fails_footnote_count(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    path = folder / "12-2d-materials.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n补充说明[^late]。\n\n[^late]: 排版后新增的脚注。\n",
                    encoding="utf-8")
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"footnote-count", "text"}
    assert failures["footnote-count"][0]["message"].startswith("the PDF has 12 footnote calls, the source 13")


def test_a_new_highlight_missing_from_the_cover_fails_front_matter(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    path = folder / "12-2d-materials.md"
    path.write_text(path.read_text(encoding="utf-8").replace("section: 研究进展\n",
                                                             "section: 研究进展\nhighlight: true\n", 1),
                    encoding="utf-8")
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"front-matter", "metadata"}  # the PDF's subject lists the highlights too
    assert failures["front-matter"][0]["page"] == "封面"
    assert failures["metadata"][0]["message"].startswith("subject is")


# Settings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("settings", ["page_size: A5\ncheck:\n  max_size: 100 KB\n",
                                      "check:\n  max_size: 100 KB\n  page_size: A5\n"])  # where it was set before
def test_the_size_budget_and_page_size_come_from_the_settings(make_issue, sample_pdf, settings):
    folder = sample_copy(make_issue, settings)
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"file-size", "page-size"}
    assert "over the budget of 100 KB" in failures["file-size"][0]["message"]
    assert len(failures["page-size"]) == len(PdfReader(sample_pdf).pages)  # every page
    assert failures["page-size"][0]["message"] == "page is 210 × 297 mm, expected A5 (148 × 210 mm) portrait"


def test_without_the_source_any_standard_size_passes_if_every_page_has_it():
    from press.settings import default_check
    from press.structure import Evidence, page_size

    def measured(*sizes):
        pages = [SimpleNamespace(size=size, label=str(index)) for index, size in enumerate(sizes)]
        return page_size(Evidence(SimpleNamespace(pages=pages), default_check()))

    a4, a5, b5 = (595.28, 841.89), (419.53, 595.28), (498.9, 708.66)
    assert [measured(size, size).value for size in (a4, a5, b5)] == [0, 0, 0]
    mixed = measured(a5, a5, a4)
    assert mixed.value == 1 and mixed.failures[0].message == ("page is 210 × 297 mm, expected A5 (148 × 210 mm) "
                                                              "portrait")
    custom = measured((524.41, 737.01), (524.41, 737.01))  # 185 × 260 mm (16开): only the source can say so
    assert custom.value == 1 and custom.failures[0].message == (
        "page is 185 × 260 mm, not a standard size (A4, A5, B5, Letter, A3): check it with --issue, against "
        "newsletter.yaml's page_size")
    assert measured((841.89, 595.28)).failures[0].message.endswith("not a standard size (A4, A5, B5, Letter, A3): "
                                                                    "check it with --issue, against newsletter.yaml's "
                                                                    "page_size")  # A4 landscape


def test_over_the_budget_file_size_names_the_largest_images_biggest_first(make_issue, tmp_path):
    from press.settings import default_check
    from press.structure import Evidence, file_size
    from tests.test_images import diagram, grainy

    folder = make_issue({"a.md": article("图", "正文。\n\n![图 1 图表](chart.png)\n\n![图 2 照片](photo.png)\n")})
    diagram((800, 600)).save(folder / "chart.png")
    grainy((1200, 900)).save(folder / "photo.png")
    pdf = build(folder, tmp_path / "x.pdf").path
    make_issue.settings.write_text(make_issue.settings.read_text(encoding="utf-8") + "check:\n  max_size: 10 KB\n",
                                   encoding="utf-8")
    over, photo, chart = failing(check_pdf(pdf, folder))["file-size"]
    assert over["message"].endswith("over the budget of 10 KB (check: max_size in newsletter.yaml); its largest "
                                    "images, biggest first:")
    assert re.fullmatch(r"image photo\.png, 1200 × 900 px, JPEG \(DCTDecode\), \d+ KB", photo["message"])
    assert re.fullmatch(r"image chart\.png, 800 × 600 px, lossless \(FlateDecode\), \d+ KB", chart["message"])
    assert (photo["file"], photo["line"], chart["line"]) == (str(folder / "a.md"), 10, 8) and chart["page"] == "1"
    unnamed = file_size(Evidence(read_pdf(pdf), replace(default_check(), max_bytes=10 * 1024))).failures  # no source
    assert unnamed[1].message.startswith("image 1200 × 900 px, JPEG") and unnamed[1].source is None



@pytest.mark.parametrize("old, new", [("85 亿美元的直接资金", "58 亿美元的直接资金"), ("（DOC）", "（DOE）"),
                                      ("85 亿美元的直接资金", "８５ 亿美元的直接资金")])
def test_a_changed_figure_or_latin_name_fails_text_and_a_full_width_form_does_not(make_issue, sample_pdf, old, new):
    folder = sample_copy(make_issue)
    path = folder / "03-doc-intel-chips.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = check_pdf(sample_pdf, folder)
    if new.startswith("８"):  # the same figures, typed full-width: the same text
        assert failing(report) == {}
    else:
        assert set(failing(report)) == {"text"} and failing(report)["text"][0]["page"] == "4"


# Issue 16: what a PDF shows that its source does not say -----------------------------------------------

def test_the_cover_lists_exactly_the_highlighted_articles(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    path = folder / "03-doc-intel-chips.md"
    path.write_text(path.read_text(encoding="utf-8").replace("highlight: true\n", "", 1), encoding="utf-8")
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"front-matter", "metadata"}  # the PDF's subject lists the highlights too
    [cover] = failures["front-matter"]
    assert cover["page"] == "封面" and "which is not marked highlight: true" in cover["message"]
    assert cover["file"].endswith("03-doc-intel-chips.md")


def test_every_field_the_cover_prints_from_the_settings_is_compared(make_issue, sample_pdf):
    folder = sample_copy(make_issue)
    settings = folder.parent / "newsletter.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("MATERIALS NEWSLETTER", "MATERIAL NEWS"),
                        encoding="utf-8")
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"front-matter", "metadata"}
    assert failures["front-matter"][0]["message"] == "the cover does not show “MATERIAL NEWS”"
    assert failures["front-matter"][0]["file"].endswith("newsletter.yaml")


def test_another_region_of_the_language_fails_metadata(make_issue, sample_pdf):
    folder = sample_copy(make_issue, extra_settings="language: zh-Hant\n")
    failures = failing(check_pdf(sample_pdf, folder))
    assert set(failures) == {"metadata", "front-matter", "text"}  # and its chrome: 目录, 编者按, not 目錄, 編者按
    assert failures["metadata"][0]["message"] == "language is zh-Hans, expected zh-Hant"
    assert [failure["message"] for failure in failures["front-matter"]] == [
        "the contents page is labelled “目录”, not “目錄” as in the newsletter's language zh-Hant",
        "the contents page does not show its title “目　錄” (the newsletter's language is zh-Hant)"]


def test_a_figure_whose_svg_text_changed_fails_text(make_issue, tmp_path):
    make_issue.use_sample_settings()
    folder = make_issue({"a.md": article("图表", "正文。\n\n![图 1 销量](chart.svg)\n\n正文最后一段。\n")})
    chart = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><text x="10" y="20">汽车销量（万辆）'
             '</text><text x="20" y="100" transform="rotate(-90 20 100)">2024 年</text></svg>')
    (folder / "chart.svg").write_text(chart, encoding="utf-8")
    pdf = build(folder, tmp_path / "chart.pdf").path
    assert failing(check_pdf(pdf, folder)) == {}
    (folder / "chart.svg").write_text(chart.replace("汽车", "船舶"), encoding="utf-8")
    failures = failing(check_pdf(pdf, folder))
    assert set(failures) == {"text"}
    assert failures["text"][0]["message"].startswith("the figure's picture does not draw the text of its file")


BYLINE_OVER_TEXT = ".article p.byline { text-align: left; text-align-last: left; position: relative; top: -6mm; }"


def issue_with_a_byline(make_issue, css: str = ""):
    make_issue.use_sample_settings(css=css)
    body = "这是一段正文，写得长一些，好让它占满整整一行还多出一些字来，这样最后一行就从左边开始排。" * 2
    return make_issue({"a.md": article("署名", body, extra="byline: 李华\n")})


def test_text_drawn_over_text_fails_overlap(make_issue, tmp_path, monkeypatch):
    monkeypatch.setattr(layout, "refuse_overlapping_text", lambda *args: None)  # the build refuses it itself
    folder = issue_with_a_byline(make_issue, BYLINE_OVER_TEXT)
    report = check_pdf(build(folder, tmp_path / "over.pdf").path, folder)
    assert "overlap" in failing(report)  # (the paragraph's last line, under the byline, no longer reads as last)
    message = failing(report)["overlap"][0]["message"]
    assert message.startswith("text drawn over other text: “") and "李" in message and "stand on each other" in message


def test_text_covered_by_a_box_fails_overlap(make_issue, tmp_path):
    css = (".editor-note { position: relative; z-index: 2; background: #fff; padding-bottom: 14mm; "
           "margin-bottom: -14mm; }")
    folder = sample_copy(make_issue, css=css)
    report = check_pdf(build(folder, tmp_path / "covered.pdf").path, folder)
    assert set(failing(report)) == {"overlap"}
    [covered] = failing(report)["overlap"]
    assert covered["page"] == "1" and "cannot be seen" in covered["message"]


def test_the_build_refuses_text_drawn_over_text(make_issue, tmp_path):
    folder = issue_with_a_byline(make_issue, BYLINE_OVER_TEXT)
    with pytest.raises(LayoutError, match="text stands on other text on page"):
        build(folder, tmp_path / "over.pdf")
    assert not (tmp_path / "over.pdf").exists()


def test_one_title_printed_twice_is_held_to_each_of_its_headings_in_turn(make_issue, tmp_path):
    # Two articles called 简讯, in two sections (two pages): the second contents entry and bookmark of the
    # title meet its second heading, not the first (which made an issue four times the sample fail).
    with make_issue.settings.open("a", encoding="utf-8") as settings:
        settings.write("section_break: page\n")
    folder = make_issue({"01-a.md": article("简讯", "甲乙丙丁。" * 40, section="专题"),
                         "02-b.md": article("其他", "戊己庚辛。" * 40, section="专题"),
                         "03-c.md": article("简讯", "壬癸子丑。" * 40, section="战略规划")})
    pdf = build(folder, tmp_path / "twice.pdf").path
    report = check_pdf(pdf, folder)
    assert failing(report) == {}

    def change(writer):  # the second 简讯 listed on the page of the first
        pages = [entry for entry in read_pdf(pdf).pages[1].lines if entry.text.startswith("简讯")]
        assert len(pages) == 2 and pages[0].text[-1] != pages[1].text[-1]
        assert replace_glyph(writer, 1, pages[1].text[-1], pages[0].text[-1]) == 1

    moved = check_pdf(edited(pdf, tmp_path / "moved.pdf", change), folder)
    assert "toc-page" in failing(moved)


# The editor's note ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def note_pdf(tmp_path_factory):
    """The sample with an editor's note (editor-note.md), built once: (its issue folder, its PDF)."""
    maker = IssueMaker(tmp_path_factory.mktemp("note"))
    folder = with_editor_note(sample_copy(maker))
    return folder, build(folder, folder.parent / "note.pdf").path


def note_copy(make_issue, note_pdf):
    """A copy of the note's issue that a test may change, and the PDF built before the change."""
    folder, pdf = note_pdf
    make_issue.use_sample_settings()
    copy = make_issue.copy_sample()
    shutil.copy(folder / "editor-note.md", copy)
    return copy, pdf


def test_the_editors_note_is_page_1_first_in_the_contents_and_the_bookmarks_and_passes(note_pdf):
    folder, pdf = note_pdf
    report = check_pdf(pdf, folder)
    assert failing(report) == {} and report.not_run == []
    reading = read_pdf(pdf)
    contents = next(page for page in reading.pages if page.label == "目录")
    assert contents_entries(contents)[0] == ("卷首语", 1)
    assert reading.outline[0] == (1, "卷首语", 2)  # PDF page 3: 封面, 目录, then page 1
    assert reading.outline[1][:2] == (1, "专题") and reading.outline[1][2] >= 2
    assert reading.pages[2].label == "1"  # under the running head, its first line is the note's title
    assert [letters(line.text) for line in reading.pages[2].flow[:2]] == ["新材料监测快报2024年第4期", "卷首语"]
    assert 1 in reading.pages[2].notes and "本期内容截至" in reading.pages[2].notes[1]  # the note's, numbered first


@pytest.mark.parametrize(("css", "check", "message"), [
    (".toc-note { display: none; }", "toc-page", "the editor's note “卷首语” is missing from the contents"),
    (".issue-note-title { bookmark-level: none; }", "bookmarks", "no bookmark for the editor's note “卷首语”")])
def test_the_editors_note_left_out_of_the_contents_or_the_bookmarks_fails_there(make_issue, tmp_path, css, check,
                                                                                 message):
    folder = with_editor_note(sample_copy(make_issue, css=css))
    report = check_pdf(build(folder, tmp_path / "note.pdf").path, folder)
    assert set(failing(report)) == {check}
    [failure] = failing(report)[check]
    assert failure["message"] == message and failure["file"].endswith("editor-note.md")


def test_the_editors_note_changed_after_the_build_fails_text_at_its_line(make_issue, note_pdf):
    folder, pdf = note_copy(make_issue, note_pdf)
    note = folder / "editor-note.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("材料是产业的基础。", ""), encoding="utf-8")
    report = check_pdf(pdf, folder)
    assert set(failing(report)) == {"text"}
    [failure] = failing(report)["text"]
    assert failure["page"] == "1" and "not in the source" in failure["message"]
    assert "材料是产业的基础" in failure["message"]
    note.write_text(text.replace("title: 卷首语", "title: 本期导读"), encoding="utf-8")
    report = check_pdf(pdf, folder)
    assert {"toc-page", "article-order", "bookmarks"} <= set(failing(report))
    assert any(failure["message"] == "the editor's note “本期导读” is missing from the contents"
               for failure in failing(report)["toc-page"])


def test_an_editors_note_deleted_or_added_after_the_build_fails(make_issue, note_pdf, sample_pdf):
    folder, pdf = note_copy(make_issue, note_pdf)
    (folder / "editor-note.md").unlink()  # the PDF prints a note the source no longer has
    failures = failing(check_pdf(pdf, folder))
    assert {"text", "bookmarks", "footnote-count"} <= set(failures)
    assert any("卷首语" in failure["message"] and "matches no section" in failure["message"]
               for failure in failures["bookmarks"])
    with_editor_note(folder)  # the source has a note the PDF (the sample's) lacks
    failures = failing(check_pdf(sample_pdf, folder))
    assert {"toc-page", "article-order", "bookmarks", "text"} <= set(failures)
    assert failures["article-order"][0]["message"] == "“卷首语”: the editor's note's title is not in the body"


def test_the_editors_note_after_the_first_article_fails_article_order(make_issue, tmp_path):
    folder = with_editor_note(sample_copy(make_issue))
    (folder / "templates").mkdir()
    template = (ROOT / "styles" / "default" / "issue.html").read_text(encoding="utf-8")
    end = "</article>\n{% endif %}\n"
    note = template[template.index("{% if issue.note %}\n<article"):template.index(end) + len(end)]
    moved = template.replace(note, "").replace("</main>", note + "</main>")  # after the last section
    (folder / "templates" / "issue.html").write_text(moved, encoding="utf-8")
    failures = failing(check_pdf(build(folder, tmp_path / "late.pdf").path, folder))
    assert "article-order" in failures
    message = failures["article-order"][0]["message"]
    assert message.startswith("the editor's note “卷首语” stands after the first article")


def test_a_table_whose_header_cells_wrap_reads_whole_on_every_page_and_pairs_no_marks_across_cells(
        make_issue, tmp_path):
    # On A5's 31 ems, 新增装机（万千瓦） wraps: the PDF reads 新增装机（万 before 省份, and 千瓦） | （亿元） of two
    # cells on one line; the header repeated on the next page reads its lines in another order.
    from press.build import build

    make_issue.settings.write_text(make_issue.settings.read_text(encoding="utf-8") + "page_size: A5\n",
                                   encoding="utf-8")
    rows = "".join(f"| 省份{index} | {index * 7} | {index * 91} | {index % 9}.5% | {index * 3}.2 |\n"
                   for index in range(1, 61))
    body = ("下表列出了各省的装机和投资情况。\n\n"
            "| 省份 | 新增装机（万千瓦） | 累计装机（万千瓦） | 同比增速 | 完成投资（亿元） |\n"
            f"| --- | --- | --- | --- | --- |\n{rows}\n表后的一段文字。")
    folder = make_issue({"a.md": article("装机", body)})
    pdf = build(folder, tmp_path / "x.pdf").path
    report = check_pdf(pdf, folder, only=["text", "punct-squeeze"])
    assert failing(report) == {}
    assert len(PdfReader(pdf).pages) > 4  # the table runs onto further pages under its header
