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


def glyph(text: str, x0: float, top: float, size: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size * 0.6, "top": top, "bottom": top + size, "size": size}


def test_raised_and_lowered_small_glyphs_join_their_line_whichever_comes_first():
    from press.pdfread import group_lines

    body, small = 10.5, 6.8
    chars = [glyph("m", 10, 100, body), glyph("2", 16.3, 97, small),  # m², the ² standing highest of all
             glyph("M", 30, 100, body), glyph("o", 36.3, 100, body), glyph("S", 42.6, 100, body),
             glyph("2", 48.9, 106, small),  # MoS₂
             glyph("下", 10, 118.4, body), glyph("行", 20.5, 118.4, body)]
    lines = group_lines(chars)
    assert [line.text for line in lines] == ["m2MoS2", "下行"]


def test_a_call_right_after_a_subscript_is_read_as_the_call_alone():
    from press.pdfread import small_digit_runs

    chars = [glyph("S", 0, 100, 10.5), glyph("2", 6.3, 106, 6.8), glyph("1", 10.38, 97, 6.8),
             glyph("3", 14.46, 97, 6.8)]
    assert [number for number, _ in small_digit_runs(chars, 10.5 * 0.75)] == [2, 13]


def page_of_calls(count: int):
    """A page of `count` lines, each a Han character with a raised call, and a destination at every call and
    at every line (a press block)."""
    from press.pdfread import Page, group_lines

    chars, calls, destinations = [], {}, {}
    for n in range(count):
        top = 20 + 18 * n
        chars += [glyph("字", 72, top, 10.5), glyph("1", 82.5, top - 3, 6.8)]
        calls[n + 1] = (82.5, top - 3)
        destinations[f"a-L{n}"] = (0, 72.0, top - 3.0)
    return Page(0, "1", group_lines(chars)), calls, destinations


def test_reading_calls_and_blocks_takes_work_near_linear_in_the_lines():
    from press.pdfread import block_text_size, find_footnotes
    from tests.conftest import calls_made

    def work(count: int) -> int:
        page, calls, destinations = page_of_calls(count)
        return calls_made(lambda: (find_footnotes(page, 10.5, calls, {}),
                                   block_text_size([page.lines], destinations)))

    page, calls, destinations = page_of_calls(3)
    find_footnotes(page, 10.5, calls, {})
    assert page.calls == [1, 1, 1] and block_text_size([page.lines], destinations) == 10.5
    small, large = work(400), work(800)
    assert large < 2.3 * small, (small, large)  # calls held against every destination: 4 times the work


def test_a_glyph_is_in_the_first_figure_whose_picture_holds_its_middle():
    from press.pdfread import regions_of

    chars = [glyph("a", 0, 10, 10), glyph("b", 0, 50, 10), glyph("c", 0, 95, 10), glyph("d", 0, float("nan"), 10)]
    regions = [("late", 40.0, 100.0), ("early", 0.0, 60.0)]
    assert regions_of(chars, regions) == ["early", "late", "late", None]


def test_the_fonts_of_a_page_are_read_in_one_pass_over_its_content():
    from io import BytesIO

    from pypdf import PdfReader

    from press.pdffonts import read_fonts
    from tests.conftest import calls_made
    from tests.hostile_pdfs import many_fonts

    assert [font.name for font in read_fonts(PdfReader(BytesIO(many_fonts(3))))] == ["Helvetica"]
    small, large = (calls_made(lambda count=count: read_fonts(PdfReader(BytesIO(many_fonts(count)))))
                    for count in (200, 400))
    assert large < 2.3 * small, (small, large)  # the content read once per font: 4 times the work


def test_page_glyphs_are_pdfplumber_s_chars_with_the_fields_press_reads(sample_build, tmp_path):
    import pdfplumber
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    from press.pdfread import page_glyphs

    shifted = PdfWriter()  # a MediaBox that does not start at 0 0 moves every glyph as pdfplumber moves it
    for page in PdfReader(sample_build.path).pages[:3]:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        page.mediabox = RectangleObject([20, 30, width + 20, height + 30])
        shifted.add_page(page)
    shifted.write(tmp_path / "shifted.pdf")
    fields = ("text", "x0", "x1", "top", "bottom", "size", "fontname")
    for path in (sample_build.path, tmp_path / "shifted.pdf"):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                glyphs = page_glyphs(page)
                assert glyphs == [{field: char[field] for field in fields} for char in page.chars]
                assert glyphs, page.page_number


def test_an_issue_of_a_title_and_a_figure_reads_its_caption_as_the_body_text(make_issue, tmp_path):
    # A figure's first line is its picture: without its caption the body size would be read from the title.
    chart = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><text x="10" y="20">产量</text></svg>'
    folder = make_issue({"a.md": article("一篇只有一幅图而没有正文的短文", "![图 1 年产量](chart.svg)")})
    (folder / "chart.svg").write_text(chart, encoding="utf-8")
    reading = read_pdf(build(folder, tmp_path / "x.pdf").path)
    assert reading.body_size == 9.5  # the caption's size, below the title's 14 pt


def test_a_title_that_outweighs_its_short_note_is_not_read_as_the_body_text(make_issue, tmp_path):
    # The note's first line stands too far below its block's top (border, padding) to be read as the block's;
    # counted by glyphs, the title would win: a line that reads as a bookmark's title is left out.
    folder = make_issue({"a.md": article("业业业业业业业业业业", "::: 编者按\n业业。\n:::")})
    reading = read_pdf(build(folder, tmp_path / "x.pdf").path)
    assert reading.body_size == 10.5
