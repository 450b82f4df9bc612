"""press check page-fill (press.fill): how full each body page is, read from the PDF alone."""

from press.build import build
from press.check import check_pdf
from press.fill import FULL, fill, page_fill, starts_pages, text_block
from press.lines import Line
from press.measure import body_pages
from press.pdfread import Page, read_pdf

TOP, BOTTOM = 74.0, 779.0  # the text block of an A4 page in the default style, in points


def line(top: float, text: str = "正文一行。", size: float = 10.5) -> Line:
    chars = [{"text": char, "top": top, "bottom": top + size, "x0": 62 + size * index, "x1": 62 + size * (index + 1),
              "size": size, "fontname": "PressSong"} for index, char in enumerate(text)]
    return Line(text, size, top, chars[0]["x0"], chars[-1]["x1"], chars)


def page(text_to: float, notes_from: float | None = None) -> Page:
    """A page whose text runs from the block's top down to `text_to`, with footnotes from `notes_from` on."""
    lines = [line(top) for top in range(int(TOP), int(text_to), 18)]
    notes = {}
    if notes_from is not None:
        lines += [line(top, "1 注。", 8.5) for top in range(int(notes_from), int(BOTTOM) - 8, 12)]
        notes = {1: "注。"}
    result = Page(0, "1", lines, notes=notes)
    result.notes_top = float(int(notes_from)) if notes_from is not None else float("inf")  # its first note's top
    return result


def share_at(fraction: float) -> float:
    return TOP + fraction * (BOTTOM - TOP)


def test_a_page_is_as_full_as_its_text_block_is_inked_down_to_its_footnotes():
    assert fill(page(share_at(0.98)), TOP, BOTTOM) > 0.95
    assert 0.38 < fill(page(share_at(0.40)), TOP, BOTTOM) < 0.45
    # text that stops at 40 % with its footnotes at the foot: a hole between them
    assert fill(page(share_at(0.40), notes_from=share_at(0.85)), TOP, BOTTOM) < FULL
    # footnotes that take most of the page, text down to just above them: full
    assert fill(page(share_at(0.30), notes_from=share_at(0.35)), TOP, BOTTOM) > 0.9


def test_the_sample_runs_its_sections_on_and_fills_every_page_but_the_last(sample_build):
    reading = read_pdf(sample_build.path)
    pages = body_pages(reading)
    top, bottom = text_block(pages)
    assert all(fill(item, top, bottom) >= FULL for item in pages[:-1])  # 91 % and more when measured
    measured = page_fill(reading, sections_start_pages=False)
    assert (measured.value, measured.counted) == (0, len(pages) - 1)
    assert not starts_pages(reading)  # a section heading stands in mid-page


def test_a_section_last_page_may_be_short_only_when_sections_start_pages(make_issue, tmp_path):
    make_issue.use_sample_settings("section_break: page\n")
    folder = make_issue.copy_sample()
    pdf = build(folder, tmp_path / "pages.pdf").path
    report = {check.id: check for check in check_pdf(pdf, folder).checks}
    assert report["page-fill"].passed
    assert {check.id for check in check_pdf(pdf).checks if not check.passed} == set()  # told from the PDF alone
    reading = read_pdf(pdf)
    assert starts_pages(reading)
    held = page_fill(reading, sections_start_pages=False)  # the same pages, held as if sections ran on
    sections = {index for level, _, index in reading.outline if level == 1}
    assert held.value >= 3 and {failure.page for failure in held.failures} <= {
        reading.pages[index - 1].label for index in sections}
    assert all("% full (bar 67%): " in failure.message and " mm blank " in failure.message
               and failure.message.split("page ")[-1].split(" begins")[0] == str(int(failure.page) + 1)
               for failure in held.failures)
