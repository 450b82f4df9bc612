"""What may be printed (press/printable.py): characters a face draws, no controls or bidi overrides, no blank titles."""

from pathlib import Path

import pytest

from press.printable import field_problem, text_problems
from tests.conftest import ROOT

FONTS = ROOT / "fonts"
STYLE = (ROOT / "styles" / "default" / "style.css").read_text(encoding="utf-8")


def messages(text: str, **options) -> list[tuple[int, int, str]]:
    return [(line, column, message.split(" (")[0]) for line, column, message in text_problems(text, FONTS, STYLE,
                                                                                                 **options)]


def test_a_bidi_override_is_refused_where_it_stands():
    assert messages("编号 12345\u202e67890 与 \u2067x\u2069。") == [
        (1, 9, "不允许使用文字方向控制符 U+202E RIGHT-TO-LEFT OVERRIDE"),
        (1, 18, "不允许使用文字方向控制符 U+2067 RIGHT-TO-LEFT ISOLATE"),
        (1, 20, "不允许使用文字方向控制符 U+2069 POP DIRECTIONAL ISOLATE")]


def test_marks_of_direction_and_joiners_pasted_with_text_print_nothing_and_pass():
    assert messages("文字\u200e与\u200f和\u200d以及\u200b、\ufeff。") == []


def test_controls_and_the_replacement_character_are_refused():
    assert messages("甲\x00乙\x07丙\ufffd丁") == [
        (1, 2, "不允许使用控制字符 U+0000"), (1, 4, "不允许使用控制字符 U+0007"),
        (1, 6, "替换字符 U+FFFD 表示文字在转换中已损坏，请重新输入")]


def test_a_run_of_characters_no_font_has_is_one_problem():
    assert messages("标题：한국어 제목 与 𰻞。") == [
        (1, 4, "字体中没有字符 “한국어”"), (1, 8, "字体中没有字符 “제목”"), (1, 13, "字体中没有字符 “𰻞”")]


def test_a_superscript_character_counts_as_its_plain_form_except_where_it_is_drawn_as_it_is():
    assert messages("10⁻² 与 CO₂") == []
    assert messages("10⁻² 与 CO₂", scripts_set=False) == [(1, 3, "字体中没有字符 “⁻”"), (1, 10, "字体中没有字符 “₂”")]


@pytest.mark.parametrize(("value", "message"), [
    ("", "title 为空或只有空白"), ("\u3000", "title 为空或只有空白"), (" \u200b ", "title 为空或只有空白"),
    ("标题\r\n续", "title 中有换行"), ("标\x00题", "title：不允许使用控制字符 U+0000"),
    ("标\x0c题", "title：不允许使用控制字符 U+000C"), ("标题\U00030EDE", "title：字体中没有字符 “𰻞”"),
    ("12345\u202e67890", "title：不允许使用文字方向控制符 U+202E RIGHT-TO-LEFT OVERRIDE"),
])
def test_a_title_that_prints_nothing_or_holds_what_cannot_print_is_refused(value, message):
    assert field_problem("title", value, FONTS, STYLE).split(" (")[0] == message


def test_a_plain_title_prints():
    assert field_problem("title", "美发布《国家微电子研究战略》", Path(FONTS), STYLE) is None
