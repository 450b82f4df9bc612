"""Footnotes from the source to the page (press/footnotes.py): numbering, their problems, calls in the HTML.

Their placement on the pages is tested in test_layout.py, with WeasyPrint's own placement to compare.
"""

from press.markup import to_html


def test_adjacent_calls_are_printed_with_a_comma_between_them():
    html = to_html("结论一致[^a][^b]，另见[^c] [^d]。\n\n[^a]: 甲。\n[^b]: 乙。\n[^c]: 丙。\n[^d]: 丁。\n").html
    assert html.count('<span class="fn-call-separator">,</span>') == 2
    assert ('<span class="footnote" id="fn-1">甲。</span><span class="fn-call-separator">,</span>'
            '<span class="fn-call-mark" id="fn-call-2"></span>') in html
    assert '</span> <span class="fn-call' not in html  # the space between [^c] and [^d] goes


def test_a_call_in_code_is_code_not_a_call_without_text():
    markup = to_html("代码 `[^1]` 与 `x[^note]` 照印。\n\n```\n[^2]\n```\n")
    assert markup.problems == [] and "<code>[^1]</code>" in markup.html


def test_a_call_without_text_is_reported_at_its_column():
    [(line, column, message, kind)] = to_html("正文[^9]。\n", line_offset=4).problems
    assert (line, column, kind) == (5, 3, "footnote-missing") and message.startswith("脚注 [^9] 没有内容")


def test_notes_are_numbered_in_the_order_of_their_first_call():
    markup = to_html("乙[^b]甲[^a]。\n\n[^a]: 甲注。\n[^b]: 乙注。\n", first_number=7)
    numbered = [(note.number, note.label, note.text) for note in markup.footnotes]
    assert numbered == [(7, "b", "乙注。"), (8, "a", "甲注。")]


def test_a_note_hard_wrapped_between_latin_words_prints_on_one_line(make_issue, tmp_path):
    from press.build import build
    from press.pdfread import read_pdf
    from tests.conftest import article

    note = "[^1]: Cryo-EM map of apoferritin\ndata set collected at 300 kV.\n"
    html = to_html(f"正文[^1]。\n\n{note}").footnotes[0].html
    assert html == "Cryo-EM map of apoferritin data set collected at 300 kV."
    folder = make_issue({"a.md": article("脚注", f"正文[^1]。\n\n{note}")})
    page = read_pdf(build(folder, tmp_path / "note.pdf").path).pages[2]
    notes = [line for line in page.lines if line.top >= page.notes_top and line.size < 9]
    assert len(notes) == 1, [line.text for line in notes]  # WeasyPrint broke the note's line at the source's line end
