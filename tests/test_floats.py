"""Figures that do not fit where they are called float to the top of the next page (press.floats): built with
WeasyPrint, read back from the PDF."""

import xml.etree.ElementTree as ET

from press import floats
from press.build import build
from press.check import check_pdf
from press.fill import fill, text_block
from press.layout import lay_out_verified, parse, with_footnotes_kept
from press.load import load_issue
from press.measure import body_pages
from press.pdfread import read_pdf
from press.render import render_html
from press.sections import SectionLayouts
from tests.conftest import article

SENTENCE = "这是一个用于测试的段落，其中包含足够多的汉字来填满若干行文字。"
PARAGRAPH = SENTENCE * 8  # seven lines or so
CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">'
         '<rect x="10" y="10" width="380" height="380" fill="{}"/></svg>')  # with its caption, half a page


def paragraphs(count: int, tag: str) -> str:
    return "\n\n".join(f"{tag}{number}：{PARAGRAPH}" for number in range(count))


def figure(number: int) -> str:
    return f"![图 {number} 测试用的图](chart{number}.svg)"


def write_issue(make_issue, before: int, after: str, name: str, last: bool = False):
    """An article of `before` paragraphs, then `after` (figures and text); another article after it unless `last`."""
    articles = {"01-a.md": article("第一篇文章", f"{paragraphs(before, '前')}\n\n{after}\n")}
    if not last:
        articles["02-b.md"] = article("第二篇文章", paragraphs(2, "乙"), section="战略规划")
    folder = make_issue(articles, name=name)
    for number, colour in ((1, "#9bc"), (2, "#c9b")):
        (folder / f"chart{number}.svg").write_text(CHART.format(colour), encoding="utf-8")
    return folder


def with_a_hole(make_issue, after: str, last: bool = False, least: float = 0.15):
    """The first issue (by paragraphs before the figures) whose first figure, laid out where it is called, goes to
    the next page and leaves the page before it at least `least` empty: found by laying out without floats, so
    the test holds whatever the text block's width."""
    for before in range(2, 9):
        folder = write_issue(make_issue, before, after, f"2024-05-{before}", last)
        issue = load_issue(folder)
        document = parse(issue, render_html(issue))
        layout = with_footnotes_kept(issue, document, "", None)
        found = floats.figure_after_hole(document.etree_element, layout, set())
        if (found is not None and found.find("img").get("src") == "chart1.svg"
                and floats.hole(layout, layout.page_of(found.get("id")) - 1) >= least):
            return folder, found.get("id")
    raise AssertionError("no figure left a hole")


def failing(report) -> dict:
    return {check.id: check.failures for check in report.checks if not check.passed}


def first_on_its_page(reading, block: str) -> bool:
    """Whether a figure's picture is the first ink of its page's flow (no line of text above it)."""
    page, _, top = reading.destinations[f"{block}-image"]
    flow = next(item for item in body_pages(reading) if item.index == page).flow
    return all(line.top > top for line in flow)


def test_a_figure_that_does_not_fit_goes_to_the_next_page_top_and_the_text_after_it_fills_the_page(
        make_issue, tmp_path):
    after = f"{figure(1)}\n\n如图 1 所示，后文第一段[^a]。{PARAGRAPH}\n\n{paragraphs(6, '后')}\n\n[^a]: 脚注的内容。"
    folder, block = with_a_hole(make_issue, after)
    built = build(folder, tmp_path / "float.pdf")
    assert built.layout.floated == (block,)
    reading = read_pdf(built.path)
    page, _, _ = reading.destinations[f"{block}-image"]
    assert reading.destinations[f"{block}-caption"][0] == page  # the caption and its number stay with it
    assert first_on_its_page(reading, block)
    pages = body_pages(reading)
    top, bottom = text_block(pages)
    before = next(item for item in pages if item.index == page - 1)
    assert fill(before, top, bottom) > 0.85  # the text after the figure fills the page it was called on
    assert "如图1所示" in "".join(line.text.replace(" ", "") for line in before.flow)  # the text keeps its place
    assert failing(check_pdf(built.path, folder)) == {}  # text, figures, footnote-same-page, justify, page-fill …
    assert build(folder, tmp_path / "again.pdf").path.read_bytes() == built.path.read_bytes()


def test_two_figures_in_a_row_move_together_in_their_order(make_issue, tmp_path):
    folder, block = with_a_hole(make_issue, f"{figure(1)}\n\n{figure(2)}\n\n{paragraphs(8, '后')}")
    built = build(folder, tmp_path / "two.pdf")
    second = block.rsplit("-L", 1)[0] + f"-L{int(block.rsplit('-L', 1)[1]) + 2}"
    assert built.layout.floated == (block,)
    reading = read_pdf(built.path)
    first_place, second_place = (reading.destinations[f"{ident}-image"] for ident in (block, second))
    assert first_on_its_page(reading, block)
    assert (first_place[0], first_place[2]) < (second_place[0], second_place[2])
    assert failing(check_pdf(built.path, folder)) == {}


def test_a_figure_in_the_last_article_floats_to_the_last_page(make_issue, tmp_path):
    folder, block = with_a_hole(make_issue, f"{figure(1)}\n\n{paragraphs(4, '后')}", last=True)
    built = build(folder, tmp_path / "end.pdf")
    assert built.layout.floated == (block,)
    reading = read_pdf(built.path)
    assert reading.destinations[f"{block}-image"][0] == len(reading.pages) - 1 and first_on_its_page(reading, block)
    assert failing(check_pdf(built.path, folder)) == {}


def test_a_figure_never_leaves_its_article_so_a_hole_it_cannot_fill_stays_and_page_fill_names_it(
        make_issue, tmp_path):
    folder, block = with_a_hole(make_issue, f"{figure(1)}\n\n结尾的一句话。", least=0.36)  # over ⅓ blank
    built = build(folder, tmp_path / "stays.pdf")
    assert built.layout.floated == ()
    reading = read_pdf(built.path)
    page = reading.pages[reading.destinations[f"{block}-image"][0] - 1]
    assert set(failing(check_pdf(built.path, folder))) == {"page-fill"}
    [failure] = failing(check_pdf(built.path, folder))["page-fill"]
    assert failure["page"] == page.label and "% full (bar 67%)" in failure["message"]
    assert failure["message"].endswith("begins with “a figure”")


def test_by_sections_a_floated_figure_gives_the_pdf_of_one_render(make_issue, tmp_path):
    with make_issue.settings.open("a", encoding="utf-8") as settings:
        settings.write("section_break: page\n")
    folder, block = with_a_hole(make_issue, f"{figure(1)}\n\n{paragraphs(6, '后')}")
    issue = load_issue(folder)
    html = render_html(issue)
    sections = SectionLayouts()
    by_sections, whole = sections(issue, html), lay_out_verified(issue, html)
    assert sections.laid_out != ["whole"] and by_sections.floated == whole.floated == (block,)
    from press.pdf import write_pdf
    assert (write_pdf(by_sections, issue, tmp_path / "a.pdf").read_bytes()
            == write_pdf(whole, issue, tmp_path / "b.pdf").read_bytes())


# Splitting a paragraph ------------------------------------------------------------------------------------

def test_a_paragraph_splits_after_a_count_of_its_letters_keeping_calls_and_notes_with_the_first_part():
    paragraph = ET.fromstring(
        '<p id="a-L3">甲乙<em>丙丁<span class="fn-call-mark" id="fn-call-1"></span>'
        '<span class="footnote" id="fn-1">注的文字</span></em> 戊<strong id="s">己庚</strong>辛</p>')
    first, second = floats.split_paragraph(paragraph, 4)
    assert ET.tostring(first, encoding="unicode") == (
        '<p id="a-L3" style="text-align-last: justify">甲乙<em>丙丁<span class="fn-call-mark" id="fn-call-1" />'
        '<span class="footnote" id="fn-1">注的文字</span></em> </p>')
    assert ET.tostring(second, encoding="unicode") == (
        '<p style="text-indent: 0" data-press-continued="a-L3">戊<strong id="s">己庚</strong>辛</p>')
    first, second = floats.split_paragraph(paragraph, 6)  # inside an element: both parts hold it, the id stays first
    assert ET.tostring(first, encoding="unicode").endswith('戊<strong id="s">己</strong></p>')
    assert ET.tostring(second, encoding="unicode").endswith('"a-L3"><strong>庚</strong>辛</p>')
