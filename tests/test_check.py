"""`press check`: the report, its formats and options; typography failures on a raw WeasyPrint build.

The structural checks, one broken variant each, are in test_structure.py.
"""

import json
import os
import re
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest
from click.testing import CliRunner

from press import justify, render
from press.build import build
from press.check import RULE_IDS, check_pdf
from press.cli import main
from tests.conftest import ROOT, SAMPLE, article, with_editor_note

TYPOGRAPHY = ["justify", "line-break", "punct-squeeze", "han-latin-gap", "page-breaks", "overflow"]
SOURCE_ONLY = {"article-order", "section-headings", "footnote-count", "text", "figures", "table-wrap"}


@pytest.fixture(scope="module")
def raw_sample(tmp_path_factory):
    """The sample built with WeasyPrint's own line layout and without press's text rules."""
    patch = pytest.MonkeyPatch()
    patch.setattr(justify, "install", justify.uninstall)
    patch.setattr(render, "apply_text_rules", lambda html: html)
    try:
        return build(SAMPLE, tmp_path_factory.mktemp("raw") / "raw.pdf").path
    finally:
        patch.undo()
        justify.install()


def invoke(*arguments):
    return CliRunner().invoke(main, ["check", *map(str, arguments)])


def test_the_sample_meets_every_typography_bar(sample_build):
    checks = check_pdf(sample_build.path, only=TYPOGRAPHY).checks
    assert [check.id for check in checks] == TYPOGRAPHY
    failed = {check.id: check.failures[:3] for check in checks if not check.passed}
    assert failed == {}
    values = {check.id: check.value for check in checks}
    assert values["justify"] >= 0.98 and values["punct-squeeze"] >= 0.9 and values["han-latin-gap"] >= 0.95
    assert values["line-break"] == 0 and values["overflow"] == 0


def test_raw_weasyprint_misses_the_bars_and_the_report_says_where(raw_sample):
    result = invoke(raw_sample)
    assert result.exit_code == 1
    assert "FAIL justify" in result.output
    assert "FAIL punct-squeeze" in result.output
    assert "FAIL han-latin-gap" in result.output
    assert "page 1: " in result.output
    assert "of 23 checks passed. Not run without --issue: article-order" in result.output.splitlines()[-1]


def test_json_report_follows_its_schema_and_lists_every_failure(raw_sample):
    result = invoke("--json", raw_sample)
    report = json.loads(result.output)
    schema = json.loads(resources.files("press").joinpath("check-report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    assert report["passed"] is False and report["issue"] is None
    by_id = {check["id"]: check for check in report["checks"]}
    assert set(by_id) == set(RULE_IDS) - SOURCE_ONLY
    assert by_id["punct-squeeze"]["value"] == 0.0
    assert by_id["punct-squeeze"]["failures"][0]["page"] == "1"
    assert {item["id"] for item in report["not_run"]} == SOURCE_ONLY


def test_the_sample_passes_on_the_command_line_against_its_source(sample_build):
    result = invoke(sample_build.path, "--issue", SAMPLE)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("29 of 29 checks passed.")


def test_json_with_the_source_follows_the_schema_too(sample_build):
    report = json.loads(invoke(sample_build.path, "--issue", SAMPLE, "--format", "json").output)
    schema = json.loads(resources.files("press").joinpath("check-report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    assert report["passed"] is True and report["not_run"] == [] and len(report["checks"]) == len(RULE_IDS)


def test_github_format_puts_each_failure_at_its_source_line(make_issue, sample_build):
    make_issue.use_sample_settings()
    folder = make_issue.copy_sample()
    path = folder / "03-doc-intel-chips.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:12] + lines[14:]), encoding="utf-8")
    result = invoke(sample_build.path, "--issue", folder, "--format", "github")
    assert result.exit_code == 1
    [annotation] = [line for line in result.output.splitlines() if line.startswith("::error")]
    assert annotation.startswith("::error file=")
    assert ("03-doc-intel-chips.md,line=13,title=press check text::page 4: 107 characters not in the source"
            in annotation)
    assert result.output.splitlines()[-1] == "28 of 29 checks passed."


def test_only_and_skip_choose_checks_by_identifier(sample_build):
    only = json.loads(invoke(sample_build.path, "--json", "--only", "fonts,metadata", "--only", "toc-page").output)
    assert [check["id"] for check in only["checks"]] == ["toc-page", "fonts", "metadata"]
    skipped = json.loads(invoke(sample_build.path, "--json", "--issue", SAMPLE, "--skip", "text").output)
    assert "text" not in [check["id"] for check in skipped["checks"]]
    assert skipped["not_run"] == [{"id": "text", "reason": "skipped (--skip)"}]


def test_an_unknown_identifier_is_a_usage_error(sample_build):
    result = invoke(sample_build.path, "--only", "toc-pages")
    assert result.exit_code == 2
    assert "unknown check toc-pages; known: page-size" in result.output


def test_bars_in_the_settings_change_thresholds_and_unknown_ones_are_named(make_issue, sample_build):
    make_issue.use_sample_settings("check:\n  bars:\n    justify: 1.01\n")
    folder = make_issue.copy_sample()
    result = invoke(sample_build.path, "--issue", folder, "--only", "justify")
    assert result.exit_code == 1 and "FAIL justify" in result.output and "bar ≥ 101%" in result.output
    make_issue.use_sample_settings("check:\n  bars:\n    justfy: 0.9\n")
    result = invoke(sample_build.path, "--issue", folder)
    assert result.exit_code == 2
    assert "newsletter.yaml:17:1: 未知的检查项 justfy" in result.output


def test_a_bad_size_in_the_settings_is_an_input_error(make_issue, sample_build):
    make_issue.use_sample_settings("check:\n  max_size: five megabytes\n")
    result = invoke(sample_build.path, "--issue", make_issue.copy_sample())
    assert result.exit_code == 2
    assert "newsletter.yaml:16:1: 文件大小写法不对" in result.output


def test_an_unreadable_pdf_is_an_input_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really")
    result = invoke(broken)
    assert result.exit_code == 2
    assert "broken.pdf" in result.output
    assert "Traceback" not in result.output


def test_build_check_builds_then_checks_against_the_source(tmp_path):
    result = CliRunner().invoke(main, ["build", "--check", str(SAMPLE), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    assert "29 of 29 checks passed." in result.output


def test_build_check_exits_one_when_a_check_fails_and_keeps_the_pdf(make_issue, tmp_path):
    make_issue.use_sample_settings("check:\n  max_size: 100 KB\n")
    target = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["build", "-q", "--check", str(make_issue.copy_sample()), "-o", str(target)])
    assert result.exit_code == 1
    assert "FAIL file-size" in result.output and "28 of 29 checks passed." in result.output
    assert target.is_file()


def sample_changed_and_checked(make_issue, tmp_path, change):
    """`press build --check` of a copy of the sample whose last article's text went through `change`."""
    make_issue.use_sample_settings()
    folder = make_issue.copy_sample()
    last = folder / "12-2d-materials.md"
    last.write_text(change(last.read_text(encoding="utf-8").rstrip("\n")), encoding="utf-8")
    return CliRunner().invoke(main, ["build", "--check", str(folder), "-o", str(tmp_path / "x.pdf")])


def built_and_checked(folder, tmp_path):
    """`press build --check` of an issue folder."""
    return CliRunner().invoke(main, ["build", "--check", str(folder), "-o", str(tmp_path / "x.pdf")])


def assert_every_check_passes(result) -> None:
    assert result.exit_code == 0, result.output
    assert "29 of 29 checks passed." in result.output


@pytest.mark.parametrize("note", ["据新华社报道的有关内容。", "ACGT" * 80, "`" + "ACGT" * 80 + "`",
                                  "https://example.com/" + "ACGT" * 80,
                                  "Reducing CO~2~ emissions with 2D materials. <https://example.com/co2>"])
def test_a_han_note_or_one_opening_with_a_long_string_passes_every_check(make_issue, tmp_path, note):
    assert_every_check_passes(sample_changed_and_checked(
        make_issue, tmp_path, lambda text: f"{text}\n\n见此注[^99]。\n\n[^99]: {note}\n"))


def test_a_note_called_from_a_tables_first_column_wraps_and_passes_every_check(make_issue, tmp_path):
    table = "| 甲 | 乙 |\n| --- | --- |\n| 序列[^99] | 二 |\n"
    note = "这是一个很长的中文脚注，" * 20  # the column's nowrap made it one line 557 mm long
    assert_every_check_passes(sample_changed_and_checked(
        make_issue, tmp_path, lambda text: f"{text}\n\n{table}\n[^99]: {note}\n"))


@pytest.mark.parametrize("text", [
    "这是一篇很短的文章，只有一段文字，用来检查只有一页正文的期刊能否通过检查。" * 2,
    # fewer glyphs of the body's size than of the running head's and the note's
    "新材料产业的发展需要长期投入与协同创新。正文[^1]。\n\n[^1]: 参见国家统计局发布的年度报告。",
])
def test_an_issue_of_one_short_article_is_measured_and_passes(make_issue, tmp_path, text):
    make_issue.use_sample_settings()
    folder = make_issue({"01-a.md": f"---\ntitle: 一篇短文\nsection: 专题\nhighlight: true\n---\n\n{text}\n"})
    result = CliRunner().invoke(main, ["build", "--check", str(folder), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    assert "29 of 29 checks passed." in result.output
    line_break = next(line for line in result.output.splitlines() if line.startswith("PASS line-break"))
    assert "; 0 counted" not in line_break  # the body's lines are found (their size is not the cover's)


@pytest.mark.parametrize("extra", ["section_break: page\n", ""])
def test_an_editors_note_passes_every_check_on_a_page_of_its_own_or_before_the_first_section(make_issue, tmp_path,
                                                                                               extra):
    make_issue.use_sample_settings(extra)
    folder = with_editor_note(make_issue.copy_sample())
    result = built_and_checked(folder, tmp_path)
    assert_every_check_passes(result)
    assert "卷首语，12 篇文章，13 条脚注" in result.output


def test_lists_quotes_and_code_blocks_are_text_of_the_source(make_issue, tmp_path):
    blocks = "第一段文字。\n\n- 列表项甲\n- 列表项乙\n\n> 引用的话。\n\n```\n代码块\n```\n\n1. 有序甲\n2. 有序乙\n"
    assert_every_check_passes(sample_changed_and_checked(  # they were read as text the source lacks
        make_issue, tmp_path, lambda text: f"{text}\n\n{blocks}"))


def test_only_checks_that_need_the_source_without_it_is_a_usage_error(sample_build):
    result = CliRunner().invoke(main, ["check", str(sample_build.path), "--only", "text"])
    assert result.exit_code == 2 and "needs --issue" in result.output


@pytest.mark.parametrize("output_format", ["json", "github"])
def test_an_unreadable_pdf_is_reported_in_the_format_asked_for(tmp_path, output_format):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 cut short")
    result = CliRunner().invoke(main, ["check", str(broken), "--format", output_format])
    assert result.exit_code == 2
    if output_format == "json":
        report = json.loads(result.stdout)
        schema = json.loads(resources.files("press").joinpath("check-report.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(report, schema)
        assert report["passed"] is False and "not a readable PDF" in report["error"]["problems"][0]["message"]
    else:
        assert result.stdout.startswith("::error file=") and "not a readable PDF" in result.stdout
    assert "invalid pdf header" not in result.stderr


def test_a_call_right_after_a_subscript_or_superscript_is_a_call(make_issue, tmp_path):
    calls = "研究团队制备了单层 MoS~2~[^a]，其面积达到 10^3^[^b] 量级。\n\n[^a]: 见原文。\n[^b]: 同上。\n"
    assert_every_check_passes(sample_changed_and_checked(  # MoS₂¹³ was read as one call "213", not raised
        make_issue, tmp_path, lambda text: f"{text}\n\n{calls}"))


def test_a_title_that_wraps_in_the_contents_passes(make_issue, tmp_path):
    title = "瑞典林雪平大学利用国家超级计算机中心的大规模计算和化学剥离方法相结合成功制备出新型二维材料"
    assert_every_check_passes(sample_changed_and_checked(  # the entry's first line has no leader dots
        make_issue, tmp_path, lambda text: re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)))


def test_formulas_and_latin_extended_names_print_and_pass_every_check(make_issue, tmp_path):
    paragraph = "斯洛文尼亚 Jožef Stefan 研究所与波兰 Łódź 工业大学合作，降低 CO₂ 与 SO₂ 排放，产物含 H₂O。"
    assert_every_check_passes(sample_changed_and_checked(make_issue, tmp_path, lambda text: f"{text}\n\n{paragraph}\n"))


def test_a_hard_wrapped_paragraph_prints_without_spaces_between_han_and_passes_every_check(make_issue, tmp_path):
    paragraph = "该研究团队开发了一种\n新型的二维材料，\n可用于\n**高效催化**\n反应，并在 Nature\n上发表。"
    result = sample_changed_and_checked(make_issue, tmp_path, lambda text: f"{text}\n\n{paragraph}\n")
    assert_every_check_passes(result)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "x.pdf").pages[-2:])
    assert "开发了一种新型的二维材料，可用于高效催化反应" in text.replace("\n", "")


@pytest.mark.parametrize("notes", ["", "见注[^1]。\n\n[^1]: 注文。\n"])
def test_superscripts_are_not_read_as_footnote_calls(make_issue, tmp_path, notes):
    make_issue.use_sample_settings()
    body = f"浓度达 10⁻⁶ mol，溶液含 Fe^3+^ 离子，循环 10^6^ 次，面积 5 m²。\n\n{notes}"
    folder = make_issue({"a.md": article("上标", body)})
    assert_every_check_passes(built_and_checked(folder, tmp_path))


def test_a_short_article_of_a_long_title_a_list_a_table_and_a_figure_passes_every_check(make_issue, tmp_path):
    make_issue.use_sample_settings()
    title = "关于新型二维材料在高效催化与储能器件中的应用前景及其产业化路径和政策环境的综合分析报告（2024 年版）"
    body = ("正文第一段，介绍背景。\n\n- 第一项\n- 第二项\n\n| 年份 | 产量 | 地区 |\n| --- | --- | --- |\n"
            "| 2021 | 120 万吨 | 中国、美国 |\n| 2022 | 130 万吨 | 欧洲 |\n\n"
            "![图 1 材料照片](figure.svg)\n\n正文最后一段。\n")
    folder = make_issue({"a.md": article(title, body)})
    (folder / "figure.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"/>',
                                       encoding="utf-8")
    assert_every_check_passes(built_and_checked(folder, tmp_path))


@pytest.mark.parametrize("css", ["", ".figure { width: 100% !important; }"])
def test_a_figure_drawn_larger_than_its_picture_fails_figures(make_issue, tmp_path, css):
    from PIL import Image

    make_issue.use_sample_settings(css=css)  # the style of old: every figure as wide as the text
    folder = make_issue({"a.md": article("图", "正文。\n\n![图 1 图表](chart.svg)\n\n![图 2 照片](photo.png)\n")})
    (folder / "chart.svg").write_text(CHART, encoding="utf-8")
    Image.linear_gradient("L").resize((400, 300)).save(folder / "photo.png", dpi=(150, 150))
    report = check_pdf(build(folder, tmp_path / "x.pdf").path, folder, only=["figures"])
    messages = [failure["message"] for failure in report.checks[0].failures]
    if not css:
        assert messages == []
        return
    # the SVG's drawing (not its box) is measured: its frame and labels span 145 of the 166 mm it was given
    assert messages == ["the figure chart.svg is drawn 143 mm wide, larger than its picture's natural width of 106 mm "
                        "(CSS px at 96 dpi, or the file's own resolution)",
                        "the figure photo.png is drawn 163 mm wide, larger than its picture's natural width of 68 mm "
                        "(CSS px at 96 dpi, or the file's own resolution)"]


def test_a_two_column_table_whose_first_column_is_long_is_set_and_passes_every_check(make_issue, tmp_path):
    make_issue.use_sample_settings()
    table = ("| 机构与研究内容 | 金额 |\n| --- | --- |\n"
             "| 美国能源部先进材料与制造技术办公室联合多所国家实验室开展的固态电池关键材料研究项目 | 300 万美元 |\n")
    folder = make_issue({"a.md": article("表格", f"正文。\n\n{table}\n正文最后一段。\n")})
    assert_every_check_passes(built_and_checked(folder, tmp_path))


# Issue 16: a right PDF of an issue nobody has seen passes ---------------------------------------------------

CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="240">'
         '<text x="200" y="24" font-size="20" text-anchor="middle">图表标题（2018—2024）</text>'
         '<text x="20" y="120" font-size="11" transform="rotate(-90 20 120)">效率（%）</text>'
         '<text x="200" y="230" font-size="11">电流密度 j（A·cm<tspan dy="-4">−2</tspan><tspan dy="4">）</tspan>'
         '</text><rect x="60" y="40" width="300" height="160" fill="none" stroke="black"/></svg>')
LONG = "这是一段比较长的文字，用来让段落占满几行，检查版面在各种情况下都排得整齐，也不会被误报。" * 3
UNSEEN = {
    "a Unicode superscript in a title (toc-page, article-order, bookmarks, text)":
        ({"title": "电导率突破 10⁻² S/cm 的固态电解质"}, LONG),
    "a zero-width joiner in a title (toc-page)": ({"title": "材料\u200d科学进展"}, LONG),
    "an SVG figure with text, a rotated label and a 20 px title (text, line-break, titles)":
        ({}, f"{LONG}\n\n![图 1 效率随电流密度的变化](chart.svg)\n\n{LONG}"),
    "a two-character byline (justify)": ({"byline": "李华"}, LONG),
    "an article made of list items (overflow)":
        ({}, "\n".join(f"- 第 {number} 项：{LONG[:60]}" for number in range(1, 25))),
    "an article made of quotes (overflow)": ({}, "\n>\n".join(f"> 引文 {number}：{LONG[:70]}" for number in range(12))),
    "an article made of table rows (overflow)":
        ({}, "表 1 项目\n\n| 序号 | 名称 | 内容 |\n| --- | --- | --- |\n"
             + "\n".join(f"| {number} | 项目{number} | {LONG[:50]} |" for number in range(1, 30))),
    "200 calls in ten short paragraphs (footnote-count, text, page-breaks)":
        ({}, "\n\n".join("".join(f"字[^{20 * row + column}]" for column in range(20)) + "。" for row in range(10))
         + "\n\n" + "\n".join(f"[^{number}]: 注{number}。" for number in range(200))),
    "adjacent footnote calls printed as ²,³ (footnote-numbering, footnote-same-page)":
        ({}, f"{LONG}两项研究的结论一致[^a][^b]，后者更新[^c] [^d]。\n\n"
             "[^a]: 甲。\n[^b]: 乙。\n[^c]: 丙。\n[^d]: 丁。"),
    "a heading followed by a table (page-breaks)":
        ({}, "\n\n".join([LONG] * 5) + "\n\n# 数据\n\n| 年份 | 产量 |\n| --- | --- |\n"
             + "\n".join(f"| {2000 + year} | {year} 万吨 |" for year in range(30))),
    "quotes around titles and brackets (punct-squeeze)":
        ({}, f"{LONG}他说：“《规划》指出，（“十四五”）期间……”随后，“《条例》”与（《办法》）。" * 3),
    "a footnote call after a space, and code beside Han (line-break, han-latin-gap)":
        ({}, "\n\n".join(f"{LONG[:40 + shift]}采用 GaN [^n{shift}]，溶液的`pH`值为`7.4`。" for shift in range(12))
         + "\n\n" + "\n".join(f"[^n{shift}]: 注。" for shift in range(12))),
    "bold beside Chinese punctuation (punct-squeeze)":
        ({}, f"{LONG}他说：**“重点。”**随后，**碱性电解（ALK）**：**一是“尺寸”和“质量”并重。**SiC 器件。"),
}


@pytest.mark.parametrize("name", list(UNSEEN))
def test_what_editors_write_passes_every_check(make_issue, tmp_path, name):
    """Each was a false alarm on an issue written from README alone, so that press mail refused to send it."""
    fields, body = UNSEEN[name]
    make_issue.use_sample_settings()
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items() if key != "title")
    folder = make_issue({"a.md": article(fields.get("title", "一篇文章"), body, extra=extra),
                         "b.md": article("另一篇", LONG, section="研究进展")})
    (folder / "chart.svg").write_text(CHART, encoding="utf-8")
    assert_every_check_passes(built_and_checked(folder, tmp_path))


def test_checking_never_imports_weasyprint(sample_build):
    # press check runs where no layout is needed (a distributor's CI); WeasyPrint's import alone costs
    # about 0.15 s of every check, and a rule that used it would make the check depend on the layout engine.
    script = ("import sys; from pathlib import Path; from press.check import check_pdf; "
              f"report = check_pdf(Path({str(sample_build.path)!r}), Path({str(SAMPLE)!r})); "
              "print(sorted(name for name in sys.modules if name.startswith('weasyprint')))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("output_format", ["json", "github"])
def test_a_lone_surrogate_quoted_in_a_problem_is_written_as_its_escape(make_issue, tmp_path, output_format):
    folder = make_issue({"a.md": article("标题", "正文。", section='"杂\\ud800谈"')})  # a YAML escape makes it
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 cut short")
    result = CliRunner().invoke(main, ["check", str(broken), "--issue", str(folder), "--format", output_format])
    assert result.exit_code == 2, result.output  # no output stream can encode the surrogate itself
    assert "未知栏目 杂\\ud800谈" in (json.loads(result.stdout)["error"]["problems"][0]["message"]
                                  if output_format == "json" else result.stdout)


# The sample at every paper, in every language, as a draft and not -----------------------------------------

PAPERS_AND_LANGUAGES = [(paper, language, False) for paper in ("A4", "A5", "B5")
                        for language in ("zh-Hans", "zh-Hant", "en-US")]
DRAFTS = [("A5", "zh-Hans", True), ("B5", "en-US", True), ("A4", "zh-Hant", True)]
CHROME = {"zh-Hans": ("封面", "目录"), "zh-Hant": ("封面", "目錄"), "en-US": ("Cover", "Contents")}


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "language", "draft"), PAPERS_AND_LANGUAGES + DRAFTS)
def test_the_sample_at_every_paper_in_every_language_draft_or_not_passes_every_check(make_issue, tmp_path, paper,
                                                                                      language, draft, monkeypatch):
    from pypdf import PdfReader

    from press.pagesize import parse_page_size

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714629807")
    make_issue.use_sample_settings(f"page_size: {paper}\nlanguage: {language}\n")
    folder = make_issue.copy_sample()
    pdf = build(folder, tmp_path / "x.pdf", draft=draft).path
    report = check_pdf(pdf, folder)
    assert [(check.id, check.failures[:2]) for check in report.checks if not check.passed] == []
    assert [check.id for check in report.checks] == list(RULE_IDS) and report.not_run == []
    assert (report.draft is not None) == draft
    reader = PdfReader(pdf)
    size = parse_page_size(paper)
    assert {(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages} == {
        (round(size.width), round(size.height))}
    labels = reader.page_labels
    assert tuple(labels[:2]) == CHROME[language] and labels[2] == "1"
