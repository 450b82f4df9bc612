"""press lint: each rule flags (line:col, rule id), fixes, and leaves alone what is not prose."""

import pytest
from click.testing import CliRunner

from press.cli import main
from press.lint import Source, fix_issue, lint_issue, structure, url_problem
from press.markup import to_html
from tests.conftest import SAMPLE, article, with_editor_note

FIRST = 6  # the first body line of a file made by `article`


def lint_body(make_issue, body: str) -> list[tuple[int, int, str]]:
    folder = make_issue({"a.md": article("标题", body)})
    return [(finding.line, finding.column, finding.rule) for finding in lint_issue(folder)]


def fix_body(make_issue, body: str) -> str:
    folder = make_issue({"a.md": article("标题", body)})
    fix_issue(folder)
    return (folder / "a.md").read_text(encoding="utf-8").split("---\n\n", 1)[1].rstrip("\n")


FLAGGED = [  # rule, body, where (line, column) of each finding, the body after --fix
    ("halfwidth-punct", "中国,美国;日本", [(FIRST, 3), (FIRST, 6)], "中国，美国；日本"),
    ("halfwidth-punct", "步骤(1)完成", [(FIRST, 3), (FIRST, 5)], "步骤（1）完成"),
    ("halfwidth-punct", "碳化硅 (SiC) 器件", [(FIRST, 5), (FIRST, 9)], "碳化硅（SiC）器件"),
    ("halfwidth-punct", "论文（文章标题: Two-dimensional materials）",
     [(FIRST, 8)], "论文（文章标题：Two-dimensional materials）"),
    ("halfwidth-punct", "*Science* (文章标题)", [(FIRST, 11), (FIRST, 16)], "*Science*（文章标题）"),
    ("halfwidth-punct", "工艺 (R2R) 联盟", [(FIRST, 4), (FIRST, 8)], "工艺（R2R）联盟"),  # Latin between two Han
    ("halfwidth-punct", "美国(USA)发布", [(FIRST, 3), (FIRST, 7)], "美国（USA）发布"),
    ("halfwidth-punct", "氮化镓 (GaN) HEMT 器件", [(FIRST, 5), (FIRST, 9)], "氮化镓（GaN）HEMT 器件"),  # Han, Latin
    ("halfwidth-punct", "采用 GaN(氮化镓) 器件", [(FIRST, 7), (FIRST, 11)], "采用 GaN（氮化镓）器件"),  # encloses Han
    ("halfwidth-punct", "W/(m·K),其中", [(FIRST, 8)], "W/(m·K)，其中"),  # the unit's brackets stay
    ("mixed-forms", "## （1）甲\n\n## (2) 乙", [(FIRST + 2, 4)], "## （1）甲\n\n## （2）乙"),
    ("mixed-forms", "## （1）甲\n\n## ⑵ 乙", [(FIRST + 2, 4)], "## （1）甲\n\n## （2）乙"),
    ("straight-quotes", "他说\"你好\"，又说'再见'。", [(FIRST, 3), (FIRST, 6), (FIRST, 10), (FIRST, 13)],
     "他说“你好”，又说‘再见’。"),
    ("straight-quotes", "美国 \"芯片法案\" 规定", [(FIRST, 4), (FIRST, 9)], "美国“芯片法案”规定"),
    ("fullwidth-alnum", "型号ＡＢ１", [(FIRST, 3), (FIRST, 4), (FIRST, 5)], "型号 AB1"),
    ("han-latin-space", "采用GaN器件", [(FIRST, 2), (FIRST, 5)], "采用 GaN 器件"),
    ("han-latin-space", "资助2300万英镑", [(FIRST, 2), (FIRST, 6)], "资助 2300 万英镑"),
    ("han-latin-space", "采用  GaN\u3000器件", [(FIRST, 3), (FIRST, 8)], "采用 GaN 器件"),
    ("han-latin-space", "二维MoS~2~材料", [(FIRST, 2), (FIRST, 7)], "二维 MoS~2~ 材料"),
    ("han-latin-space", "采用**GaN**器件，**氮化镓**GaN", [(FIRST, 2), (FIRST, 7), (FIRST, 17)],
     "采用 **GaN** 器件，**氮化镓** GaN"),
    ("halfwidth-punct", "甲 `乙\n丙` 中国,美国 `丁`", [(FIRST + 1, 6)], "甲 `乙\n丙` 中国，美国 `丁`"),  # code spans
    ("halfwidth-punct", "| `中国 | 美国,日本` |\n| --- | --- |", [(FIRST, 11)],  # end at a cell's edge
     "| `中国 | 美国，日本` |\n| --- | --- |"),
]


@pytest.mark.parametrize(("rule", "body", "where", "after"), FLAGGED)
def test_rule_flags_where_and_fixes(make_issue, rule, body, where, after):
    assert lint_body(make_issue, body) == [(line, column, rule) for line, column in where]
    assert fix_body(make_issue, body) == after


NOT_FLAGGED = [
    "*Two-dimensional materials, by Smith*。Smith (2024) said: \"yes\", it's fine!",
    "比例 3:1，小数 3.14，时间 10:30，增长 25%，1,000 吨，2×2 阵列，1000-3500 个。",
    "H~2~O 与 MoS~2~ 的 Ru~2~Si~x~O~y~ 材料，SSAB Zero^®^ 钢，活化能 E~激活~ 较高，10^6^ 吨。",
    "见 <https://example.com/a,b(c)> 与 https://example.com/路径 和 [链接](https://example.com/?a=1,2)。",
    "`中国,美国` 与 ``采用GaN``",
    "见 `中国,\n美国` 的写法，``代码 `甲,乙`\n丙``。",  # a code span runs across a paragraph's lines
    "```\n中国,美国\"你好\"\n```\n\n    采用GaN器件(1)",
    "::: 编者按\n正文。\n:::\n\n::: 框 【快报延伸】\n正文。\n:::",
    "| 甲 | 乙 |\n| --- | --- |\n| 1 | AMP 公司 |",
    "1) 第一项\n2) 第二项",
    "正文[^a]。\n\n[^a]: Title: subtitle, 2024. <https://example.com/x?a=1>",
    "转义 \\(不改\\)，实体 &amp;中文，见 https://localhost。",
    # a formula's or unit's brackets, attached to a letter, digit or symbol outside them
    "导热系数为 0.5 W/(m·K)，摩尔热容 J/(mol·K)，剂量 mg/(kg·d)。",
    "析出 Ni~3~(Ti, Al) 相，生成 Ca(OH)~2~ 与 (Al,Ga)N 材料，函数 f(x) 与 g(2)，见（1）。",
    # the brackets of Latin text: a Latin word or digit before them
    "收录于 International Electron Devices Meeting (IEDM 2024) 论文集，见 Nature (2024)。",
]


@pytest.mark.parametrize("body", NOT_FLAGGED)
def test_not_flagged(make_issue, body):
    assert lint_body(make_issue, body) == []


@pytest.mark.parametrize(("body", "columns", "after"), [
    ("日本发布「第7次エネルギー基本計画」，2025年实施", [23], "日本发布「第7次エネルギー基本計画」，2025 年实施"),
    ("日本发布“第7次エネルギー基本計画”，2025年实施", [23], "日本发布“第7次エネルギー基本計画”，2025 年实施"),
    ("日本发布\"第7次エネルギー基本計画\"", [], "日本发布“第7次エネルギー基本計画”"),  # the quotes are fixed
    ("见《第7次エネルギー基本計画（2025年）》", [], None),  # a phrase inside Japanese text is Japanese
    ("（日本于2025年发布『第7次エネルギー基本計画』）", [4, 8], "（日本于 2025 年发布『第7次エネルギー基本計画』）"),
    ("“第7次会议”与「第8次」", [2, 3, 10, 11], "“第 7 次会议”与「第 8 次」"),  # no kana: Chinese
])
def test_japanese_text_takes_no_han_latin_space(make_issue, body, columns, after):
    assert [finding for finding in lint_body(make_issue, body) if finding[2] == "han-latin-space"] == [
        (FIRST, column, "han-latin-space") for column in columns]
    assert fix_body(make_issue, body) == (body if after is None else after)


def test_chinese_enumerators_are_still_mixed_forms_beside_formulae(make_issue):
    body = "步骤(1)完成，函数 f(2) 的值；（3）下一步。\n\n## (4) 目标"
    assert lint_body(make_issue, body) == [(FIRST, 3, "mixed-forms"), (FIRST + 2, 4, "mixed-forms")]
    assert fix_body(make_issue, body) == "步骤（1）完成，函数 f(2) 的值；（3）下一步。\n\n## （4）目标"


def test_mixed_forms_are_counted_across_the_issue(make_issue):
    folder = make_issue({"a.md": article("甲", "# （1）甲"), "b.md": article("乙", "# (2) 乙")})
    assert [(f.path.name, f.line, f.column, f.rule) for f in lint_issue(folder)] == [
        ("b.md", FIRST, 3, "mixed-forms")]


def test_unpaired_straight_quotes_are_reported_not_fixed(make_issue):
    body = "他说\"你好。"
    assert lint_body(make_issue, body) == [(FIRST, 3, "straight-quotes")]
    assert fix_body(make_issue, body) == body


@pytest.mark.parametrize(("body", "column", "gloss"), [
    ("见 <http:/example.com>。", 4, "missing //"),
    ("见 <https://>。", 4, "no host"),
    ("见 <https://例子．com>。", 14, "full-width character"),
    ("见 <https://example.com/a(b>。", 4, "unbalanced brackets"),
    ("见 [链接](https://exa mple.com)。", 19, "contains a space"),
])
def test_url_malformed(make_issue, body, column, gloss):
    folder = make_issue({"a.md": article("标题", body)})
    findings = [finding for finding in lint_issue(folder) if finding.rule != "syntax-printed"]
    assert [(f.line, f.column, f.rule) for f in findings] == [(FIRST, column, "url-malformed")]
    assert gloss in findings[0].message
    fix_issue(folder)
    assert body in (folder / "a.md").read_text(encoding="utf-8")


def test_url_problem_accepts_real_urls():
    for url in ["https://www.whitehouse.gov/ostp/news-updates/2024/03/15/x/", "http://中国.cn/路径",
                "https://example.com:8080/a_(b)", "mailto:editor@example.com", "doi:10.1000/182"]:
        assert url_problem(url) is None, url


def test_markdown_the_build_would_print_as_typed_is_a_finding(make_issue):
    folder = make_issue({"a.md": article("标题", "见 [链接](https://exa mple.com)。\n\n**没有成对的强调*。")})
    findings = lint_issue(folder)
    assert [(f.line, f.column, f.rule) for f in findings] == [
        (FIRST, 1, "syntax-printed"), (FIRST, 19, "url-malformed"), (FIRST + 2, 1, "syntax-printed")]


def test_footnote_problems_are_findings_not_load_errors(make_issue):
    folder = make_issue({"a.md": article("标题", "正文[^9]。\n\n另一段。\n\n[^1]: 没有引用。")})
    findings = lint_issue(folder)
    assert [(f.line, f.column, f.rule) for f in findings] == [
        (FIRST, 3, "footnote-missing"), (FIRST + 4, 1, "footnote-unused")]
    assert "脚注 [^9] 没有内容 (footnote call without text)" in str(findings[0])


def test_a_fix_that_would_change_the_markdown_is_not_made(make_issue):
    body = "记为 X^中A^。"  # a space inside ^…^ would end the superscript
    assert lint_body(make_issue, body) == [(FIRST, 6, "han-latin-space")]
    assert fix_body(make_issue, body) == body


@pytest.mark.parametrize(("body", "where", "after"), [
    ("<!-- 待核实 -->::: 框 【快报延伸】\n正文。\n:::", [], None),  # the build reads a ::: block, not a paragraph
    ("<!-- 注 -->中国,美国", [(FIRST, 13, "halfwidth-punct")], "<!-- 注 -->中国，美国"),
    ("<!--\n多行\n-->中国,美国", [(FIRST + 2, 6, "halfwidth-punct")], "<!--\n多行\n-->中国，美国"),
    ("采用<!-- 注 -->GaN器件", [(FIRST, 2, "han-latin-space"), (FIRST, 15, "han-latin-space")],
     "采用<!-- 注 --> GaN 器件"),  # the build reads 采用GaN
    ("中国 <!-- 注 --> ,美国", [(FIRST, 15, "halfwidth-punct")], "中国，<!-- 注 -->美国"),  # the note stays whole
    ("用 `<!--` 开始,用 `-->` 结束", [(FIRST, 12, "halfwidth-punct")], "用 `<!--` 开始，用 `-->` 结束"),
    ("A <!--> 中国,美国 --> D", [(FIRST, 2, "han-latin-space"), (FIRST, 11, "halfwidth-punct")],
     "A <!-->中国，美国 --> D"),
])
def test_lint_reads_the_text_the_build_reads_without_comments(make_issue, body, where, after):
    assert lint_body(make_issue, body) == where
    assert fix_body(make_issue, body) == (body if after is None else after)


def test_a_fix_that_would_change_what_the_build_reads_behind_a_comment_is_not_made(make_issue):
    body = "１２<!-- -->1. 第一项"  # 12<!-- -->1. would be the list item 121.
    assert lint_body(make_issue, body) == [(FIRST, 1, "fullwidth-alnum"), (FIRST, 2, "fullwidth-alnum")]
    fixed = fix_body(make_issue, body)
    assert fixed == "1２<!-- -->1. 第一项" and "<ol" not in to_html(fixed).html


@pytest.mark.parametrize(("before", "after"), [
    ("见 `中国,美国`", "见 `中国，美国`"),
    ("```\n中国,美国\n```", "```\n中国，美国\n```"),
    ("[链接](https://example.com/a,b)", "[链接](https://example.com/a，b)"),
    ("::: 框 【延伸】\n正文\n:::", "::: 框 【延伸 】\n正文\n:::"),
    ("正文<!-- 注:核实 -->", "正文<!-- 注：核实 -->"),
])
def test_the_guard_holds_code_link_targets_block_names_and_comments(before, after):
    front = "---\ntitle: 标题\nsection: 专题\n---\n\n"
    assert structure(front + before) != structure(front + after)


def test_front_matter_title_is_checked_and_fixed_keeping_the_yaml(make_issue):
    folder = make_issue({"a.md": article("美发布GaN报告", "正文。"),
                         "b.md": "---\ntitle: '美国,芯片'  # 注释\nsection: 专题\n---\n\n正文。\n"})
    assert [(f.path.name, f.line, f.column, f.rule) for f in lint_issue(folder)] == [
        ("a.md", 2, 10, "han-latin-space"), ("a.md", 2, 13, "han-latin-space"),
        ("b.md", 2, 11, "halfwidth-punct")]
    fixed, remaining = fix_issue(folder)
    assert (fixed, remaining) == (3, [])
    assert (folder / "a.md").read_text(encoding="utf-8").startswith("---\ntitle: 美发布 GaN 报告\n")
    assert (folder / "b.md").read_text(encoding="utf-8").startswith("---\ntitle: '美国，芯片'  # 注释\n")


def test_fix_keeps_bom_line_ends_and_every_other_byte(make_issue):
    folder = make_issue({})
    raw = "\ufeff---\r\ntitle: 标题\r\nsection: 专题\r\n---\r\n\r\n中国,美国\r\n\r\n采用GaN器件 <https://a.org/x,y>"
    (folder / "a.md").write_bytes(raw.encode("utf-8"))
    (folder / "issue.yaml").write_text("year: 2024\nnumber: 5\ndate: 2024-05-01\narticles: [a.md]\n")
    assert fix_issue(folder) == (3, [])
    assert (folder / "a.md").read_bytes() == raw.replace("中国,美国", "中国，美国").replace(
        "采用GaN器件", "采用 GaN 器件").encode("utf-8")


def test_fix_is_idempotent(make_issue):
    body = "3月15日,美国(USA)发布ＡＩ战略\"草案\"。\n\n## (1) 目标\n\n## （2）措施"
    folder = make_issue({"a.md": article("美发布AI战略", body)})
    fixed, remaining = fix_issue(folder)
    assert fixed > 0 and remaining == []
    once = (folder / "a.md").read_bytes()
    assert fix_issue(folder) == (0, [])
    assert (folder / "a.md").read_bytes() == once


def test_source_maps_offsets_to_raw_text():
    source = Source.of("\ufeffa\r\nb\rc\nd")
    assert source.text == "a\nb\nc\nd"
    assert source.raw_offset(source.text.index("d")) == source.raw.index("d")


def test_lint_reads_line_ends_as_the_build_does(make_issue):
    source = Source.of("a\u2028b\x0bc\x85d\u2029e")  # Word's soft return, line separators
    assert source.text == "a\nb\nc\nd\ne" and source.raw_offset(source.text.index("e")) == source.raw.index("e")
    assert lint_body(make_issue, "甲\u2028中国,美国") == [(FIRST + 1, 3, "halfwidth-punct")]
    body = "正文\u20281) 第一项"  # the build reads a list here: its marker is no bracket in Chinese text
    assert lint_body(make_issue, body) == []
    assert fix_body(make_issue, body) == body


def test_the_sample_issue_is_clean():
    assert lint_issue(SAMPLE) == []


# The command -------------------------------------------------------------------------------------


def test_cli_exit_zero_when_clean(make_issue):
    folder = make_issue({"a.md": article("标题", "采用 GaN 器件。")})
    result = CliRunner().invoke(main, ["lint", str(folder)])
    assert result.exit_code == 0, result.output
    assert "未发现问题 (no findings)" in result.output


def test_cli_exit_one_with_findings_relative_to_the_working_folder(make_issue, tmp_path, monkeypatch):
    make_issue({"a.md": article("标题", "中国,美国")})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["lint", "issues/2024-05"])
    assert result.exit_code == 1
    assert result.stdout == ("issues/2024-05/a.md:6:3: 中文里的半角标点 , 应为全角 ， "
                             "(half-width punctuation in Chinese text) [halfwidth-punct]\n")
    assert "1 处待改 (1 finding)" in result.output


def test_cli_fix_lists_only_what_remains(make_issue):
    folder = make_issue({"a.md": article("标题", "中国,美国。他说\"你好。")})
    result = CliRunner().invoke(main, ["lint", "--fix", str(folder)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{folder / 'a.md'}:6:9: 直引号 \" 无法配对，请改为 “ 或 ” "
        "(straight quote in Chinese text; cannot pair it) [straight-quotes]"]
    assert "已修正 1 处 (1 fixed)；1 处待改 (1 finding)" in result.output
    again = CliRunner().invoke(main, ["lint", "--fix", str(folder)])
    assert "已修正 0 处" in again.output


def test_cli_fix_exit_zero_when_all_fixed(make_issue):
    folder = make_issue({"a.md": article("标题", "采用GaN器件")})
    result = CliRunner().invoke(main, ["lint", "--fix", str(folder)])
    assert result.exit_code == 0, result.output
    assert "已修正 2 处 (2 fixed)；0 处待改 (0 findings)" in result.output


@pytest.mark.parametrize("files", [{"a.md": "---\ntitle: 标题\nsection: 杂谈\n---\n\n正文,x[^9]。\n"}, {}])
def test_cli_exit_two_when_the_issue_cannot_be_loaded(make_issue, tmp_path, files):
    folder = make_issue(files) if files else tmp_path / "nowhere"
    before = {path: path.read_bytes() for path in folder.glob("*")}
    result = CliRunner().invoke(main, ["lint", "--fix", str(folder)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output
    assert {path: path.read_bytes() for path in folder.glob("*")} == before


def test_a_newsletter_in_another_language_gets_no_rules_of_chinese_punctuation(make_issue):
    settings = make_issue.settings
    settings.write_text(settings.read_text(encoding="utf-8") + "language: en-US\n", encoding="utf-8")
    body = 'CATL (宁德时代) said: "exports fell." See 公告2024年第33号 and (1) below.\n'
    folder = make_issue({"a.md": article("An English newsletter", body)})
    assert {finding.rule for finding in lint_issue(folder)} == {"han-latin-space"}
    fix_issue(folder)
    assert 'CATL (宁德时代) said: "exports fell."' in (folder / "a.md").read_text(encoding="utf-8")


def test_the_editors_note_is_linted_and_fixed_first_with_or_without_front_matter(make_issue):
    folder = with_editor_note(make_issue({"a.md": article("标题", "采用GaN器件")}), "本期导读,采用SiC器件。\n")
    found = [(finding.path.name, finding.line, finding.column, finding.rule) for finding in lint_issue(folder)]
    assert found[:3] == [("editor-note.md", 1, 5, "halfwidth-punct"), ("editor-note.md", 1, 7, "han-latin-space"),
                         ("editor-note.md", 1, 10, "han-latin-space")]
    assert found[3][0] == "a.md"
    fix_issue(folder)
    assert (folder / "editor-note.md").read_text(encoding="utf-8") == "本期导读，采用 SiC 器件。\n"
