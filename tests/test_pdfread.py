"""Reading a PDF back: the reader sees a footnote that drifted off its call's page."""

from press.build import build
from press.pdfread import contents_entries, read_pdf
from tests.conftest import article, misplaced_build


def test_reader_finds_a_footnote_weasyprint_moved_to_the_next_page(make_issue, tmp_path):
    _, note, pdf = misplaced_build(make_issue, tmp_path / "raw.pdf")
    reading = read_pdf(pdf)
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


def test_a_superscript_in_the_text_is_not_a_footnote_call(make_issue, tmp_path):
    folder = make_issue({"a.md": article("上标", "容量提高到 10^6^ 倍[^a]，又提高了 10^3^ 倍。\n\n[^a]: 脚注。\n")})
    reading = read_pdf(build(folder, tmp_path / "sup.pdf").path)
    assert [number for page in reading.pages for number in page.calls] == [1]
    assert reading.page_of("fn-call-1") is reading.pages[2]


def test_destinations_name_pages_and_places(sample_reading):
    index, x, top = sample_reading.destinations["fn-call-1"]
    assert sample_reading.pages[index].label == "1" and 0 < x < 595 and 0 < top < 842
    assert sample_reading.page_of("article-01-microelectronics-strategy").label == "1"
