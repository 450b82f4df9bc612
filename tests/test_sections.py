"""Layout by sections (press watch): the same PDF as one render, laying out only what an edit changed."""

import pytest

from press import footnotes
from press.errors import InputError
from press.footnotes import misplaced as misplaced_footnotes
from press.layout import lay_out_verified
from press.load import load_issue
from press.pdf import write_pdf
from press.render import render_html
from press.sections import CROSSES_SECTIONS, SectionLayouts
from tests.conftest import shifted_sample, weasyprint_footnotes_layout, with_editor_note

EDITED = "06-pet-recycling-report.md"  # in 行业观察, the fourth section
PAGES = "section_break: page\n"  # each section starts a page: laid out alone


def pdf_bytes(issue, layout, path) -> bytes:
    return write_pdf(layout, issue, path).read_bytes()


def same_pdf_both_ways(folder, sections: SectionLayouts, tmp_path) -> bytes:
    """Build the issue by sections and in one render; assert the PDFs are byte-identical; return them."""
    issue = load_issue(folder)
    html = render_html(issue)
    by_sections = pdf_bytes(issue, sections(issue, html), tmp_path / "sections.pdf")
    whole = pdf_bytes(issue, lay_out_verified(issue, html), tmp_path / "whole.pdf")
    assert by_sections == whole
    return by_sections


def edit(folder, text: str) -> None:
    article = folder / EDITED
    article.write_text(article.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_edits_lay_out_only_what_changed_and_give_the_pdf_of_one_render(make_issue, tmp_path):
    make_issue.use_sample_settings(PAGES)
    folder = make_issue.copy_sample()
    sections = SectionLayouts()
    issue = load_issue(folder)
    idents = [section.ident for section in issue.sections]
    edited = next(section.ident for section in issue.sections
                  if any(article.path.name == EDITED for article in section.articles))

    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == [*idents, "front"]

    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == []  # nothing changed, nothing laid out

    edit(folder, "\n编辑后补充的一句话。\n")
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == [edited]  # same pages: the rest and the contents stay

    edit(folder, "\n" + "增补的长段落，使本节多出两页。" * 200 + "\n")
    same_pdf_both_ways(folder, sections, tmp_path)
    later = idents[idents.index(edited):]
    assert sections.laid_out == [*later, "front"]  # later folios moved: later sections and the contents


def test_sections_that_run_on_are_one_part_and_the_contents_stay_while_no_page_number_moves(make_issue, tmp_path):
    make_issue.use_sample_settings()  # the sample runs its sections on
    folder = make_issue.copy_sample()
    sections = SectionLayouts()
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == ["section-1", "front"]

    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == []

    article = folder / EDITED  # a word changed for one as wide: no line, so no page number, moves
    article.write_text(article.read_text(encoding="utf-8").replace("的", "之", 1), encoding="utf-8")
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == ["section-1"]  # the body again; the contents' page numbers did not move

    edit(folder, "\n" + "增补的长段落，使本节多出两页。" * 200 + "\n")
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == ["section-1", "front"]


@pytest.mark.parametrize("extra", [PAGES, ""])
def test_the_editors_note_is_a_part_of_its_own_and_gives_the_pdf_of_one_render(make_issue, tmp_path, extra):
    make_issue.use_sample_settings(extra)
    folder = with_editor_note(make_issue.copy_sample())
    sections = SectionLayouts()
    issue = load_issue(folder)
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out[0] == issue.note.ident if extra else sections.laid_out == [issue.note.ident, "front"]

    note = folder / "editor-note.md"  # a word changed for one as wide: no page number moves
    note.write_text(note.read_text(encoding="utf-8").replace("基础", "根本", 1), encoding="utf-8")
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == [issue.note.ident]


def test_a_changed_style_lays_out_everything_again(make_issue, tmp_path):
    make_issue.use_sample_settings(PAGES, css="/* first */")
    folder = make_issue.copy_sample()
    sections = SectionLayouts()
    same_pdf_both_ways(folder, sections, tmp_path)
    with (make_issue.root / "styles" / "default" / "style.css").open("a", encoding="utf-8") as style:
        style.write("\n.byline { letter-spacing: 0.05em; }\n")
    same_pdf_both_ways(folder, sections, tmp_path)
    assert len(sections.laid_out) == len(load_issue(folder).sections) + 1


@pytest.mark.parametrize("setting", ["language: zh-Hant", "page_size: A5"])
def test_a_changed_language_or_page_size_lays_out_everything_again(make_issue, tmp_path, setting):
    """The language is an attribute of <html> and the paper reaches the layout through the page CSS press puts
    before the style: both outside every section's own HTML, and both change the layout."""
    make_issue.use_sample_settings(PAGES)
    folder = make_issue.copy_sample()
    sections = SectionLayouts()
    same_pdf_both_ways(folder, sections, tmp_path)
    settings = make_issue.settings
    settings.write_text(settings.read_text(encoding="utf-8") + setting + "\n", encoding="utf-8")
    same_pdf_both_ways(folder, sections, tmp_path)
    assert len(sections.laid_out) == len(load_issue(folder).sections) + 1


def test_a_style_with_state_across_sections_is_laid_out_in_one_render(make_issue, tmp_path):
    make_issue.use_sample_settings(css="@page body:left { margin-left: 30mm; }")
    folder = make_issue.copy_sample()
    sections = SectionLayouts()
    same_pdf_both_ways(folder, sections, tmp_path)
    assert sections.laid_out == ["whole"]


@pytest.mark.parametrize("css", [
    "@page body:left { margin: 1cm }", "@page :first { margin: 0 }", "@page :blank { margin: 0 }",
    "h1 { break-before: right }", "h1 { string-set: head content() }", "p::after { content: counter(para) }",
    "p { counter-increment: para }", "section { counter-reset: footnote }", "@page :nth(2) { margin: 0 }",
    "a::after { content: target-text(attr(href)) }", "a::after { content: target-counter(attr(data-x), page) }",
])
def test_what_carries_state_across_sections_is_recognised(css):
    assert CROSSES_SECTIONS.search(css)


@pytest.mark.parametrize("css", [
    "@page :nth(1 of body) { counter-reset: page 1; }", "::footnote-call { content: counter(footnote) }",
    "@bottom-center { content: counter(page) }", "a::after { content: target-counter(attr(href url), page) }",
    "td:first-child { text-align: center }",
])
def test_what_the_default_style_uses_is_allowed(css):
    assert not CROSSES_SECTIONS.search(css)


def test_footnotes_weasyprint_moves_are_corrected_within_each_section(make_issue, tmp_path, monkeypatch):
    """With WeasyPrint's own footnote placement, sections need pushed blocks; the PDF still equals one render's."""
    make_issue.use_sample_settings(PAGES)
    monkeypatch.setattr(footnotes, "install", footnotes.uninstall)
    footnotes.uninstall()
    for k in range(10, 18):
        folder = shifted_sample(make_issue, k)
        issue = load_issue(folder)
        if misplaced_footnotes(issue, weasyprint_footnotes_layout(issue, render_html(issue))):
            break
    else:
        pytest.fail("no shift made WeasyPrint misplace a footnote")
    sections = SectionLayouts()
    layout = sections(issue, render_html(issue))
    assert layout.pushed and sections.laid_out != ["whole"]
    assert misplaced_footnotes(issue, layout) == []
    same_pdf_both_ways(folder, SectionLayouts(), tmp_path)


def test_a_problem_in_one_section_is_reported_with_every_other(make_issue, tmp_path):
    """By sections or not, the error lists every problem of the issue (here: two tables too wide)."""
    make_issue.use_sample_settings()
    folder = make_issue.copy_sample()
    wide = ("\n| " + " | ".join(f"第{n}列" for n in range(14)) + " |\n|" + "---|" * 14 + "\n| "
            + " | ".join(f"{n}234567.89" for n in range(14)) + " |\n")  # numbers do not break
    for name in ("01-microelectronics-strategy.md", EDITED):
        with (folder / name).open("a", encoding="utf-8") as article:
            article.write(wide)
    issue = load_issue(folder)
    with pytest.raises(InputError) as by_sections:
        SectionLayouts()(issue, render_html(issue))
    with pytest.raises(InputError) as whole:
        lay_out_verified(issue, render_html(issue))
    assert by_sections.value.format_message() == whole.value.format_message()
    assert len(whole.value.problems) == 2
