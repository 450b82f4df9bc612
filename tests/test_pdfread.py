"""Reading a PDF back: the reader sees a footnote that drifted off its call's page."""

from press.layout import lay_out, misplaced_footnotes
from press.load import load_issue
from press.pdf import write_pdf
from press.pdfread import contents_entries, read_pdf
from press.render import render_html
from tests.conftest import shifted_sample


def test_reader_finds_a_footnote_weasyprint_moved_to_the_next_page(make_issue, tmp_path):
    for k in range(10, 18):  # a shift at which WeasyPrint alone misplaces a footnote
        issue = load_issue(shifted_sample(make_issue, k))
        raw = lay_out(issue, render_html(issue))
        if misplaced_footnotes(issue, raw):
            break
    else:
        raise AssertionError("no shift made WeasyPrint misplace a footnote")
    note = misplaced_footnotes(issue, raw)[0]
    reading = read_pdf(write_pdf(raw, issue, tmp_path / "raw.pdf"))
    call_page = next(p for p in reading.pages if note.number in p.calls)
    text_page = next(p for p in reading.pages if note.number in p.notes)
    assert text_page.index == call_page.index + 1


def test_subscript_digits_are_not_footnote_calls(sample_reading):
    page = next(p for p in sample_reading.pages if "LiCoO" in p.text)
    assert "2" in page.text and 2 not in page.calls


def test_contents_entries_are_title_and_number(sample_reading):
    entries = contents_entries(sample_reading.pages[1])
    assert entries[0] == ("美发布《国家微电子研究战略》", 1)
    assert all(isinstance(number, int) for _, number in entries)
