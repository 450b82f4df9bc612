"""Table cells wrapped against the layout rule (press.tablewrap), on issues built through press's pipeline."""

import pytest

from press import tables
from press.build import build
from press.check import check_pdf
from press.expected import expected_of
from press.load import load_issue
from press.measure import body_pages
from press.pdfread import read_pdf
from press.tablewrap import break_flags, key, read_table
from tests.conftest import article
from tests.test_tables import TABLE

SHORT = ("| 年份 | 机构 | 地区 |\n| --- | --- | --- |\n"
         "| 2021 | 加州大学圣巴巴拉分校 | 中国、美国 |\n| 2022 | 阿贡国家实验室 | 欧洲 |\n")
LONG_ONLY = ("| 序号 | 研究内容 |\n| --- | --- |\n"
             + "".join(f"| {number} | {'开发新型固态电解质材料，提高锂金属电池的循环寿命与安全性' * 2}。 |\n"
                       for number in range(1, 4)))

LONG_CELLS = ["开发新型固态电解质材料，提高锂金…", "建立电池材料的公开数据库与自动化…"]  # the cells that wrap


@pytest.fixture
def checked(make_issue, tmp_path):
    """Build an issue of one article holding `body` (with `css` added to the style; WeasyPrint's own table
    layout when `own_layout`) and run table-wrap on it: its failures' messages, the cells counted, the failures,
    and the cells printed on several lines."""
    def run(body: str, css: str = "", own_layout: bool = False):
        make_issue.use_sample_settings(css=css)
        folder = make_issue({"a.md": article("表格", f"正文的第一段。\n\n{body}")})
        with pytest.MonkeyPatch.context() as patch:
            if own_layout:
                patch.setattr(tables, "install", tables.uninstall)
                tables.uninstall()
            try:
                pdf = build(folder, tmp_path / "x.pdf").path
            finally:
                tables.install()
        check = check_pdf(pdf, folder, only=["table-wrap"]).checks[0]
        return [failure["message"] for failure in check.failures], check.counted, check.failures, wrapped(pdf, folder)
    return run


def wrapped(pdf, folder) -> list:
    """The cells the PDF prints on several lines."""
    reading, expected = read_pdf(pdf), expected_of(load_issue(folder))
    pages = {page.index: page for page in body_pages(reading)}
    read = [read_table(reading, pages, chunk, expected.running) for chunk in expected.chunks if chunk.kind == "table"]
    return [cell for table in read for cell in table.cells if cell.wrapped]


def test_names_that_stay_on_one_line_beside_a_wrapping_column_pass(checked):
    messages, counted, _, wrapping = checked(TABLE)
    assert (messages, counted) == ([], 20)
    assert [cell.preview for cell in wrapping] == LONG_CELLS


def test_weasyprint_alone_breaking_a_name_while_the_long_column_wraps_fails(checked):
    messages, counted, failures, wrapping = checked(TABLE, own_layout=True)
    assert counted == 20
    name = "“加州大学圣巴巴拉分校” (row 2, column 2) printed on 2 lines"
    assert any(message.startswith(name) for message in messages)
    assert all("研究内容" not in message for message in messages)
    assert len(wrapping) > len(messages)  # the long column wraps, and passes
    assert failures[0]["line"] == 8 and failures[0]["file"].endswith("a.md")  # the table's line


def test_a_cell_forced_to_wrap_in_a_table_that_fits_fails(checked):
    messages, counted, _, wrapping = checked(SHORT, css="tbody td:nth-child(2) { width: 3em; }")
    assert counted == 9 and len(wrapping) == 2
    assert messages and all("natural width" in message for message in messages)
    assert any("加州大学圣巴巴拉分校" in message for message in messages)


def test_a_table_that_fits_passes(checked):
    messages, counted, _, wrapping = checked(SHORT)
    assert (messages, counted, wrapping) == ([], 9, [])


def test_a_table_whose_only_long_column_wraps_passes(checked):
    messages, counted, _, wrapping = checked(LONG_ONLY)
    assert (messages, counted) == ([], 8)
    assert len(wrapping) == 3


def test_breaks_are_sure_between_han_characters_and_after_spaces_but_not_across_joiners():
    assert key("AMP Robotics 公\u2060司") == "AMPRobotics公司"
    assert break_flags("加州大学") == [False, True, True, True]
    assert break_flags("公\u2060司") == [False, False]
    assert break_flags("AMP Robotics 公\u2060司") == [False] * 3 + [True] + [False] * 7 + [True, False]
    assert break_flags("1440 \u2060万美元") == [False] * 4 + [False, True, True]
    assert break_flags("25 %，数据") == [False, False, False, False, False, True]


def test_a_column_that_cannot_wrap_may_stay_wider_than_a_wrapped_cell(checked):
    digest = "sha256_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c"  # no break opportunity
    table = ("| 序号 | 文件摘要 | 说明 |\n| --- | --- | --- |\n"
             f"| 1 | {digest} | {'开发新型固态电解质材料，提高锂金属电池的循环寿命与安全性' * 2}。 |\n"
             f"| 2 | {digest[:20]} | 建立电池材料的公开数据库与自动化表征平台。 |\n")
    messages, counted, _, wrapping = checked(table)
    assert (messages, counted) == ([], 9)
    assert [cell.preview for cell in wrapping] == LONG_CELLS


def test_a_table_over_two_pages_with_calls_and_subscripts_is_read_whole(checked):
    rows = "".join(f"| {number} | LiCoO~2~ 样品 {number}[^n{number}] | {WORK} |\n" for number in range(1, 31))
    notes = "".join(f"\n[^n{number}]: 注 {number}。" for number in range(1, 31))
    table = f"| 序号 | 样品 | 说明 |\n| --- | --- | --- |\n{rows}{notes}\n"
    messages, counted, _, wrapping = checked(table)
    assert (messages, counted) == ([], 93)
    assert len(wrapping) == 30 and len({cell.label for cell in wrapping}) > 1  # under the header repeated


WORK = "研究钙钛矿叠层电池在湿热环境下的稳定性与衰减机理，建立电池材料的公开数据库与自动化表征平台。"
