"""Source text → HTML (press/conservation.py): every letter of the prose reaches the HTML, no Markdown prints."""

import pytest

from press import conservation
from press.dialect import known_block, parser
from press.markup import to_html


def problems(markdown: str) -> list[tuple[int, str, str]]:
    found = to_html(markdown, line_offset=4).problems
    return [(line, message.split(" (")[0], kind) for line, _, message, kind in found]


def test_a_construct_the_renderer_drops_is_text_lost_at_its_line():
    markdown = "第一段。\n\n第二段，会被丢掉。\n\n第三段。\n"
    tokens = parser().parse(markdown, {})
    html = '<p id="b-L5">第一段。</p>\n<p id="b-L9">第三段。</p>\n'  # a renderer that lost the second paragraph
    lines = markdown.split("\n")
    found = conservation.check(conservation.read_source(lines, tokens, known_block), lines, tokens, html, [], 4)
    assert [(line, kind) for line, _, _, kind in found] == [(7, "text-lost")]
    assert "二段，会被丢掉。" in found[0][2]


def test_letters_the_renderer_adds_are_markdown_printed_at_the_nearest_line():
    markdown = "正文一段。\n"
    tokens = parser().parse(markdown, {})
    lines = markdown.split("\n")
    found = conservation.check(conservation.read_source(lines, tokens, known_block), lines, tokens,
                               '<p id="b-L5">正文一段。chart1svg</p>', [], 4)
    assert [(line, kind) for line, _, _, kind in found] == [(5, "syntax-printed")]


@pytest.mark.parametrize("markdown", [
    "[说明]: 本文数据来自国家统计局。\n",  # a paragraph that looks like a link reference definition
    "参考文献：\n\n[1]: https://example.com/a\n[2]: https://example.com/b\n",
])
def test_what_looks_like_a_link_reference_definition_prints_as_written(markdown):
    markup = to_html(markdown)
    assert markup.problems == []
    assert "本文数据来自国家统计局" in markup.html or "[1]: https://example.com/a" in markup.html


@pytest.mark.parametrize(("markdown", "line"), [
    ("\n".join("  " * depth + f"- 第 {depth} 层" for depth in range(10)) + "\n\n后面的段落。\n", 13),
    (">" * 20 + " 深引用\n\n后面的段落。\n", 5),
])
def test_lists_and_quotes_nested_past_the_limit_are_refused_where_they_go_too_deep(markdown, line):
    [(found, message, kind)] = problems(markdown)
    assert found == line and message == "列表或引用嵌套超过 8 层" and kind == "input"


def test_lists_and_quotes_eight_deep_print_everything():
    markdown = "\n".join("  " * depth + f"- 第 {depth} 层" for depth in range(8)) + "\n\n后面的段落。\n"
    markup = to_html(markdown)
    assert markup.problems == [] and "第 7 层" in markup.html and "后面的段落" in markup.html


@pytest.mark.parametrize(("markdown", "line", "message"), [
    ("*Critical Raw Materials Act *说明。\n", 5, "强调记号 *会原样印出：“*”"),
    ("这是_强调_文字。\n", 5, "强调记号 _会原样印出：“_”"),
    ("#标题没有空格\n\n正文。\n", 5, "标题记号 #会原样印出：“#”"),
    ("| 甲 | 乙 |\n| --- | --- | --- |\n| 1 | 2 |\n", 6, "表格会原样印出：“| --- | --- | --- |”"),
    ("正文 ::: 框 写在行中间。\n", 5, "::: 块标记会原样印出：“:::”"),
    ("正文。\n~~删除线~~不支持。\n", 5, "删除线记号 ~~会原样印出：“~~”"),
])
def test_markdown_that_would_print_as_typed_is_refused_at_its_line(markdown, line, message):
    assert problems(markdown) == [(line, message, "syntax-printed")]


@pytest.mark.parametrize("markdown", [
    "\\*\\*不是强调\\*\\*，a * b * c，3~5 ℃，10~20 kPa，file_name 与 snake_case。\n",
    "*注：本文数据截至 3 月。\n",  # one asterisk, meant as written
    "`**代码**` 与 `[^1]`，以及 <https://example.com/a_b_c>。\n",
    "用 `<!--` 开始注释。\n",
    "姓名____，电话____。\n",  # blanks to fill in
    "#碳中和#话题的讨论。\n",  # a hashtag as Weibo writes it
])
def test_escaped_or_literal_marks_are_text(markdown):
    assert problems(markdown) == []


def test_an_image_file_name_with_a_space_works_as_written():
    markup = to_html("![图 1 产能](chart 1.svg)\n")
    assert markup.problems == [] and markup.images == [("chart%201.svg", 1)]
    assert '<img src="chart%201.svg" alt="图 1 产能"' in markup.html


def test_an_entity_prints_the_character_it_names_and_is_told_to_the_loader():
    markup = to_html("文字&#x30EDE;与&amp;，`&amp;` 不算。\n", line_offset=4)
    assert markup.decoded == [(5, 3, "𰻞"), (5, 13, "&")]
