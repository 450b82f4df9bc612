"""Markdown dialect: footnotes, blocks, figures, sub/superscript, problems with lines."""

import pytest

from press.markup import to_html


def test_footnotes_are_numbered_from_the_given_number_in_call_order():
    markup = to_html("甲[^b]乙[^a]。\n\n[^a]: Second.\n[^b]: First. <https://a.example/x>\n",
                     first_number=7)
    assert [(note.number, note.label) for note in markup.footnotes] == [(7, "b"), (8, "a")]
    assert '<span class="footnote" id="fn-7">First. <a href="https://a.example/x">' in markup.html
    assert 'id="fn-call-7"' in markup.html and 'id="fn-8"' in markup.html
    assert markup.footnotes[0].text == "First. https://a.example/x"
    assert markup.problems == []


def test_footnote_problems_carry_file_lines():
    text = "正文[^a]和[^b]。[^a]\n\n[^a]: T.\n[^c]: never\n[^c]: twice\n"
    problems = to_html(text, line_offset=4).problems
    messages = {(line, column, message.split(" (")[0]) for line, column, message, _ in problems}
    assert (5, 8, "脚注 [^b] 没有内容") in messages
    assert (5, 13, "脚注 [^a] 被引用了两次") in messages
    assert (8, 1, "脚注 [^c] 有内容但正文中没有引用") in messages
    assert (9, 1, "脚注 [^c] 重复定义，首次在第 8 行") in messages


def test_editor_note_and_box_blocks():
    html = to_html("::: 编者按\n按语正文。\n:::\n\n::: 框 【快报延伸】\n延伸内容。\n:::\n").html
    assert ('<div class="editor-note" id="b-L1"><p><span class="editor-note-label press-generated">编者按：</span>'
            "按语正文。</p>") in html
    assert '<aside class="box box-short" id="b-L5"><p class="box-title">【快报延伸】</p>' in html


def test_a_box_of_a_few_lines_is_marked_short_and_a_long_one_or_one_with_a_table_is_not():
    short = to_html("::: 框 【延伸】\n" + "内容。" * 60 + "\n\n第二段。\n:::\n").html  # 1 + 5 + 1 lines
    assert '<aside class="box box-short" id="b-L1">' in short
    long = to_html("::: 框 【延伸】\n" + "内容。" * 100 + "\n\n第二段。\n:::\n").html  # 1 + 8 + 1
    assert '<aside class="box" id="b-L1">' in long
    table = to_html("::: 框\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n:::\n").html
    assert '<aside class="box" id="b-L1">' in table


def test_lone_image_becomes_a_figure_with_its_caption():
    markup = to_html("前文。\n\n![图 1 销售额占比](chart.svg)\n", line_offset=10)
    assert ('<figure class="figure" id="b-L13"><img src="chart.svg" alt="图 1 销售额占比" id="b-L13-image">'
            '<figcaption id="b-L13-caption">图 1 销售额占比</figcaption></figure>') in markup.html
    assert markup.images == [("chart.svg", 13)]


@pytest.mark.parametrize("block, width", [("{width=60%}", "60%"), ("{width=80mm}", "80mm"),
                                          ('{ width = "8.5cm" }', "8.5cm"), ("{WIDTH=100%}", "100%")])
def test_an_attribute_block_after_a_figure_sets_its_width_and_prints_nothing(block, width):
    markup = to_html(f"![图 1 销售额占比](chart.svg){block}\n")
    assert markup.problems == []
    assert (f'<figure class="figure" id="b-L1" style="--figure-width: {width}"><img src="chart.svg" '
            'alt="图 1 销售额占比" id="b-L1-image"><figcaption id="b-L1-caption">图 1 销售额占比</figcaption>'
            ) in markup.html
    assert "{" not in markup.html and "width=" not in markup.html


@pytest.mark.parametrize("source, column, message", [
    ("![图 1](a.svg){width=60}", 14, "图片属性 {width=60} 无法识别"),
    ("![图 1](a.svg){width=0%}", 14, "图片属性 {width=0%} 无法识别"),
    ("![图 1](a.svg){width=120%}", 14, "图片属性 {width=120%} 无法识别"),
    ("![图 1](a.svg){height=50mm}", 14, "图片属性 {height=50mm} 无法识别"),
    ("![图 1](a.svg){width=60% .wide}", 14, "图片属性 {width=60% .wide} 无法识别"),
    ("![图 1](a.svg){width=60%", 14, "图片后的属性块没有结束的 }"),
    ("![图 1](a.svg) {width=60%}", 15, "图片与其后的属性块之间不能有空格"),
])
def test_a_malformed_attribute_block_is_an_input_error_at_its_line(source, column, message):
    problems = to_html("前文。\n\n" + source + "\n", line_offset=4).problems
    assert [(line, col, text.split(" (")[0]) for line, col, text, _ in problems] == [(7, column, message)]


def test_with_picture_sizes_hands_the_natural_size_to_the_style():
    from press.markup import with_picture_sizes

    html = to_html("![图 1](%E5%9B%BE%201.svg){width=60%}\n\n![图 2](b.png)\n\n![图 3](c.png)\n").html
    sized = with_picture_sizes(html, {"%E5%9B%BE%201.svg": (480.0, 270.0), "b.png": (1000.0, 500.0)})
    assert ('<figure class="figure" id="b-L1" style="--figure-width: 60%; --picture-width: 480.00px; '
            '--picture-ratio: 1.7778"><img src="%E5%9B%BE%201.svg"') in sized
    assert '<figure class="figure" id="b-L3" style="--picture-width: 1000.00px; --picture-ratio: 2.0000">' in sized
    assert '<figure class="figure" id="b-L5"><img src="c.png"' in sized  # no size known: the style's defaults


def test_sub_superscript_italics_and_tables():
    html = to_html("LiCoO~2~ 与 SSAB Zero^®^，*Science*。\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n").html
    assert "LiCoO<sub>2</sub>" in html and "Zero<sup>®</sup>" in html
    assert "<em>Science</em>" in html
    assert "<table" in html and "<td>2</td>" in html


def test_raw_html_is_escaped_not_rendered():
    html = to_html('<script>alert(1)</script>\n\n正文 <b onclick="x">粗</b>。\n').html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b " not in html


def test_headings_shift_below_the_article_title_and_depth_is_limited():
    markup = to_html("# 一级\n\n## 二级\n\n#### 四级\n")
    assert '<h3 class="subhead subhead-1" id="b-L1">一级</h3>' in markup.html
    assert '<h4 class="subhead subhead-2" id="b-L3">二级</h4>' in markup.html
    assert [line for line, *_ in markup.problems] == [5]


def test_empty_body_is_a_problem():
    assert to_html("\n\n", line_offset=4).problems[0][:2] == (5, 1)


def test_blocks_are_listed_in_order_with_their_file_lines():
    markup = to_html("甲。\n\n# 乙\n\n丙。\n", line_offset=5, block_prefix="article-x")
    assert markup.blocks == ["article-x-L6", "article-x-L8", "article-x-L10"]


def test_a_table_title_above_a_table_is_its_caption():
    html = to_html("表 1 七个项目\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n表示同意。\n").html
    assert '<table id="b-L3">\n<caption class="table-caption">表 1 七个项目</caption>' in html
    assert '<p id="b-L7">表示同意。</p>' in html


@pytest.mark.parametrize("source, emphasis", [
    ("报告指出**《关键原材料法案》**将于明年生效。", "<strong>《关键原材料法案》</strong>"),
    ("他说：**“这是重点。”**随后离开。", "<strong>“这是重点。”</strong>"),
    ("该项目*（试点阶段）*已启动。", "<em>（试点阶段）</em>"),
    ("，**“双碳”目标**已写入规划。", "<strong>“双碳”目标</strong>"),
    ("**重点**是中**文**字", "<strong>重点</strong>是中<strong>文</strong>字"),
])
def test_emphasis_opens_and_closes_beside_chinese_punctuation(source, emphasis):
    html = to_html(source).html
    assert emphasis in html and "*" not in html


def test_emphasis_rules_stay_commonmark_elsewhere():
    assert to_html("x * y * z，价格_涨_了").html.strip() == '<p id="b-L1">x * y * z，价格_涨_了</p>'


def test_html_comments_are_notes_to_self_never_printed_and_lines_still_count():
    markup = to_html("正文<!-- 编辑备注：核实数字 -->继续。\n\n<!--\n多行\n备注\n-->\n\n第二段。\n\n"
                     "```\n<!-- 代码里的 -->\n```\n")
    assert "编辑备注" not in markup.html and "多行" not in markup.html and "正文继续。" in markup.html
    assert markup.blocks == ["b-L1", "b-L8", "b-L10"] and "&lt;!-- 代码里的 --&gt;" in markup.html


def body_of(markdown: str) -> str:
    """The HTML of a one-paragraph body, without the paragraph's tags."""
    html = to_html(markdown).html
    assert html.startswith('<p id="b-L1">') and html.endswith("</p>\n"), html
    return html[len('<p id="b-L1">'):-len("</p>\n")]


@pytest.mark.parametrize("source, html", [
    ("用 `<!--` 开始注释，用 `-->` 结束注释", "用 <code>&lt;!--</code> 开始注释，用 <code>--&gt;</code> 结束注释"),
    ("代码 ``<!--\n注释`` 与 `-->` 并存",  # across a line end
     "代码 <code>&lt;!-- 注释</code> 与 <code>--&gt;</code> 并存"),
    ("用 ``a ` <!-- b`` -->c", "用 <code>a ` &lt;!-- b</code> --&gt;c"),  # runs of equal length
    ("`甲<!-- 注 -->乙` 与 <!-- 注 -->丙", "<code>甲&lt;!-- 注 --&gt;乙</code> 与 丙"),
    ("甲 <!-- 注 `代码` 在注释里 -->乙 `丙`", "甲 乙 <code>丙</code>"),  # the first to open wins
    ("\\`<!-- 注 -->`", "``"),  # an escaped backtick opens no code span
    ("\\<!-- 注 -->", "&lt;!-- 注 --&gt;"),  # nor an escaped < a comment
    ("<https://a.example/`x> <!-- 注 --> `y`",
     '<a href="https://a.example/%60x">https://a.example/`x</a>  <code>y</code>'),
    ("A <!--> B 或者 C --> D", "A  B 或者 C --&gt; D"),  # <!--> and <!---> are whole (empty) comments
    ("A <!---> B 或者 C --> D", "A  B 或者 C --&gt; D"),
    ("甲<!---->乙<!-- a --->丙", "甲乙丙"),
    ("<!-- 未完的注释\n正文", "&lt;!-- 未完的注释正文"),  # never closed: no comment, printed as typed
])
def test_html_comments_follow_commonmark_and_code_spans_keep_theirs(source, html):
    assert body_of(source) == html


def test_a_code_span_does_not_run_across_a_blank_line():
    html = to_html("`甲 <!-- 注 -->\n\n乙`").html
    assert html == '<p id="b-L1">`甲</p>\n<p id="b-L3">乙`</p>\n'


def test_code_blocks_keep_their_comments_fenced_anywhere_or_indented():
    assert to_html("正文。\n\n    <!-- 缩进代码 -->\n").html.endswith("<code>&lt;!-- 缩进代码 --&gt;\n</code></pre>\n")
    quoted = to_html("> ```\n> <!-- 引用里的代码 -->\n> ```").html
    assert "<code>&lt;!-- 引用里的代码 --&gt;\n</code>" in quoted
    assert "&lt;!-- 代码 --&gt;" in to_html("- 项\n\n  ~~~\n  <!-- 代码 -->\n  ~~~").html
    assert "&lt;!-- x --&gt;" in to_html("````\n```\n<!-- x -->\n```\n````").html  # a longer fence closes later


def test_a_list_items_paragraph_indented_four_spaces_is_no_code_block():
    assert to_html("1. 甲\n\n    续<!-- 注 -->段").html == (
        '<ol id="b-L1">\n<li>\n<p>甲</p>\n<p>续段</p>\n</li>\n</ol>\n')


def test_a_comment_that_starts_a_line_is_a_block_across_blank_lines_and_code_fences():
    markup = to_html("<!-- 甲\n\n乙 -->\n正文。\n\n<!--\n```\n-->\n正文<!-- 注 -->。\n")
    assert markup.html == '<p id="b-L4">正文。</p>\n<p id="b-L9">正文。</p>\n'


def test_an_inline_comment_ends_within_its_paragraph():
    html = to_html("正文 <!-- 备注\n# 标题 -->").html  # the heading ends the paragraph: no comment
    assert html == ('<p id="b-L1">正文 &lt;!-- 备注</p>\n'
                    '<h3 class="subhead subhead-1" id="b-L2">标题 --&gt;</h3>\n')
    cells = to_html("| 甲<!-- 注 --> | 乙 <!-- 跨 | 列 --> |\n| --- | --- | --- |\n| 1 | 2 | 3 |").html
    assert "<th>甲</th>\n<th>乙 &lt;!-- 跨</th>\n<th>列 --&gt;</th>" in cells


def test_a_comment_keeps_its_line_ends_and_the_quote_marks_of_its_lines():
    html = to_html("> 甲 <!-- 注\n> 续 --> 乙\n>\n> 丙\n\n正文").html
    assert html == ('<blockquote id="b-L1">\n<p>甲乙</p>\n<p>丙</p>\n</blockquote>\n'
                    '<p id="b-L6">正文</p>\n')


def test_a_comment_before_a_block_leaves_the_block():
    html = to_html("<!-- 待核实 -->::: 框 【快报延伸】\n内容。\n:::\n").html
    assert html == ('<aside class="box box-short" id="b-L1"><p class="box-title">【快报延伸】</p><p>内容。</p>\n'
                    '</aside>\n')


@pytest.mark.parametrize("body", [
    "正文。\n\n    [^9] 缩进的代码\n",
    "- 项\n  - 子项\n\n    ```\n    [^9]\n    ```\n",  # a fence four spaces in, in a nested list
    "> ```\n> [^9]\n> ```\n",
    "````\n```\n[^9]\n```\n````\n",  # a longer fence is closed only by one as long
    "````\n```\n::: 杂谈\n```\n````\n",
])
def test_a_footnote_call_or_a_block_fence_in_any_code_block_is_code(body):
    assert to_html(body).problems == []


def test_bold_opens_and_closes_beside_chinese_punctuation_and_latin_letters():
    html = to_html("**一是“尺寸”和“质量”并重。**SiC 器件，S**“重点”**与**碱性电解（ALK）**：说。\n").html
    assert "<strong>一是“尺寸”和“质量”并重。</strong>SiC" in html
    assert "S<strong>“重点”</strong>与<strong>碱性电解（ALK）</strong>：" in html


def test_a_line_end_beside_a_chinese_quote_or_full_width_mark_prints_nothing():
    html = to_html("::: 编者按\n提升“竞争力”\n放进报告，认为，\n2030 年前，\n“新质生产力”\n落地。\n:::\n").html
    assert "提升“竞争力”放进报告，认为，2030 年前，“新质生产力”落地。" in html
    assert to_html("He said “yes”\nand left.\n").html == '<p id="b-L1">He said “yes”\nand left.</p>\n'
