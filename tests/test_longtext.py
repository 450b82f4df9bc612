"""Long runs of text: broken in windows, line for line as WeasyPrint alone breaks them, in linear work."""

import hashlib
import inspect

import pytest
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break

from press import justify, longtext
from press.layout import lay_out
from press.load import load_issue
from press.render import render_html
from tests.conftest import article

# sha256 of the source of every WeasyPrint function the adapter wraps or relies on, taken from
# WeasyPrint 70.0.  A change means: read the new code, re-check press/longtext.py, update.
FINGERPRINTS = {
    "inline.skip_first_whitespace": "deb2f1a5e2a6c035",
    "inline.split_inline_level": "d98c008c8fc00582",
    "inline.split_text_box": "8c564329599ef23f",
    "line_break.split_first_line": "39ad1016863ca34d",
}
ORIGINALS = {
    "inline.skip_first_whitespace": longtext._original_skip_first_whitespace,
    "inline.split_inline_level": longtext._original_split_inline_level,
    "inline.split_text_box": inline.split_text_box,
    "line_break.split_first_line": line_break.split_first_line,
}

SENTENCES = ("3 月 15 日，美国能源部（DOE）宣布投入 2.5 亿美元支持电池回收研究。",
             "该计划由 NREL 牵头，覆盖材料合成、涂层、干燥和质量控制等环节；",
             "研究人员利用 AI 与机器学习方法，将表征时间缩短了约 40%，并在 Nature Materials 上发表了相关成果。",
             "专家认为，“二维材料”有望在未来 5 至 10 年内实现规模化应用……")


def prose(characters: int) -> str:
    """Chinese prose of about `characters` characters: punctuation, Latin words, numbers."""
    text = ""
    while len(text) < characters:
        text += SENTENCES[len(text) % len(SENTENCES)]
    return text


def fingerprint(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_weasyprint_code_under_the_adapter_is_unchanged(name):
    assert fingerprint(ORIGINALS[name]) == FINGERPRINTS[name], (
        f"WeasyPrint's {name} changed: re-check press/longtext.py against it, then update the fingerprint")


def test_install_wraps_the_two_functions_and_uninstall_restores_them():
    longtext.install()
    assert inline.split_inline_level is longtext.split_inline_level
    assert inline.skip_first_whitespace is longtext.skip_first_whitespace
    longtext.uninstall()
    assert inline.split_inline_level is longtext._original_split_inline_level
    assert inline.skip_first_whitespace is longtext._original_skip_first_whitespace
    longtext.install()


def test_character_index_of_a_utf8_offset_counts_on_from_the_nearest_known_one():
    starts = longtext.Starts("ab中文cd" * 1000)
    assert starts.index(0) == 0
    assert starts.index(len("ab中文".encode())) == 4
    assert starts.index(len(("ab中文cd" * 700 + "ab中").encode())) == 6 * 700 + 3
    assert starts.known == sorted(starts.chars)
    assert starts.byte_size() == len(starts.text.encode())


def test_leading_spaces_are_counted_past_one_window():
    text = "甲" + " " * (longtext.MIN_WINDOW * 2 + 3) + "乙"
    assert longtext.leading_spaces(text, 1) == longtext.MIN_WINDOW * 2 + 3
    assert longtext.leading_spaces(text, 0) == 0
    assert longtext.leading_spaces("   ", 0) == 3


def test_the_window_holds_twice_the_text_weasyprint_lays_out_first():
    assert longtext.window_size(10, 500) == 500 // 10 * longtext.WINDOW_EM_LINES
    assert longtext.window_size(10, 20) == longtext.MIN_WINDOW
    assert longtext.window_size(0, 500) == longtext.MIN_WINDOW


LONG_BODY = "\n\n".join([
    prose(6000),  # one text box, longer than LONG_TEXT
    prose(3000) + " *强调的词* " + prose(2500) + "[^1]" + prose(2200),  # long boxes between tags
    "序列：" + "ACGT" * 1500 + "。" + prose(300),  # no break opportunity for 6000 characters
    "*" * 3000 + "甲" + "_" * 3000,
    "[^1]: 脚注。",
])


def lines_of(layout) -> list[tuple]:
    """Every text box of the layout: page, text, position and width."""
    return [(number, box.text, round(box.position_x, 4), round(box.position_y, 4), round(box.width, 4))
            for number, page in enumerate(layout.document.pages)
            for box in page._page_box.descendants() if isinstance(box, boxes.TextBox)]


@pytest.fixture(scope="module")
def long_issue(tmp_path_factory):
    from tests.conftest import IssueMaker
    maker = IssueMaker(tmp_path_factory.mktemp("long"))
    issue = load_issue(maker({"a.md": article("长段落", LONG_BODY)}))
    return issue, render_html(issue)


def test_long_paragraphs_break_line_for_line_as_weasyprint_alone_breaks_them(long_issue, monkeypatch):
    issue, html = long_issue
    windowed = lines_of(lay_out(issue, html))
    monkeypatch.setattr(longtext, "install", longtext.uninstall)
    longtext.uninstall()
    alone = lines_of(lay_out(issue, html))
    longtext.install()
    assert len(windowed) > 300
    assert windowed == alone


def pango_characters(issue, html, monkeypatch) -> tuple[int, int]:
    """(characters handed to Pango, longest text a WeasyPrint split of a text box was given) in one layout."""
    counts = {"pango": 0, "longest": 0}

    def set_text(self, text, justify=False):
        counts["pango"] += len(text)
        return original_set_text(self, text, justify)

    def split(context, box, *rest):
        if isinstance(box, boxes.TextBox):
            counts["longest"] = max(counts["longest"], len(box.text))
        return original_split(context, box, *rest)

    original_set_text, original_split = justify._original_set_text, longtext._original_split_inline_level
    with monkeypatch.context() as patch:
        patch.setattr(justify, "_original_set_text", set_text)
        patch.setattr(longtext, "_original_split_inline_level", split)
        lay_out(issue, html)
    return counts["pango"], counts["longest"]


@pytest.mark.parametrize("body", [prose, lambda size: "ACGT" * (size // 4), lambda size: "*" * size + "甲"],
                         ids=["prose", "gene", "stars"])
def test_layout_work_grows_linearly_with_one_paragraph(make_issue, monkeypatch, body):
    work = {}
    for size in (16_000, 64_000):
        issue = load_issue(make_issue({"a.md": article("长段落", body(size))}, name=f"2024-{size}"))
        work[size] = pango_characters(issue, render_html(issue), monkeypatch)
    (small, small_longest), (large, large_longest) = work[16_000], work[64_000]
    assert large / small < 4 * 1.25, "Pango lays out more text per character of a longer paragraph"
    assert large_longest == small_longest < 10_000, "a line is split from the whole rest of its paragraph"
